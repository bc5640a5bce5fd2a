"""The review checklist (questions in ``review_checklist.yaml``) and the validation of a review's answers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import UsageError

CHECKLIST_FILE = Path(__file__).with_name("review_checklist.yaml")


class AnswerValue(StrEnum):
    MET = "met"
    CONCERN = "concern"
    NOT_APPLICABLE = "not_applicable"


class ReviewDecision(StrEnum):
    CONTINUE = "continue"
    RETRAIN = "retrain"
    CHANGE_SCOPE = "change_scope"
    DEPRECATE = "deprecate"


class _Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str
    evidence: str | None = None


class _ChecklistFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    questions: list[_Question]


class Answer(BaseModel):
    """One answer as given in a YAML answers file or a form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answer: AnswerValue
    notes: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    evidence: str | None


@lru_cache(maxsize=1)
def checklist() -> tuple[Question, ...]:
    parsed = _ChecklistFile.model_validate(read_yaml(CHECKLIST_FILE))
    return tuple(Question(q.id, q.text, q.evidence) for q in parsed.questions)


def validate_answers(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every question answered, nothing extra, and notes for each concern; returns plain dicts."""
    if not isinstance(raw, dict):
        raise UsageError("Review answers must be a mapping of question id to answer.")
    ids = [q.id for q in checklist()]
    missing = [i for i in ids if i not in raw]
    unknown = [k for k in raw if k not in ids]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("unanswered: " + ", ".join(missing))
        if unknown:
            parts.append("not on the checklist: " + ", ".join(map(str, unknown)))
        raise UsageError(
            "The review checklist is incomplete (" + "; ".join(parts) + ").",
            hint="Answer every question with met, concern or not_applicable ('kinsight monitor checklist').",
        )
    answers: dict[str, dict[str, str]] = {}
    for qid in ids:
        value = raw[qid]
        if isinstance(value, str):
            value = {"answer": value}
        try:
            parsed = Answer.model_validate(value)
        except ValueError as error:
            raise UsageError(
                f"The answer to '{qid}' is not valid.",
                hint="Use met, concern or not_applicable, with notes for a concern.",
                details={"question": qid, "problem": str(error).splitlines()[0]},
            ) from error
        if parsed.answer is AnswerValue.CONCERN and not parsed.notes.strip():
            raise UsageError(
                f"The concern raised on '{qid}' needs notes.",
                hint="Say what the concern is and who acts on it.",
            )
        answers[qid] = {"answer": parsed.answer.value, "notes": parsed.notes.strip()}
    return answers
