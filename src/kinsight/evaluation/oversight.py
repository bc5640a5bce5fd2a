"""Human oversight by design: a model's output is advice; only a named professional with reasons decides.

There is deliberately no function anywhere in Kinsight that takes a score and produces an action or a
referral.  The only way to record a decision is :func:`make_decision`, which requires the professional who
made it and their own reasons, and refuses reasons that merely restate the model's output.  A decision
record keeps what the model said (if it was shown at all) beside what the person decided, so that shadow
running and monitoring can compare the two later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from kinsight.errors import UsageError

MIN_REASON_WORDS = 8
# words that only describe the model's output; reasons made of little else are not the person's own
_SCORE_WORDS = {
    "score",
    "scores",
    "scored",
    "model",
    "models",
    "risk",
    "high",
    "low",
    "medium",
    "flag",
    "flagged",
    "flags",
    "prediction",
    "predicted",
    "predicts",
    "algorithm",
    "says",
    "said",
    "tool",
    "output",
    "probability",
    "above",
    "below",
    "threshold",
    "the",
    "a",
    "an",
    "is",
    "was",
    "of",
    "it",
    "so",
    "as",
    "per",
    "because",
    "and",
    "to",
    "by",
    "therefore",
    "given",
    "based",
    "on",
    "percent",
    "at",
    "than",
}


class Decision(StrEnum):
    """What the professional decided; none of these is taken by Kinsight itself."""

    NO_FURTHER_ACTION = "no_further_action"
    CONTINUE_CURRENT_PLAN = "continue_current_plan"
    DISCUSS_IN_SUPERVISION = "discuss_in_supervision"
    REVIEW_PLACEMENT_SUPPORT = "review_placement_support"
    REFER = "refer"

    @property
    def acts(self) -> bool:
        """Whether the professional chose to do something more (what shadow running compares a flag with)."""
        return self in _ACTING


_ACTING = frozenset({Decision.DISCUSS_IN_SUPERVISION, Decision.REVIEW_PLACEMENT_SUPPORT, Decision.REFER})


@dataclass(frozen=True)
class DecisionRecord:
    model: str
    subject: str
    decision: Decision
    decided_by: str
    reasons: str
    model_output_shown: bool
    model_output: float | None
    decided_at: datetime


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def check_reasons(reasons: str, model_output: float | None = None) -> None:
    """Refuse reasons that are empty, too short, or just restate the model's output."""
    text = (reasons or "").strip()
    words = _words(text)
    if len(words) < MIN_REASON_WORDS:
        raise UsageError(
            "a decision needs the professional's own reasons",
            hint=f"Write at least {MIN_REASON_WORDS} words: what you know of the child, and why.",
        )
    own = [w for w in words if w not in _SCORE_WORDS]
    if len(own) < MIN_REASON_WORDS // 2 or len(own) / len(words) < 0.5:
        raise UsageError(
            "the reasons only restate the model's output",
            hint="Say what you know of the child and family; a score alone is not a reason.",
        )


def make_decision(
    *,
    model: str,
    subject: str,
    decision: Decision | str,
    decided_by: str,
    reasons: str,
    model_output: float | None = None,
    model_output_shown: bool = False,
    now: datetime | None = None,
) -> DecisionRecord:
    """Build a decision record; refuses without a named professional and their own reasons."""
    if not (decided_by or "").strip():
        raise UsageError("a decision must name the professional who made it", hint="Sign in, or give --user.")
    if not (subject or "").strip():
        raise UsageError("a decision must say which child (pseudonymous reference) it concerns")
    try:
        chosen = Decision(decision)
    except ValueError as error:
        raise UsageError(
            f"'{decision}' is not a decision", hint="One of: " + ", ".join(d.value for d in Decision)
        ) from error
    check_reasons(reasons, model_output)
    return DecisionRecord(
        model=model,
        subject=subject.strip(),
        decision=chosen,
        decided_by=decided_by.strip(),
        reasons=reasons.strip(),
        model_output_shown=model_output_shown,
        model_output=model_output,
        decided_at=now or datetime.now(UTC),
    )
