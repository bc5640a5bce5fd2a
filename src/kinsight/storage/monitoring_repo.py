"""Reading and writing monitoring records in the app database.

``session(url)`` opens a transaction with the monitoring tables present (created if missing until the
shared migration adds them).  Other functions take that session; the service owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kinsight.errors import ConflictError, NotFoundError
from kinsight.storage.appdb import session_scope
from kinsight.storage.models_monitoring import (
    MonAlert,
    MonDeployment,
    MonFigure,
    MonLifecycleStep,
    MonReview,
    MonRun,
    MonVersion,
)
from kinsight.storage.models_platform import AuditRecord

session = session_scope  # the shared unit of work (storage.appdb)


# --- deployments and versions --------------------------------------------------------------------------


def find_deployment(s: Session, name: str) -> MonDeployment | None:
    return s.scalar(select(MonDeployment).where(MonDeployment.name == name))


def get_deployment(s: Session, name: str) -> MonDeployment:
    found = find_deployment(s, name)
    if found is None:
        raise NotFoundError(
            f"There is no deployment called '{name}'.", hint="Run 'kinsight monitor status' to list them."
        )
    return found


def list_deployments(s: Session) -> list[MonDeployment]:
    return list(s.scalars(select(MonDeployment).order_by(MonDeployment.name)))


def add_deployment(s: Session, **values: Any) -> MonDeployment:
    row = MonDeployment(**values)
    s.add(row)
    s.flush()
    return row


def versions(s: Session, deployment: MonDeployment) -> list[MonVersion]:
    return list(
        s.scalars(select(MonVersion).where(MonVersion.deployment_id == deployment.id).order_by(MonVersion.id))
    )


def find_version(s: Session, deployment: MonDeployment, version: str) -> MonVersion | None:
    return s.scalar(
        select(MonVersion).where(MonVersion.deployment_id == deployment.id, MonVersion.version == version)
    )


def get_version(s: Session, deployment: MonDeployment, version: str | None) -> MonVersion:
    """The named version, or the live one, or the newest registered."""
    if version is None:
        version = deployment.live_version
    if version is None:
        found = versions(s, deployment)
        if found:
            return found[-1]
    else:
        row = find_version(s, deployment, version)
        if row is not None:
            return row
    raise NotFoundError(
        f"Deployment '{deployment.name}' has no version {version or ''}".strip() + ".",
        hint=f"Run 'kinsight monitor status {deployment.name}' to see its versions.",
    )


def add_version(s: Session, deployment: MonDeployment, **values: Any) -> MonVersion:
    if find_version(s, deployment, values["version"]) is not None:
        raise ConflictError(
            f"Deployment '{deployment.name}' already has a version {values['version']}.",
            hint="Give the new version another name, e.g. the next number.",
        )
    row = MonVersion(deployment_id=deployment.id, **values)
    s.add(row)
    s.flush()
    return row


# --- runs, figures, alerts ------------------------------------------------------------------------------


def runs(s: Session, deployment: MonDeployment, since: dt.datetime | None = None) -> list[MonRun]:
    query = select(MonRun).where(MonRun.deployment_id == deployment.id)
    if since is not None:
        query = query.where(MonRun.run_at > since)
    return list(s.scalars(query.order_by(MonRun.run_at, MonRun.id)))


def last_run(s: Session, deployment: MonDeployment) -> MonRun | None:
    return s.scalar(
        select(MonRun)
        .where(MonRun.deployment_id == deployment.id)
        .order_by(MonRun.run_at.desc(), MonRun.id.desc())
        .limit(1)
    )


def add_run(s: Session, deployment: MonDeployment, figures: list[dict[str, Any]], **values: Any) -> MonRun:
    run = MonRun(deployment_id=deployment.id, **values)
    s.add(run)
    s.flush()
    s.add_all(MonFigure(run_id=run.id, **f) for f in figures)
    return run


def figures(s: Session, deployment: MonDeployment, section: str) -> list[tuple[MonRun, MonFigure]]:
    rows = s.execute(
        select(MonRun, MonFigure)
        .join(MonFigure, MonFigure.run_id == MonRun.id)
        .where(MonRun.deployment_id == deployment.id, MonFigure.section == section)
        .order_by(MonRun.run_at, MonRun.id, MonFigure.id)
    )
    return [(r, f) for r, f in rows]


def add_alert(s: Session, **values: Any) -> MonAlert:
    row = MonAlert(**values)
    s.add(row)
    s.flush()
    return row


def alerts(
    s: Session,
    *,
    deployment: MonDeployment | None = None,
    owner: str | None = None,
    project: str | None = None,
    open_only: bool = False,
) -> list[MonAlert]:
    query = select(MonAlert)
    if deployment is not None:
        query = query.where(MonAlert.deployment_id == deployment.id)
    if owner is not None:
        query = query.where(MonAlert.owner == owner)
    if project is not None:
        query = query.where(MonAlert.project == project)
    if open_only:
        query = query.where(MonAlert.acknowledged_at.is_(None))
    return list(s.scalars(query.order_by(MonAlert.raised_at.desc(), MonAlert.id.desc())))


def get_alert(s: Session, alert_id: int) -> MonAlert:
    row = s.get(MonAlert, alert_id)
    if row is None:
        raise NotFoundError(f"There is no alert {alert_id}.", hint="Run 'kinsight monitor alerts'.")
    return row


# --- reviews and lifecycle ------------------------------------------------------------------------------


def reviews(s: Session, deployment: MonDeployment) -> list[MonReview]:
    return list(
        s.scalars(
            select(MonReview)
            .where(MonReview.deployment_id == deployment.id)
            .order_by(MonReview.held_on, MonReview.id)
        )
    )


def add_review(s: Session, deployment: MonDeployment, **values: Any) -> MonReview:
    row = MonReview(deployment_id=deployment.id, **values)
    s.add(row)
    s.flush()
    return row


def steps(s: Session, deployment: MonDeployment) -> list[MonLifecycleStep]:
    return list(
        s.scalars(
            select(MonLifecycleStep)
            .where(MonLifecycleStep.deployment_id == deployment.id)
            .order_by(MonLifecycleStep.at, MonLifecycleStep.id)
        )
    )


def add_step(s: Session, deployment: MonDeployment, **values: Any) -> MonLifecycleStep:
    row = MonLifecycleStep(deployment_id=deployment.id, **values)
    s.add(row)
    s.flush()
    return row


# --- usage from the audit log ---------------------------------------------------------------------------


def usage_events(s: Session, name: str, since: dt.datetime | None, until: dt.datetime) -> int:
    """Audit records naming the deployment: its outputs and views of its pages (not monitoring's own steps).

    The audit log keeps naive UTC times.
    """
    query = (
        select(func.count())
        .select_from(AuditRecord)
        .where(
            or_(
                AuditRecord.target == f"deployment/{name}",
                AuditRecord.target.like(f"% /monitoring/deployments/{name}"),
                AuditRecord.target.like(f"% /api/v1/monitoring/deployments/{name}"),
            ),
            or_(AuditRecord.action == "monitoring.output", AuditRecord.action.not_like("monitoring.%")),
            AuditRecord.at <= until.astimezone(dt.UTC).replace(tzinfo=None),
        )
    )
    if since is not None:
        query = query.where(AuditRecord.at > since.astimezone(dt.UTC).replace(tzinfo=None))
    return int(s.scalar(query) or 0)
