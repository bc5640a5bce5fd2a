"""Human oversight: no path from a score to an action without a named person and their own reasons."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import kinsight.evaluation
from kinsight.errors import UsageError
from kinsight.evaluation.oversight import make_decision

OWN_REASONS = (
    "Spoke with the carer and the child this week; the carer feels unsupported with night-time "
    "behaviour, so we agreed extra respite and a review with the fostering team."
)
SCORE_WORDS = {"score", "scores", "prediction", "predictions", "model_output", "probability"}
ACTION_WORDS = {"refer", "referral", "action", "act", "decide", "decision", "escalate", "notify", "trigger"}


def _acts(qualified: str) -> bool:
    """Whether a function's name says it acts (words of the name, e.g. record_decision)."""
    return bool(set(qualified.rsplit(".", 1)[1].split("_")) & ACTION_WORDS)


def _public_functions() -> list[tuple[str, object]]:
    modules = [
        importlib.import_module(f"kinsight.evaluation.{m.name}")
        for m in pkgutil.iter_modules(kinsight.evaluation.__path__)
    ]
    modules += [
        importlib.import_module("kinsight.services.evaluation"),
        importlib.import_module("kinsight.services.bias"),
    ]
    found = []
    for module in modules:
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            if obj.__module__ == module.__name__ and not name.startswith("_"):
                found.append((f"{module.__name__}.{name}", obj))
    return found


def test_every_function_that_can_act_requires_a_person_and_reasons() -> None:
    acting = [(n, f) for n, f in _public_functions() if _acts(n)]
    assert acting, "the decision functions should be found"
    for name, func in acting:
        params = inspect.signature(func).parameters
        person = {"user", "decided_by"} & set(params)
        assert person and "reasons" in params, f"{name} can act without a person and reasons"
        for p in person | {"reasons"}:
            assert params[p].default is inspect.Parameter.empty, f"{name}: {p} must be required"


def test_no_function_takes_a_score_and_acts_without_a_person() -> None:
    for name, func in _public_functions():
        params = set(inspect.signature(func).parameters)
        takes_score = bool(params & SCORE_WORDS) or any(p.startswith("model_output") for p in params)
        if takes_score and _acts(name):
            assert {"user", "decided_by"} & params and "reasons" in params, f"{name} takes a score and acts"


@pytest.mark.parametrize(
    ("user", "reasons"),
    [
        ("", OWN_REASONS),
        ("   ", OWN_REASONS),
        ("sw.jones", ""),
        ("sw.jones", "Agree."),
        (
            "sw.jones",
            "The model score is high risk so the child is flagged above the threshold of 0.8 by the tool.",
        ),
    ],
)
def test_decision_refused_without_a_person_or_own_reasons(user: str, reasons: str) -> None:
    with pytest.raises(UsageError):
        make_decision(
            model="demo",
            subject="P-123",
            decision="refer",
            decided_by=user,
            reasons=reasons,
            model_output=0.91,
        )


def test_decision_with_a_person_and_own_reasons_is_recorded_with_what_the_model_said() -> None:
    record = make_decision(
        model="demo",
        subject="P-123",
        decision="review_placement_support",
        decided_by="sw.jones",
        reasons=OWN_REASONS,
        model_output=0.91,
        model_output_shown=False,
    )
    assert record.decided_by == "sw.jones" and record.model_output == 0.91 and not record.model_output_shown
    with pytest.raises(UsageError):
        make_decision(
            model="demo", subject="P-123", decision="auto_refer", decided_by="sw.jones", reasons=OWN_REASONS
        )


def test_recorded_decisions_are_stored_in_the_app_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from kinsight.services.shadow import record_decision
    from kinsight.settings import Settings
    from kinsight.storage.appdb import make_engine, make_sessionmaker
    from kinsight.storage.models_evaluation import EvalDecision

    settings = Settings(home=tmp_path)
    tmp_path.mkdir(exist_ok=True)
    out = record_decision(
        settings, user="sw.jones", subject="P-1", decision="no_further_action", reasons=OWN_REASONS
    )
    with make_sessionmaker(make_engine(settings.app_database_url))() as session:
        row = session.scalars(select(EvalDecision)).one()
    assert row.id == out["id"] and row.reasons == OWN_REASONS and row.decided_by == "sw.jones"
