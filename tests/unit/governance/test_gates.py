"""Each kind of gate condition, evaluated on hand-built records: met, unmet, no evidence, not applicable."""

from __future__ import annotations

import datetime as dt

from kinsight.governance.gates import evaluate_gate
from kinsight.governance.instruments import load_instruments
from kinsight.governance.record import (
    AnswerSet,
    Evidence,
    ExternalValidation,
    ProjectRecord,
    ScopeChange,
    StageMove,
)
from kinsight.governance.vocabulary import EvidenceKind, Stage

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
INSTRUMENTS = load_instruments()


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def answers(instrument: str, values: dict, version: int = 1, minute: int = 0) -> AnswerSet:
    return AnswerSet(instrument, version, 1, values, at(minute), "t")


def record(stage: Stage, *sets: AnswerSet, **more: object) -> ProjectRecord:
    return ProjectRecord("p", "P", stage, T0, "t", answers={s.instrument: s for s in sets}, **more)  # type: ignore[arg-type]


def statuses(rec: ProjectRecord) -> dict[str, str]:
    return {c.id: str(c.status) for c in evaluate_gate(rec, INSTRUMENTS).conditions}


SCALES = [q.id for q in INSTRUMENTS["data_maturity"].questions if q.type == "scale"]


def test_maturity_tier_refuses_predictive_at_medium_maturity() -> None:
    profile = answers("project_profile", {"analytics_type": "predictive", "datasets": ["ssda903"]})
    medium = answers("data_maturity", dict.fromkeys(SCALES, 3))
    assert statuses(record(Stage.CHOOSING_SOLUTION, profile, medium))["maturity_allows_tier"] == "unmet"
    diagnostic = answers("project_profile", {"analytics_type": "diagnostic", "datasets": ["ssda903"]})
    assert statuses(record(Stage.CHOOSING_SOLUTION, diagnostic, medium))["maturity_allows_tier"] == "met"


def test_data_quality_no_evidence_then_low_then_met() -> None:
    profile = answers("project_profile", {"datasets": ["ssda903", "cin_census"], "delivery": "in_house"})
    assert statuses(record(Stage.CHOOSING_SOLUTION, profile))["data_quality"] == "no_evidence"
    ev = (
        Evidence(EvidenceKind.DATA_QUALITY, "ssda903", {"score": 92}, "q", at(1)),
        Evidence(EvidenceKind.DATA_QUALITY, "cin_census", {"score": 89.9}, "q", at(1)),
    )
    assert statuses(record(Stage.CHOOSING_SOLUTION, profile, evidence=ev))["data_quality"] == "unmet"
    ev = (*ev, Evidence(EvidenceKind.DATA_QUALITY, "cin_census", {"score": 90}, "q", at(2)))
    got = statuses(record(Stage.CHOOSING_SOLUTION, profile, evidence=ev))
    assert got["data_quality"] == "met" and got["third_party_recorded"] == "not_applicable"


def test_predictive_conditions_do_not_apply_to_descriptive_tools() -> None:
    profile = answers("project_profile", {"analytics_type": "descriptive", "automatic_referral": False})
    got = statuses(record(Stage.ETHICS_TRIAGE, profile))
    assert got["predictive_senior_buy_in"] == got["predictive_high_maturity"] == "not_applicable"
    assert got["professional_judgement"] == "met"


def test_automatic_referral_is_refused() -> None:
    profile = answers("project_profile", {"analytics_type": "descriptive", "automatic_referral": True})
    assert statuses(record(Stage.ETHICS_TRIAGE, profile))["professional_judgement"] == "unmet"


def test_evaluation_needs_thresholds_then_evidence_then_passing_figures() -> None:
    profile = answers("project_profile", {"analytics_type": "predictive"})
    assert statuses(record(Stage.TESTING, profile))["alpha_evaluation"] == "unmet"  # no thresholds yet
    criteria = answers("success_criteria", {"outcome_measures": "x", "min_recall": 0.6})
    assert statuses(record(Stage.TESTING, profile, criteria))["alpha_evaluation"] == "no_evidence"
    low = (Evidence(EvidenceKind.EVALUATION, "", {"overall": {"recall": 0.59}}, "e", at(1)),)
    assert statuses(record(Stage.TESTING, profile, criteria, evidence=low))["alpha_evaluation"] == "unmet"
    ok = (*low, Evidence(EvidenceKind.EVALUATION, "", {"overall": {"recall": 0.6}}, "e", at(2)))
    assert statuses(record(Stage.TESTING, profile, criteria, evidence=ok))["alpha_evaluation"] == "met"


def test_a_move_back_makes_earlier_evaluation_and_validation_stale() -> None:
    profile = answers("project_profile", {"analytics_type": "predictive"})
    criteria = answers("success_criteria", {"outcome_measures": "x", "min_recall": 0.6})
    ok = (Evidence(EvidenceKind.EVALUATION, "", {"overall": {"recall": 0.9}}, "e", at(1)),)
    valid = (ExternalValidation("V", "U", True, "fine", T0.date(), at(1), "t"),)
    back = (
        StageMove(Stage.TESTING, Stage.DEVELOPMENT, "back", "redo", at(5), "t"),
        StageMove(Stage.DEVELOPMENT, Stage.TESTING, "forward", "", at(6), "t"),
    )
    got = statuses(record(Stage.TESTING, profile, criteria, evidence=ok, validations=valid, history=back))
    assert got == {"alpha_evaluation": "no_evidence", "external_validation": "no_evidence"}


def test_scope_change_reopens_until_answered_again() -> None:
    triage = answers("ethics_triage", {"analytics_type": "descriptive"}, version=2)
    change = (ScopeChange("wider", at(10), "t", {"ethics_triage": 2, "impact_assessments": 0}),)
    got = statuses(record(Stage.DEPLOYMENT_MONITORING, triage, scope_changes=change))
    assert got["reopened_ethics_triage"] == "unmet" and got["reopened_impact_assessments"] == "unmet"
    again = answers("ethics_triage", {"analytics_type": "descriptive"}, version=3, minute=11)
    got = statuses(record(Stage.DEPLOYMENT_MONITORING, again, scope_changes=change))
    assert "reopened_ethics_triage" not in got and got["reopened_impact_assessments"] == "unmet"


def test_refusal_lists_every_unmet_condition() -> None:
    gate = evaluate_gate(record(Stage.PRE_DEPLOYMENT), INSTRUMENTS)
    assert not gate.met
    assert {c.id for c in gate.unmet} == {
        "workbook_first_eleven",
        "dpia_complete",
        "evaluation_plan",
        "review_schedule",
        "still_professional_judgement",
        "deployment_agreed",
    }
