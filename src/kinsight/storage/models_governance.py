"""App-database tables for the governance lifecycle.

Everything here is append-only except ``gov_projects.stage`` (the current stage, kept for quick
listing; the full story is in ``gov_stage_moves``).  Nothing is ever deleted: answers, sign-offs,
risks, evidence and published records get new versions instead, and a guard below refuses deletes
and updates of the append-only tables at the ORM level.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from kinsight.storage.appdb import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class GovProject(Base):
    __tablename__ = "gov_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    la_code: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


class GovStageMove(Base):
    __tablename__ = "gov_stage_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(40))
    to_stage: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10))  # create | forward | back
    reason: Mapped[str] = mapped_column(Text, default="")
    gate: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    moved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    moved_by: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(60))


class GovAnswerSet(Base):
    __tablename__ = "gov_answer_sets"
    __table_args__ = (UniqueConstraint("project_id", "instrument", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(60))
    instrument_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(60))


class GovSignoff(Base):
    __tablename__ = "gov_signoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    role: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(60))
    signed_by: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))


class GovRisk(Base):
    __tablename__ = "gov_risks"
    __table_args__ = (UniqueConstraint("project_id", "ref", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    row: Mapped[dict[str, Any]] = mapped_column(JSON)
    level: Mapped[str | None] = mapped_column(String(10))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))


class GovEvidence(Base):
    __tablename__ = "gov_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(100), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))


class GovExternalValidation(Base):
    __tablename__ = "gov_external_validations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    validator: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    validated: Mapped[bool] = mapped_column(Boolean)
    summary: Mapped[str] = mapped_column(Text)
    validated_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))


class GovScopeChange(Base):
    __tablename__ = "gov_scope_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    answer_versions: Mapped[dict[str, int]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))


class GovTransparencyRecord(Base):
    """A published ATRS record: each publication is a new version; retiring publishes a 'retired' one."""

    __tablename__ = "gov_transparency_records"
    __table_args__ = (UniqueConstraint("project_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("gov_projects.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str] = mapped_column(String(200))


APPEND_ONLY = (
    GovStageMove,
    GovAnswerSet,
    GovSignoff,
    GovRisk,
    GovEvidence,
    GovExternalValidation,
    GovScopeChange,
    GovTransparencyRecord,
)
GOVERNANCE_TABLES = [GovProject.__table__, *(model.__table__ for model in APPEND_ONLY)]


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to change or delete a governance record (a programming error)."""


def _refuse(kind: str) -> Any:
    def listener(_mapper: Any, _connection: Any, target: Any) -> None:
        raise AppendOnlyViolation(
            f"{type(target).__tablename__} rows are never {kind}; add a new version instead"
        )

    return listener


for _model in APPEND_ONLY:
    event.listen(_model, "before_update", _refuse("updated"))
    event.listen(_model, "before_delete", _refuse("deleted"))
event.listen(GovProject, "before_delete", _refuse("deleted"))
