"""Reading and appending governance records in the app database.

Every function takes an open SQLAlchemy ``Session``; the caller (a service) owns the transaction.
There are no delete or update functions apart from moving a project's current stage, on purpose.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinsight.errors import ConflictError, NotFoundError
from kinsight.governance.record import (
    AnswerSet,
    Evidence,
    ExternalValidation,
    ProjectRecord,
    Risk,
    ScopeChange,
    Signoff,
    StageMove,
)
from kinsight.governance.vocabulary import Actor, EvidenceKind, SignoffRole, Stage
from kinsight.storage.models_governance import (
    GovAnswerSet,
    GovEvidence,
    GovExternalValidation,
    GovProject,
    GovRisk,
    GovScopeChange,
    GovSignoff,
    GovStageMove,
    GovTransparencyRecord,
    utcnow,
)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def create_project(session: Session, *, name: str, title: str, la_code: str, actor: Actor) -> GovProject:
    if session.scalar(select(GovProject).where(GovProject.name == name)) is not None:
        raise ConflictError(f"A project called '{name}' already exists.", hint="Choose another name.")
    project = GovProject(
        name=name,
        title=title,
        la_code=la_code,
        stage=str(Stage.PROBLEM_IDENTIFICATION),
        created_by=actor.user,
    )
    session.add(project)
    session.flush()
    session.add(
        GovStageMove(
            project_id=project.id,
            from_stage=None,
            to_stage=str(Stage.PROBLEM_IDENTIFICATION),
            direction="create",
            reason="Project created",
            moved_by=actor.user,
            actor_role=actor.role,
        )
    )
    return project


def get_project(session: Session, name: str) -> GovProject:
    project = session.scalar(select(GovProject).where(GovProject.name == name))
    if project is None:
        raise NotFoundError(f"There is no project called '{name}'.", hint="Run 'kinsight project list'.")
    return project


def list_projects(session: Session) -> list[GovProject]:
    return list(session.scalars(select(GovProject).order_by(GovProject.name)))


def latest_answer_version(session: Session, project: GovProject, instrument: str) -> int:
    found = session.scalar(
        select(func.max(GovAnswerSet.version)).where(
            GovAnswerSet.project_id == project.id, GovAnswerSet.instrument == instrument
        )
    )
    return int(found or 0)


def latest_answers(session: Session, project: GovProject, instrument: str) -> GovAnswerSet | None:
    return session.scalar(
        select(GovAnswerSet)
        .where(GovAnswerSet.project_id == project.id, GovAnswerSet.instrument == instrument)
        .order_by(GovAnswerSet.version.desc())
        .limit(1)
    )


def add_answers(
    session: Session,
    project: GovProject,
    *,
    instrument: str,
    instrument_version: int,
    answers: dict[str, Any],
    actor: Actor,
) -> GovAnswerSet:
    row = GovAnswerSet(
        project_id=project.id,
        instrument=instrument,
        instrument_version=instrument_version,
        version=latest_answer_version(session, project, instrument) + 1,
        answers=answers,
        stage=project.stage,
        recorded_by=actor.user,
        actor_role=actor.role,
    )
    session.add(row)
    session.flush()
    return row


def answer_history(
    session: Session, project: GovProject, instrument: str | None = None
) -> list[GovAnswerSet]:
    query = select(GovAnswerSet).where(GovAnswerSet.project_id == project.id)
    if instrument:
        query = query.where(GovAnswerSet.instrument == instrument)
    return list(session.scalars(query.order_by(GovAnswerSet.instrument, GovAnswerSet.version)))


def add_signoff(
    session: Session,
    project: GovProject,
    *,
    role: SignoffRole,
    subject: str,
    user: str,
    note: str,
    actor: Actor,
) -> GovSignoff:
    row = GovSignoff(
        project_id=project.id,
        role=str(role),
        subject=subject,
        signed_by=user,
        stage=project.stage,
        note=note,
        recorded_by=actor.user,
    )
    session.add(row)
    session.flush()
    return row


def add_risks(
    session: Session, project: GovProject, rows: list[tuple[dict[str, Any], str | None]], actor: Actor
) -> list[GovRisk]:
    """Append one new version of each risk (by its ``ref``); a new ref starts at version 1."""
    added = []
    for row, level in rows:
        ref = str(row["ref"])
        current = session.scalar(
            select(func.max(GovRisk.version)).where(GovRisk.project_id == project.id, GovRisk.ref == ref)
        )
        risk = GovRisk(
            project_id=project.id,
            ref=ref,
            version=int(current or 0) + 1,
            row=row,
            level=level,
            recorded_by=actor.user,
        )
        session.add(risk)
        added.append(risk)
    session.flush()
    return added


def add_evidence(
    session: Session,
    project: GovProject,
    *,
    kind: EvidenceKind,
    subject: str,
    payload: dict[str, Any],
    source: str,
    actor: Actor,
) -> GovEvidence:
    row = GovEvidence(
        project_id=project.id,
        kind=str(kind),
        subject=subject,
        payload=payload,
        source=source,
        recorded_by=actor.user,
    )
    session.add(row)
    session.flush()
    return row


def latest_evidence_row(
    session: Session, project: GovProject, kind: EvidenceKind, subject: str
) -> GovEvidence | None:
    return session.scalar(
        select(GovEvidence)
        .where(
            GovEvidence.project_id == project.id,
            GovEvidence.kind == str(kind),
            GovEvidence.subject == subject,
        )
        .order_by(GovEvidence.id.desc())
        .limit(1)
    )


def add_validation(
    session: Session,
    project: GovProject,
    *,
    validator: str,
    organisation: str,
    validated: bool,
    summary: str,
    validated_on: dt.date,
    actor: Actor,
) -> GovExternalValidation:
    row = GovExternalValidation(
        project_id=project.id,
        validator=validator,
        organisation=organisation,
        validated=validated,
        summary=summary,
        validated_on=validated_on,
        recorded_by=actor.user,
    )
    session.add(row)
    session.flush()
    return row


def add_scope_change(
    session: Session, project: GovProject, *, description: str, reopened: list[str], actor: Actor
) -> GovScopeChange:
    versions = {instrument: latest_answer_version(session, project, instrument) for instrument in reopened}
    row = GovScopeChange(
        project_id=project.id,
        description=description,
        answer_versions=versions,
        stage=project.stage,
        recorded_by=actor.user,
    )
    session.add(row)
    session.flush()
    return row


def move_stage(
    session: Session,
    project: GovProject,
    *,
    to_stage: Stage,
    direction: str,
    reason: str,
    gate: dict[str, Any] | None,
    actor: Actor,
) -> GovStageMove:
    move = GovStageMove(
        project_id=project.id,
        from_stage=project.stage,
        to_stage=str(to_stage),
        direction=direction,
        reason=reason,
        gate=gate,
        moved_by=actor.user,
        actor_role=actor.role,
        moved_at=utcnow(),
    )
    session.add(move)
    project.stage = str(to_stage)
    session.flush()
    return move


def stage_moves(session: Session, project: GovProject) -> list[GovStageMove]:
    return list(
        session.scalars(
            select(GovStageMove).where(GovStageMove.project_id == project.id).order_by(GovStageMove.id)
        )
    )


def publish_record(
    session: Session, project: GovProject, record: dict[str, Any], actor: Actor
) -> GovTransparencyRecord:
    current = session.scalar(
        select(func.max(GovTransparencyRecord.version)).where(GovTransparencyRecord.project_id == project.id)
    )
    row = GovTransparencyRecord(
        project_id=project.id, version=int(current or 0) + 1, record=record, published_by=actor.user
    )
    session.add(row)
    session.flush()
    return row


def published_records(session: Session) -> list[tuple[GovProject, GovTransparencyRecord]]:
    """The newest published version of each project's transparency record."""
    newest = (
        select(GovTransparencyRecord.project_id, func.max(GovTransparencyRecord.version).label("version"))
        .group_by(GovTransparencyRecord.project_id)
        .subquery()
    )
    query = (
        select(GovProject, GovTransparencyRecord)
        .join(GovTransparencyRecord, GovTransparencyRecord.project_id == GovProject.id)
        .join(
            newest,
            (newest.c.project_id == GovTransparencyRecord.project_id)
            & (newest.c.version == GovTransparencyRecord.version),
        )
        .order_by(GovProject.name)
    )
    return [(p, r) for p, r in session.execute(query).all()]


