"""Queries of the practitioner tables (caseloads, access grants).  Services call these."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinsight.storage.models_practitioner import AccessGrant, CaseloadEntry


def caseload(s: Session, username: str) -> list[CaseloadEntry]:
    q = (
        select(CaseloadEntry)
        .where(CaseloadEntry.username == username, CaseloadEntry.ended_at.is_(None))
        .order_by(CaseloadEntry.child_id)
    )
    return list(s.execute(q).scalars())


def holders_of(s: Session, child_id: str) -> list[CaseloadEntry]:
    q = select(CaseloadEntry).where(CaseloadEntry.child_id == child_id, CaseloadEntry.ended_at.is_(None))
    return list(s.execute(q.order_by(CaseloadEntry.username)).scalars())


def open_entry(s: Session, username: str, child_id: str) -> CaseloadEntry | None:
    q = select(CaseloadEntry).where(
        CaseloadEntry.username == username,
        CaseloadEntry.child_id == child_id,
        CaseloadEntry.ended_at.is_(None),
    )
    return s.execute(q).scalars().first()


def active_grant(s: Session, username: str, child_id: str, now: datetime) -> AccessGrant | None:
    q = (
        select(AccessGrant)
        .where(
            AccessGrant.username == username,
            AccessGrant.child_id == child_id,
            AccessGrant.expires_at > now,
        )
        .order_by(AccessGrant.granted_at.desc())
    )
    return s.execute(q).scalars().first()


def break_glass_grants(s: Session, *, pending_only: bool) -> list[AccessGrant]:
    q = select(AccessGrant).where(AccessGrant.break_glass.is_(True))
    if pending_only:
        q = q.where(AccessGrant.reviewed_at.is_(None))
    return list(s.execute(q.order_by(AccessGrant.granted_at.desc(), AccessGrant.id.desc())).scalars())
