"""Instruments load from YAML, validate answers strictly, and give a usable blank template."""

from __future__ import annotations

import pytest
import yaml

from kinsight.errors import ConfigurationError, NotFoundError, UsageError
from kinsight.governance.definitions import QuestionType
from kinsight.governance.instruments import (
    blank_template,
    get_instrument,
    is_answered,
    load_instruments,
    validate_answers,
)

EXPECTED = {
    "project_profile",
    "user_needs",
    "data_maturity",
    "ethics_triage",
    "ethics_workbook",
    "risk_log",
    "impact_assessments",
    "business_case",
    "success_criteria",
    "benchmarking",
    "evaluation_plan",
    "review_schedule",
    "retirement_plan",
    "transparency",
}


def test_every_instrument_the_guidance_asks_for_is_present() -> None:
    assert set(load_instruments()) == EXPECTED


def test_workbook_has_at_least_eleven_questions_in_phase_order() -> None:
    workbook = load_instruments()["ethics_workbook"]
    phases = [q.phase for q in workbook.questions]
    assert len(phases) >= 11
    assert phases[:5] == ["explore"] * 5
    assert "explore" not in phases[5:]


def test_unknown_question_and_bad_values_are_all_reported() -> None:
    maturity = load_instruments()["data_maturity"]
    with pytest.raises(UsageError) as caught:
        validate_answers(maturity, {"culture_decisions": 7, "bogus": 1})
    problems = caught.value.details["problems"]
    assert any(p.startswith("culture_decisions") for p in problems)
    assert any(p.startswith("bogus") for p in problems)
    assert any(p.startswith("leadership_use") and "required" in p for p in problems)


def test_choice_table_and_date_answers_are_checked() -> None:
    instruments = load_instruments()
    with pytest.raises(UsageError):
        validate_answers(
            instruments["project_profile"],
            {"summary": "s", "problem": "p", "owner": "o", "analytics_type": "prescriptive"},
        )
    with pytest.raises(UsageError):
        validate_answers(instruments["user_needs"], {"needs": [], "engagement": "x"})  # at least one row
    with pytest.raises(UsageError):
        validate_answers(
            instruments["risk_log"],
            {
                "risks": [
                    {
                        "ref": "R1",
                        "description": "d",
                        "category": "data",
                        "likelihood": "often",
                        "severity": "severe",
                        "status": "open",
                    }
                ]
            },
        )
    clean = validate_answers(
        instruments["review_schedule"],
        {"interval_months": 3, "reviewers": "A", "checks": ["accuracy"], "first_review": "2026-01-31"},
    )
    assert clean["first_review"] == "2026-01-31"
    with pytest.raises(UsageError):
        validate_answers(
            instruments["review_schedule"],
            {"interval_months": 3, "reviewers": "A", "checks": ["accuracy"], "first_review": "31/13/2026"},
        )


def test_non_mapping_answers_are_refused() -> None:
    with pytest.raises(UsageError):
        validate_answers(load_instruments()["business_case"], ["not", "a", "mapping"])


@pytest.mark.parametrize("instrument_id", sorted(EXPECTED))
def test_blank_template_is_yaml_naming_every_question(instrument_id: str) -> None:
    instrument = load_instruments()[instrument_id]
    text = blank_template(instrument)
    parsed = yaml.safe_load(text)
    assert set(parsed) == {q.id for q in instrument.questions}
    for question in instrument.questions:
        if question.type is QuestionType.TABLE:
            assert set(parsed[question.id][0]) == {c.id for c in question.columns}


def test_authority_folder_replaces_a_builtin_instrument(tmp_path) -> None:
    builtin = load_instruments()["review_schedule"]
    raw = builtin.model_dump(mode="json", by_alias=True, exclude_none=True)
    raw["version"] = 2
    raw["title"] = "Local review schedule"
    (tmp_path / "review_schedule.yaml").write_text(yaml.safe_dump(raw))
    merged = load_instruments([tmp_path])
    assert merged["review_schedule"].title == "Local review schedule"
    assert merged["ethics_triage"] is load_instruments()["ethics_triage"]


def test_a_broken_instrument_file_is_a_configuration_error(tmp_path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "id: bad\nversion: 1\ntitle: x\npurpose: y\nstage: nowhere\nquestions: []\n"
    )
    with pytest.raises(ConfigurationError):
        load_instruments([tmp_path])


def test_unknown_instrument_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        get_instrument(load_instruments(), "nope")


@pytest.mark.parametrize(
    ("value", "answered"),
    [(None, False), ("  ", False), ([], False), ("x", True), (False, True), (0, True), (["a"], True)],
)
def test_what_counts_as_an_answer(value: object, answered: bool) -> None:
    assert is_answered(value) is answered
