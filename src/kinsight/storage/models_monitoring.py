"""App-database tables for monitoring deployed tools: deployments and their versions, monitoring runs
and their figures, alerts, reviews and retirement steps.

Only aggregate figures are kept here (a PSI per field, a recall per group, counts); the reference and
current data stay in files in the Kinsight home.  Runs, figures, reviews and retirement steps are
records of what happened and are never changed; a deployment's status and an alert's acknowledgement
are the only things updated in place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kinsight.storage.appdb import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class MonDeployment(Base):
    """A tool in use (a model or an indicator set), linked to its governance project by name."""

    __tablename__ = "mon_deployments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    project: Mapped[str] = mapped_column(String(100), default="")
    owner: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    live_version: Mapped[str | None] = mapped_column(String(40))
    went_live_on: Mapped[dt.date | None] = mapped_column(Date)
    early_interval_months: Mapped[int] = mapped_column(Integer, default=1)
    early_period_months: Mapped[int] = mapped_column(Integer, default=6)
    interval_months: Mapped[int] = mapped_column(Integer, default=3)
    current_path: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


class MonVersion(Base):
    """One version of a tool: the data it learned from (fingerprint) and its approved thresholds."""

    __tablename__ = "mon_versions"
    __table_args__ = (UniqueConstraint("deployment_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("mon_deployments.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    reference_path: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    reference_rows: Mapped[int] = mapped_column(Integer)
    fields: Mapped[list[str]] = mapped_column(JSON)
    categorical: Mapped[list[str]] = mapped_column(JSON)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON)
    accuracy_thresholds: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    evaluation_passed: Mapped[bool | None] = mapped_column(Boolean)
    evaluated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(200))


class MonRun(Base):
    __tablename__ = "mon_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("mon_deployments.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))
    run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    triggered_by: Mapped[str] = mapped_column(String(200))
    current_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    current_rows: Mapped[int] = mapped_column(Integer, default=0)
    breached: Mapped[bool] = mapped_column(Boolean, default=False)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON)


class MonFigure(Base):
    """One number from one run, kept for charts over time."""

    __tablename__ = "mon_figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("mon_runs.id"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    breached: Mapped[bool] = mapped_column(Boolean, default=False)


class MonAlert(Base):
    """A breach, addressed to the deployment's owner and shown on the project's monitoring page."""

    __tablename__ = "mon_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("mon_deployments.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("mon_runs.id"))
    project: Mapped[str] = mapped_column(String(100), default="")
    owner: Mapped[str] = mapped_column(String(200), index=True)
    section: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(20), default="")
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))


class MonReview(Base):
    """A scheduled review: checklist answers, monitoring evidence since the last one, decision, sign-off."""

    __tablename__ = "mon_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("mon_deployments.id"), index=True)
    version: Mapped[str] = mapped_column(String(40), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    held_on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    signed_off_by: Mapped[str] = mapped_column(String(200))
    signed_off_role: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    follow_up: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class MonLifecycleStep(Base):
    """One step of a deployment's life: go-live, deprecation, decommissioning or a reversal."""

    __tablename__ = "mon_lifecycle_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("mon_deployments.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


MONITORING_TABLES = [
    m.__table__ for m in (MonDeployment, MonVersion, MonRun, MonFigure, MonAlert, MonReview, MonLifecycleStep)
]
