"""App-database tables for evaluation: the model registry, shadow runs and professionals' decision records.

Child-level data never goes here: shadow outputs (a score per child) stay in the analytical store
(table ``_shadow_outputs``); a shadow run here records only when, what and how many.  Decision records
name the child by the pseudonymous reference the professional sees, with the decision and its reasons.
Decision records are append-only: a changed decision is a new record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
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


class EvalModel(Base):
    """A registered model; ``mode`` is shadow (outputs hidden), advisory (shown as advice) or retired."""

    __tablename__ = "eval_models"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(20), default="shadow")
    purpose: Mapped[str] = mapped_column(Text, default="")
    threshold: Mapped[float] = mapped_column(Float, default=0.5)
    show_score: Mapped[bool] = mapped_column(Boolean, default=False)
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(200))


class EvalShadowRun(Base):
    __tablename__ = "eval_shadow_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("eval_models.id"), index=True)
    run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    scored: Mapped[int] = mapped_column(Integer)
    data_as_at: Mapped[str] = mapped_column(String(40), default="")
    comparison: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class EvalDecision(Base):
    """One professional's decision about one child, with their own reasons (required)."""

    __tablename__ = "eval_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("eval_models.id"), index=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    decision: Mapped[str] = mapped_column(String(40))
    decided_by: Mapped[str] = mapped_column(String(200))
    reasons: Mapped[str] = mapped_column(Text)
    model_output_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    model_output: Mapped[float | None] = mapped_column(Float)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@event.listens_for(EvalDecision, "before_update")
def _decisions_are_append_only(*_: object) -> None:
    raise ValueError("decision records are append-only: record a new decision instead")
