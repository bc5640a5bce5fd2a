"""The audit log service: append a hash-chained record, check the chain, list records and flags.

``record`` is the one function every area calls (docs/CONVENTIONS.md).  Records touching child-level
data are checked against the suspicious-access rules and flagged for information governance.  Python
logging never receives a record's details: they can hold search terms, which are child-level values.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kinsight.domain.audit import (
    CHILD_LEVEL_ACTIONS,
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    Outcome,
    SuspiciousAccessRules,
    chain_hash,
    default_rules,
    evaluate_flags,
    parse_rules,
)
from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import ConfigurationError
from kinsight.settings import Settings
from kinsight.storage import platform_repo as repo

log = logging.getLogger(__name__)


def now_utc() -> datetime:
    """Naive UTC now; a module function so tests can move the clock."""
    return datetime.now(UTC).replace(tzinfo=None)


def rules_for(settings: Settings) -> SuspiciousAccessRules:
    """The suspicious-access thresholds: the built-in ones, or ``<home>/audit-rules.yaml`` when present."""
    override = settings.home / "audit-rules.yaml"
    if not override.exists():
        return default_rules()
    try:
        merged = {**default_rules().model_dump(), **(json.loads(json.dumps(_yaml(override))) or {})}
        return parse_rules(json.dumps(merged))
    except ValueError as error:
        raise ConfigurationError(
            f"{override} is not valid: {error}", hint="Fix or delete the file."
        ) from error


def _yaml(path: Any) -> Any:

    return read_yaml(path)


def _normalise(details: dict[str, Any] | None) -> dict[str, Any]:
    return json.loads(json.dumps(details or {}, sort_keys=True, default=str))


def record(
    settings: Settings,
    *,
    actor: str,
    action: str,
    target: str,
    outcome: str = "allowed",
    details: dict[str, Any] | None = None,
) -> int:
    """Append one record to the chain and return its sequence number; flags it when the rules say so."""
    url = settings.app_database_url
    clean = _normalise(details)
    at = now_utc()
    action_text = str(action)
    reasons: list[str] = []
    if action_text in CHILD_LEVEL_ACTIONS:
        rules = rules_for(settings)
        with repo.session(url) as s:
            user = repo.user_by_username(s, actor)
            views = (
                repo.count_actions(
                    s, actor=actor, action=AuditAction.CHILD_VIEW, since=at - timedelta(hours=1)
                )
                + 1
                if action_text == AuditAction.CHILD_VIEW
                else 0
            )
            searches, opened = 0, 0
            if action_text == AuditAction.CHILD_SEARCH:
                window = at - timedelta(minutes=rules.searches_window_minutes)
                searches = 1 + repo.count_actions(
                    s, actor=actor, action=AuditAction.CHILD_SEARCH, since=window
                )
                opened = repo.count_actions(
                    s, actor=actor, action=AuditAction.CHILD_VIEW, outcome=Outcome.ALLOWED, since=window
                )
        local = at.replace(tzinfo=UTC).astimezone(ZoneInfo(rules.timezone))
        reasons = [
            r.value
            for r in evaluate_flags(
                rules,
                action=action_text,
                details=clean,
                at_local=local,
                own_surname=user.surname if user else None,
                own_address=user.address if user else None,
                child_views_last_hour=views,
                searches_in_window=searches,
                views_in_window=opened,
            )
        ]

    def build(seq: int) -> AuditEntry:
        return AuditEntry(
            seq=seq,
            at=at,
            la_code=settings.la_code,
            actor=str(actor),
            action=action_text,
            target=str(target)[:400],
            outcome=str(outcome),
            details=clean,
        )

    row = repo.append_audit(url, build)
    if reasons:
        with repo.session(url) as s:
            repo.add_flags(s, row.seq, reasons, at)
        log.info("audit record %s flagged for information governance: %s", row.seq, ", ".join(reasons))
    return row.seq


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    records: int
    broken_seq: int | None = None
    problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "broken_seq": self.broken_seq,
            "problem": self.problem,
        }


def _entry_of(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        la_code=row.la_code,
        actor=row.actor,
        action=row.action,
        target=row.target,
        outcome=row.outcome,
        details=json.loads(row.details),
    )


def verify(settings: Settings) -> VerifyReport:
    """Walk the chain from the first record; name the first record where it breaks.

    A record whose own hash does not match its content was edited.  A record whose ``prev_hash`` is not
    the previous record's hash, or a gap in the numbering, means a record before it was deleted,
    edited or moved.  The head row catches records removed from the end.
    """
    expected_seq, expected_prev, count = 1, GENESIS_HASH, 0
    with repo.session(settings.app_database_url) as s:
        for row in repo.iter_audit(s):
            count += 1
            if row.seq != expected_seq:
                return VerifyReport(
                    False, count, expected_seq, f"record {expected_seq} is missing (deleted or renumbered)"
                )
            if row.prev_hash != expected_prev:
                return VerifyReport(
                    False,
                    count,
                    row.seq,
                    f"record {row.seq} does not follow record {row.seq - 1}: "
                    "a record was edited, deleted or moved",
                )
            try:
                recomputed = chain_hash(row.prev_hash, _entry_of(row))
            except ValueError:
                recomputed = ""
            if recomputed != row.hash:
                return VerifyReport(
                    False, count, row.seq, f"record {row.seq} was changed after it was written"
                )
            expected_prev, expected_seq = row.hash, row.seq + 1
        head = repo.audit_head(s)
        if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
            return VerifyReport(
                False,
                count,
                expected_seq,
                f"the log ends at record {expected_seq - 1} but {head.last_seq} were written: "
                "records were removed",
            )
    return VerifyReport(True, count)


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    outcome: str
    details: dict[str, Any]
    flags: tuple[str, ...] = ()


def recent(
    settings: Settings,
    *,
    limit: int = 50,
    offset: int = 0,
    actor: str | None = None,
    action: str | None = None,
) -> list[AuditRow]:
    """Newest records first.  Details may hold child-level values: only information governance reads this."""
    with repo.session(settings.app_database_url) as s:
        rows = repo.recent_audit(s, limit=limit, offset=offset, actor=actor, action=action)
        return [
            AuditRow(r.seq, r.at, r.actor, r.action, r.target, r.outcome, json.loads(r.details)) for r in rows
        ]


def flags(settings: Settings, since: datetime | None = None) -> list[AuditRow]:
    """Flagged records, newest first, one row per record with every reason it was flagged for."""
    with repo.session(settings.app_database_url) as s:
        found = repo.flagged(s, since)
    grouped: dict[int, AuditRow] = {}
    for flag, r in found:
        row = grouped.get(r.seq) or AuditRow(
            r.seq, r.at, r.actor, r.action, r.target, r.outcome, json.loads(r.details)
        )
        grouped[r.seq] = AuditRow(**{**row.__dict__, "flags": (*row.flags, flag.reason)})
    return sorted(grouped.values(), key=lambda row: row.seq, reverse=True)
