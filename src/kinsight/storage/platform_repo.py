"""Queries of the platform tables.  Services call these; nothing above storage writes SQL.

The one delicate function is ``append_audit``: appends are serialised so the chain stays valid when
several threads and web worker processes write at once (a per-process lock, then ``SELECT ... FOR
UPDATE`` on the head row on PostgreSQL or ``BEGIN IMMEDIATE`` on SQLite, which takes the database
write lock before reading the head).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kinsight.domain.audit import AuditEntry, chain_hash
from kinsight.storage.appdb import ensure_db, session_scope
from kinsight.storage.models_platform import (
    ApiToken,
    AuditFlag,
    AuditHead,
    AuditRecord,
    Challenge,
    ChallengeEvent,
    Membership,
    User,
)

session = session_scope  # the shared unit of work (storage.appdb)

#: One lock per database URL: appends from the threads of one process wait here, in order.
_CHAIN_LOCKS: dict[str, threading.Lock] = {}
_CHAIN_LOCKS_GUARD = threading.Lock()


def engine(url: str) -> Engine:
    return ensure_db(url)


# --- users ---------------------------------------------------------------------------------------------


def user_by_username(s: Session, username: str) -> User | None:
    return s.execute(select(User).where(User.username == username)).scalar_one_or_none()


def user_by_oidc(s: Session, subject: str) -> User | None:
    return s.execute(select(User).where(User.oidc_subject == subject)).scalar_one_or_none()


def user_by_email(s: Session, email: str) -> User | None:
    return s.execute(select(User).where(func.lower(User.email) == email.lower())).scalar_one_or_none()


def role_of(s: Session, user_id: int, la_code: str) -> str | None:
    return s.execute(
        select(Membership.role).where(Membership.user_id == user_id, Membership.la_code == la_code)
    ).scalar_one_or_none()


def set_role(s: Session, user_id: int, la_code: str, role: str) -> None:
    row = s.execute(
        select(Membership).where(Membership.user_id == user_id, Membership.la_code == la_code)
    ).scalar_one_or_none()
    if row is None:
        s.add(Membership(user_id=user_id, la_code=la_code, role=role))
    else:
        row.role = role


def users_with_roles(s: Session, la_code: str) -> list[tuple[User, str | None]]:
    rows = s.execute(
        select(User, Membership.role)
        .outerjoin(Membership, (Membership.user_id == User.id) & (Membership.la_code == la_code))
        .order_by(User.username)
    ).all()
    return [(u, r) for u, r in rows]


# --- tokens --------------------------------------------------------------------------------------------


def token_by_id(s: Session, token_id: str) -> ApiToken | None:
    return s.get(ApiToken, token_id)


def tokens_of(s: Session, user_id: int | None = None) -> list[ApiToken]:
    q = select(ApiToken).order_by(ApiToken.created_at, ApiToken.id)
    if user_id is not None:
        q = q.where(ApiToken.user_id == user_id)
    return list(s.execute(q).scalars())


# --- audit ---------------------------------------------------------------------------------------------


# The append's three statements, built once (building them costs more than running them on SQLite).
_HEAD = AuditHead.__table__
_READ_HEAD = select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == 1).with_for_update()
_INSERT_RECORD = insert(AuditRecord.__table__)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1, _HEAD.c.last_seq == bindparam("old_seq"))
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)


def _chain_lock(url: str) -> threading.Lock:
    with _CHAIN_LOCKS_GUARD:
        lock = _CHAIN_LOCKS.get(url)
        if lock is None:
            lock = _CHAIN_LOCKS[url] = threading.Lock()
        return lock


def append_audit(url: str, build: Callable[[int], AuditEntry]) -> AuditRecord:
    """Append one record to the chain under the chain lock; ``build(seq)`` makes its content.

    One short transaction reads the head row, inserts the record and moves the head.  Threads of one
    process queue on a Python lock first, so they never spin in SQLite's busy handler (which sleeps in
    steps of up to 100 ms) and hold at most one pooled connection between them; other processes are
    kept out by the database itself: ``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on the
    head row on PostgreSQL.  Nothing is buffered: when this returns the record is committed.
    """
    eng = engine(url)
    with _chain_lock(url), eng.connect() as conn:
        if eng.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
        try:
            last_seq, last_hash = conn.execute(_READ_HEAD).one()
            entry = build(int(last_seq) + 1)
            digest = chain_hash(last_hash, entry)
            values = {
                "seq": entry.seq,
                "at": entry.at,
                "la_code": entry.la_code,
                "actor": entry.actor,
                "action": entry.action,
                "target": entry.target,
                "outcome": entry.outcome,
                "details": json.dumps(entry.details, sort_keys=True, default=str),
                "prev_hash": last_hash,
                "hash": digest,
            }
            conn.execute(_INSERT_RECORD, values)
            moved = conn.execute(
                _MOVE_HEAD, {"old_seq": last_seq, "new_seq": entry.seq, "new_hash": digest}
            ).rowcount
            if moved != 1:  # cannot happen under the lock; refuse rather than fork the chain
                raise RuntimeError("the audit chain head moved during an append")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return AuditRecord(**values)


def audit_head(s: Session) -> AuditHead:
    return s.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()


def iter_audit(s: Session, batch: int = 2000) -> Iterator[AuditRecord]:
    """Every record in storage order of ``seq`` (read in batches so long logs stay in bounded memory)."""
    last = 0
    while True:
        rows = list(
            s.execute(
                select(AuditRecord).where(AuditRecord.seq > last).order_by(AuditRecord.seq).limit(batch)
            ).scalars()
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def iter_audit_physical(s: Session) -> Iterator[AuditRecord]:
    """Records in the order the database returns them without sorting (rowid order on SQLite)."""
    yield from s.execute(select(AuditRecord)).scalars()


def count_actions(
    s: Session,
    *,
    actor: str | None = None,
    action: str,
    target: str | None = None,
    outcome: str | None = None,
    since: datetime,
) -> int:
    q = (
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.action == action, AuditRecord.at >= since)
    )
    if actor is not None:
        q = q.where(AuditRecord.actor == actor)
    if target is not None:
        q = q.where(AuditRecord.target == target)
    if outcome is not None:
        q = q.where(AuditRecord.outcome == outcome)
    return int(s.execute(q).scalar_one())


def recent_audit(
    s: Session, *, limit: int, offset: int = 0, actor: str | None = None, action: str | None = None
) -> list[AuditRecord]:
    q = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit).offset(offset)
    if actor:
        q = q.where(AuditRecord.actor == actor)
    if action:
        q = q.where(AuditRecord.action == action)
    return list(s.execute(q).scalars())


def add_flags(s: Session, seq: int, reasons: Sequence[str], at: datetime) -> None:
    for reason in reasons:
        s.add(AuditFlag(seq=seq, reason=reason, raised_at=at))


def flagged(s: Session, since: datetime | None = None) -> list[tuple[AuditFlag, AuditRecord]]:
    q = select(AuditFlag, AuditRecord).join(AuditRecord, AuditRecord.seq == AuditFlag.seq)
    if since is not None:
        q = q.where(AuditRecord.at >= since)
    return [(f, r) for f, r in s.execute(q.order_by(AuditRecord.seq.desc(), AuditFlag.reason)).all()]


# --- challenges ----------------------------------------------------------------------------------------


def challenge_by_reference(s: Session, reference: str) -> Challenge | None:
    return s.execute(select(Challenge).where(Challenge.reference == reference)).scalar_one_or_none()


def challenges(
    s: Session, *, la_code: str, raised_by: int | None = None, status: str | None = None
) -> list[Challenge]:
    q = (
        select(Challenge)
        .where(Challenge.la_code == la_code)
        .order_by(Challenge.created_at.desc(), Challenge.id.desc())
    )
    if raised_by is not None:
        q = q.where(Challenge.raised_by == raised_by)
    if status:
        q = q.where(Challenge.status == status)
    return list(s.execute(q).scalars())


def challenge_events(s: Session, challenge_id: int) -> list[ChallengeEvent]:
    q = select(ChallengeEvent).where(ChallengeEvent.challenge_id == challenge_id).order_by(ChallengeEvent.id)
    return list(s.execute(q).scalars())


def challenge_counts(s: Session, *, la_code: str, since: datetime | None) -> dict[str, int]:
    q = select(Challenge.status, func.count()).where(Challenge.la_code == la_code).group_by(Challenge.status)
    if since is not None:
        q = q.where(Challenge.created_at >= since)
    return {status: int(n) for status, n in s.execute(q).all()}


def migrate(url: str) -> None:
    """Alembic upgrade to the newest schema."""
    from kinsight.storage.appdb import init_db

    init_db(url)