def load_record(session: Session, project: GovProject) -> ProjectRecord:
    """Everything the gates and exports read, as plain frozen values."""
    pid = project.id
    answers: dict[str, AnswerSet] = {}
    for row in session.scalars(
        select(GovAnswerSet).where(GovAnswerSet.project_id == pid).order_by(GovAnswerSet.version)
    ):
        answers[row.instrument] = AnswerSet(
            row.instrument,
            row.version,
            row.instrument_version,
            dict(row.answers),
            aware(row.recorded_at),
            row.recorded_by,
        )
    signoffs = tuple(
        Signoff(
            SignoffRole(r.role),
            r.subject,
            r.signed_by,
            Stage(r.stage),
            aware(r.signed_at),
            r.recorded_by,
            r.note,
        )
        for r in session.scalars(
            select(GovSignoff).where(GovSignoff.project_id == pid).order_by(GovSignoff.id)
        )
    )
    evidence = tuple(
        Evidence(EvidenceKind(r.kind), r.subject, dict(r.payload), r.source, aware(r.recorded_at))
        for r in session.scalars(
            select(GovEvidence).where(GovEvidence.project_id == pid).order_by(GovEvidence.id)
        )
    )
    validations = tuple(
        ExternalValidation(
            r.validator,
            r.organisation,
            r.validated,
            r.summary,
            r.validated_on,
            aware(r.recorded_at),
            r.recorded_by,
        )
        for r in session.scalars(
            select(GovExternalValidation)
            .where(GovExternalValidation.project_id == pid)
            .order_by(GovExternalValidation.id)
        )
    )
    scope_changes = tuple(
        ScopeChange(r.description, aware(r.recorded_at), r.recorded_by, dict(r.answer_versions))
        for r in session.scalars(
            select(GovScopeChange).where(GovScopeChange.project_id == pid).order_by(GovScopeChange.id)
        )
    )
    latest_risks: dict[str, GovRisk] = {}
    for r in session.scalars(select(GovRisk).where(GovRisk.project_id == pid).order_by(GovRisk.version)):
        latest_risks[r.ref] = r
    risks = tuple(
        Risk(r.ref, r.version, dict(r.row), r.level, aware(r.recorded_at))
        for r in sorted(latest_risks.values(), key=lambda x: x.ref)
    )
    history = tuple(
        StageMove(
            Stage(m.from_stage) if m.from_stage else None,
            Stage(m.to_stage),
            m.direction,
            m.reason,
            aware(m.moved_at),
            m.moved_by,
        )
        for m in stage_moves(session, project)
    )
    return ProjectRecord(
        name=project.name,
        title=project.title,
        stage=Stage(project.stage),
        created_at=aware(project.created_at),
        created_by=project.created_by,
        answers=answers,
        signoffs=signoffs,
        evidence=evidence,
        validations=validations,
        scope_changes=scope_changes,
        risks=risks,
        history=history,
    )
