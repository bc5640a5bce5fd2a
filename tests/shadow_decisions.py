"""Recording many professionals' decisions at once, for tests of shadow-running reports.

The recording path itself (reasons checked, audited) is tested in
tests/unit/evaluation/test_shadow_service.py; tests of the comparison only need the decisions in the
store, written in one transaction.
"""

from __future__ import annotations

from kinsight.settings import Settings

REASONS = (
    "Visited the home on Tuesday; the carer described growing conflict at bedtime and the child asked "
    "to talk to the independent reviewing officer."
)


def decide_quickly(settings: Settings, model: str, decisions: dict[str, str], reasons: str = REASONS) -> None:
    """Store one decision per child (``{child: decision}``) for ``model``, each with ``reasons``."""
    from kinsight.storage import evaluation_repo as repo

    with repo.session(settings.app_database_url) as s:
        found = repo.find_model(s, model)
        assert found is not None
        for child, decision in decisions.items():
            repo.add_decision(
                s,
                model_id=found.id,
                subject=child,
                decision=decision,
                decided_by="sw.test",
                reasons=reasons,
                model_output_shown=False,
                model_output=None,
            )
