"""Recording decisions through the service: a person and their own reasons, audited, append-only."""

from __future__ import annotations

import importlib
import inspect
import json

import pytest
from sqlalchemy import select
from tests.unit.evaluation.test_human_oversight import ACTION_WORDS, OWN_REASONS, SCORE_WORDS, _acts

from kinsight.errors import NotFoundError, UsageError
from kinsight.evaluation.oversight import Decision
from kinsight.services import audit
from kinsight.services.shadow import record_decision, register_model
from kinsight.settings import Settings
from kinsight.storage import evaluation_repo as repo
from kinsight.storage.models_evaluation import EvalDecision

SCORE_ONLY = "The model score is high risk so the child is flagged above the threshold of 0.8 by the tool."


def _service_functions() -> list[tuple[str, object]]:
    module = importlib.import_module("kinsight.services.shadow")
    return [
        (f"{module.__name__}.{name}", obj)
        for name, obj in inspect.getmembers(module, inspect.isfunction)
        if obj.__module__ == module.__name__ and not name.startswith("_")
    ]


def test_no_path_from_a_score_to_an_action_in_the_shadow_service() -> None:
    functions = _service_functions()
    acting = [(n, f) for n, f in functions if _acts(n)]
    assert [n for n, _ in acting] == ["kinsight.services.shadow.record_decision"]
    for name, func in functions:
        params = inspect.signature(func).parameters
        takes_score = bool(set(params) & SCORE_WORDS) or any(p.startswith("model_output") for p in params)
        assert not (takes_score and _acts(name) and "user" not in params), name
        if _acts(name):  # a function that takes a score (shadow_run) may store it, never act on it
            assert "user" in params and "reasons" in params, f"{name} can act without a person and reasons"
            assert params["user"].default is inspect.Parameter.empty
            assert params["reasons"].default is inspect.Parameter.empty
    # the service offers no way to hand a score in: what the model said is looked up, never supplied
    assert not any("model_output" in inspect.signature(f).parameters for _, f in functions)
    assert ACTION_WORDS  # the shared vocabulary is in use


@pytest.mark.parametrize(
    ("user", "reasons"), [("", OWN_REASONS), ("sw.jones", "Agree."), ("sw.jones", SCORE_ONLY)]
)
def test_refused_decisions_are_not_stored_but_are_audited(
    app_settings: Settings, user: str, reasons: str
) -> None:
    with pytest.raises(UsageError):
        record_decision(app_settings, user=user, subject="C0001", decision="refer", reasons=reasons)
    with repo.session(app_settings.app_database_url) as s:
        assert s.scalars(select(EvalDecision)).all() == []
    (row,) = audit.recent(app_settings, action="decision.record")
    assert row.outcome == "refused" and row.target == "child:C0001"
    assert reasons[:20] not in json.dumps(row.details) or not reasons


def test_recorded_decision_is_stored_and_audited_without_its_reasons(app_settings: Settings) -> None:
    out = record_decision(
        app_settings,
        user="sw.jones",
        subject=" C0042 ",
        decision="review_placement_support",
        reasons=OWN_REASONS,
    )
    with repo.session(app_settings.app_database_url) as s:
        row = s.scalars(select(EvalDecision)).one()
    assert (row.id, row.subject, row.decided_by, row.reasons) == (out["id"], "C0042", "sw.jones", OWN_REASONS)
    assert row.model_id is None and row.model_output is None and not row.model_output_shown
    (event,) = audit.recent(app_settings, action="decision.record")
    assert event.outcome == "allowed" and event.actor == "sw.jones" and event.target == "child:C0042"
    assert event.details == {"decision_id": out["id"], "decision": "review_placement_support", "model": None}
    assert audit.verify(app_settings).ok


def test_decision_records_are_append_only(app_settings: Settings) -> None:
    record_decision(app_settings, user="sw.jones", subject="C1", decision="refer", reasons=OWN_REASONS)
    with pytest.raises(ValueError, match="append-only"), repo.session(app_settings.app_database_url) as s:
        s.scalars(select(EvalDecision)).one().decision = "no_further_action"
        s.flush()


def test_decision_for_an_unknown_model_is_refused(sqlite_settings: Settings) -> None:
    with pytest.raises(NotFoundError):
        record_decision(
            sqlite_settings,
            user="sw.jones",
            subject="C1",
            decision="refer",
            reasons=OWN_REASONS,
            model="ghost",
        )


def test_decision_keeps_what_a_shadow_model_said_but_marks_it_unseen(
    sqlite_settings: Settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services.shadow import shadow_run

    path = tmp_path / "p.csv"
    path.write_text("CHILD,score\nC1,0.83\nC2,0.10\n", encoding="utf-8")
    register_model(sqlite_settings, name="risk", version="1", mode="shadow", actor="lead")
    shadow_run(sqlite_settings, "risk", actor="lead", predictions=path)
    out = record_decision(
        sqlite_settings, user="sw.jones", subject="C1", decision="refer", reasons=OWN_REASONS, model="risk"
    )
    assert out["model_output_kept"] and not out["model_output_shown"]
    with repo.session(sqlite_settings.app_database_url) as s:
        row = s.scalars(select(EvalDecision)).one()
    assert row.model_output == pytest.approx(0.83) and row.model_output_shown is False and row.model_id


def test_which_decisions_count_as_acting() -> None:
    assert {d.value for d in Decision if d.acts} == {
        "discuss_in_supervision",
        "review_placement_support",
        "refer",
    }
