"""Review checklist: the guidance's questions, all answered, concerns explained."""

from __future__ import annotations

import pytest

from kinsight.errors import UsageError
from kinsight.monitoring.checklist import checklist, validate_answers

REQUIRED = {
    "accuracy",
    "group_accuracy",
    "security",
    "input_quality",
    "retraining",
    "user_feedback",
    "still_used",
    "still_needed",
}


def _all(value: str = "met") -> dict[str, object]:
    return {q.id: value for q in checklist()}


def test_checklist_covers_the_guidance() -> None:
    assert {q.id for q in checklist()} >= REQUIRED


def test_complete_answers_accepted() -> None:
    answers = _all()
    answers["security"] = {"answer": "concern", "notes": "two shared accounts"}
    checked = validate_answers(answers)
    assert checked["security"] == {"answer": "concern", "notes": "two shared accounts"}
    assert checked["accuracy"] == {"answer": "met", "notes": ""}


def test_missing_unknown_and_unexplained_concerns_refused() -> None:
    partial = _all()
    partial.pop("still_needed")
    with pytest.raises(UsageError, match="still_needed"):
        validate_answers(partial)
    with pytest.raises(UsageError, match="not on the checklist"):
        validate_answers({**_all(), "extra": "met"})
    with pytest.raises(UsageError, match="needs notes"):
        validate_answers({**_all(), "accuracy": "concern"})
    with pytest.raises(UsageError, match="not valid"):
        validate_answers({**_all(), "accuracy": "maybe"})
