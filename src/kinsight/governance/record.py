"""A project's governance record as plain values: what the gates read and the exports draw on.

Storage builds one of these from the app database; the gates and builders never touch a database,
which keeps them easy to test and lets the web app reuse them unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kinsight.governance.vocabulary import EvidenceKind, SignoffRole, Stage


@dataclass(frozen=True)
class AnswerSet:
    instrument: str
    version: int
    instrument_version: int
    answers: dict[str, Any]
    recorded_at: dt.datetime
    recorded_by: str


@dataclass(frozen=True)
class Signoff:
    role: SignoffRole
    subject: str
    user: str
    stage: Stage
    signed_at: dt.datetime
    recorded_by: str
    note: str = ""


@dataclass(frozen=True)
class Evidence:
    """A Kinsight result as a gate saw it: data-quality score, privacy report or evaluation."""

    kind: EvidenceKind
    subject: str
    payload: dict[str, Any]
    source: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class ExternalValidation:
    validator: str
    organisation: str
    validated: bool
    summary: str
    validated_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str


@dataclass(frozen=True)
class ScopeChange:
    description: str
    recorded_at: dt.datetime
    recorded_by: str
    answer_versions: dict[str, int]
    """Latest answer version of each reopened instrument when the scope changed (0 = none yet)."""


@dataclass(frozen=True)
class Risk:
    ref: str
    version: int
    row: dict[str, Any]
    level: str | None
    recorded_at: dt.datetime


@dataclass(frozen=True)
class StageMove:
    from_stage: Stage | None
    to_stage: Stage
    direction: str
    reason: str
    moved_at: dt.datetime
    moved_by: str


@dataclass(frozen=True)
class ProjectRecord:
    name: str
    title: str
    stage: Stage
    created_at: dt.datetime
    created_by: str
    answers: dict[str, AnswerSet] = field(default_factory=dict)
    signoffs: tuple[Signoff, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    validations: tuple[ExternalValidation, ...] = ()
    scope_changes: tuple[ScopeChange, ...] = ()
    risks: tuple[Risk, ...] = ()
    history: tuple[StageMove, ...] = ()

    def answer(self, instrument: str, question: str, default: Any = None) -> Any:
        answer_set = self.answers.get(instrument)
        if answer_set is None:
            return default
        return answer_set.answers.get(question, default)

    @property
    def profile(self) -> dict[str, Any]:
        found = self.answers.get("project_profile")
        return dict(found.answers) if found else {}

    @property
    def last_back_move(self) -> dt.datetime | None:
        backs = [m.moved_at for m in self.history if m.direction == "back"]
        return max(backs) if backs else None

    def latest_evidence(self, kind: EvidenceKind, subject: str | None = None) -> Evidence | None:
        """Newest evidence of a kind (and subject).

        An evaluation older than the last move back describes a tool that has since been reworked, so
        it no longer counts; data quality and privacy reports are about the data and still stand.
        """
        cutoff = self.last_back_move if kind is EvidenceKind.EVALUATION else None
        found = [
            e
            for e in self.evidence
            if e.kind == kind
            and (subject is None or e.subject == subject)
            and (cutoff is None or e.recorded_at > cutoff)
        ]
        return max(found, key=lambda e: e.recorded_at) if found else None

    def current_validations(self) -> list[ExternalValidation]:
        cutoff = self.last_back_move
        return [v for v in self.validations if cutoff is None or v.recorded_at > cutoff]

    def reopened(self) -> dict[str, int]:
        """Instruments reopened by the latest scope change that have not been answered again since."""
        if not self.scope_changes:
            return {}
        latest = max(self.scope_changes, key=lambda c: c.recorded_at)
        pending: dict[str, int] = {}
        for instrument, version_then in latest.answer_versions.items():
            current = self.answers.get(instrument)
            if current is None or current.version <= version_then:
                pending[instrument] = version_then
        return pending
