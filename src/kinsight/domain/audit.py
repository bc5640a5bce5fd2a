"""The audit log's vocabulary and its hash chain, as pure functions.

Each record's hash is sha256 over the previous record's hash followed by the canonical JSON of the
record's own fields.  Editing, deleting or reordering any record therefore breaks the chain at that
point, which is what ``kinsight audit verify`` looks for.  Nothing here touches a database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.yamlfiles import parse_yaml

GENESIS_HASH = "0" * 64
RULES_FILE = Path(__file__).with_name("audit_rules.yaml")


class AuditAction(StrEnum):
    """Actions Kinsight records.  Other areas may record their own dotted names; these are the shared ones."""

    SIGN_IN = "auth.sign_in"
    SIGN_OUT = "auth.sign_out"
    PERMISSION = "access.decision"
    CHILD_VIEW = "child.view"
    CHILD_SEARCH = "child.search"
    DATA_EXPORT = "data.export"
    DATA_LOAD = "data.load"
    USER_CREATE = "user.create"
    USER_CHANGE = "user.change"
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"
    CHALLENGE_CREATE = "challenge.create"
    CHALLENGE_UPDATE = "challenge.update"
    AUDIT_VERIFY = "audit.verify"


class Outcome(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"


class FlagReason(StrEnum):
    """Why information governance should look at a record."""

    OWN_NAME_OR_ADDRESS = "own_name_or_address"
    BULK_EXPORT = "bulk_export"
    UNUSUAL_VOLUME = "unusual_volume"
    OUT_OF_HOURS = "out_of_hours"
    SEARCHES_WITHOUT_OPENING = "searches_without_opening"
    BREAK_GLASS = "break_glass"


#: Actions that touch child-level data: these are the ones the suspicious-access rules watch.
CHILD_LEVEL_ACTIONS = frozenset({AuditAction.CHILD_VIEW, AuditAction.CHILD_SEARCH, AuditAction.DATA_EXPORT})


@dataclass(frozen=True)
class AuditEntry:
    """One record's hashed content.  ``at`` is UTC; ``details`` is JSON-serialisable."""

    seq: int
    at: datetime
    la_code: str
    actor: str
    action: str
    target: str
    outcome: str
    details: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": format_time(self.at),
            "la_code": self.la_code,
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "outcome": self.outcome,
            "details": self.details,
        }


def format_time(at: datetime) -> str:
    """A fixed text form of a UTC time (microseconds kept) so hashing does not depend on the database."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text kept as is: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, entry: AuditEntry) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_json(entry.payload()).encode("utf-8"))
    return digest.hexdigest()


class SuspiciousAccessRules(BaseModel):
    """Thresholds of the suspicious-access rules (``audit_rules.yaml``; a home may override them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    working_days: list[int] = Field(description="ISO weekdays counted as working days (1 = Monday).")
    working_hours_start: int = Field(ge=0, le=23)
    working_hours_end: int = Field(ge=1, le=24)
    timezone: str
    bulk_export_rows: int = Field(ge=1)
    child_views_per_hour: int = Field(ge=1)
    # Defaults keep older `<home>/audit-rules.yaml` overrides valid; the shipped file may set them.
    searches_without_opening: int = Field(
        default=20, ge=1, description="Searches in the window, with no record opened, that raise a flag."
    )
    searches_window_minutes: int = Field(default=60, ge=1)

    def out_of_hours(self, at_local: datetime) -> bool:
        if at_local.isoweekday() not in self.working_days:
            return True
        return not (self.working_hours_start <= at_local.hour < self.working_hours_end)


def parse_rules(text: str) -> SuspiciousAccessRules:
    return SuspiciousAccessRules.model_validate(parse_yaml(text))


@lru_cache(maxsize=1)
def default_rules() -> SuspiciousAccessRules:
    return parse_rules(RULES_FILE.read_text(encoding="utf-8"))


def _words(text: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 1}


def evaluate_flags(
    rules: SuspiciousAccessRules,
    *,
    action: str,
    details: dict[str, Any],
    at_local: datetime,
    own_surname: str | None,
    own_address: str | None,
    child_views_last_hour: int,
    searches_in_window: int = 0,
    views_in_window: int = 0,
) -> list[FlagReason]:
    """The suspicious-access rules for one record.  Only child-level actions can be flagged.

    - a search whose terms contain the searcher's own surname, or share the house number and street
      (or postcode) of the searcher's own address;
    - an export of more rows than ``bulk_export_rows``;
    - more than ``child_views_per_hour`` child views by one person within the last hour (this one included);
    - the ``searches_without_opening``-th search (or later) within ``searches_window_minutes`` by one
      person who opened no child's record in that window (``searches_in_window`` counts this one);
    - a child's record opened by break-glass (``details["basis"] == "break_glass"``): always reviewed;
    - any child-level access outside working days and hours.
    """
    if action not in CHILD_LEVEL_ACTIONS:
        return []
    reasons: list[FlagReason] = []
    if action == AuditAction.CHILD_SEARCH:
        terms = (
            " ".join(str(v) for v in (details.get("terms") or {}).values())
            if isinstance(details.get("terms"), dict)
            else str(details.get("terms") or "")
        )
        term_words = _words(terms)
        surname_hit = (
            bool(own_surname) and _words(own_surname or "") <= term_words and bool(_words(own_surname or ""))
        )
        address_hit = False
        if own_address:
            address_words = _words(own_address)
            shared = address_words & term_words
            # one shared word ("road") is chance; two (a number and a street, or both postcode halves) is not
            address_hit = len(shared) >= 2
        if surname_hit or address_hit:
            reasons.append(FlagReason.OWN_NAME_OR_ADDRESS)
    if (
        action == AuditAction.CHILD_SEARCH
        and searches_in_window >= rules.searches_without_opening
        and views_in_window == 0
    ):
        reasons.append(FlagReason.SEARCHES_WITHOUT_OPENING)
    if action == AuditAction.CHILD_VIEW and details.get("basis") == "break_glass":
        reasons.append(FlagReason.BREAK_GLASS)
    if action == AuditAction.DATA_EXPORT and int(details.get("rows") or 0) > rules.bulk_export_rows:
        reasons.append(FlagReason.BULK_EXPORT)
    if action == AuditAction.CHILD_VIEW and child_views_last_hour > rules.child_views_per_hour:
        reasons.append(FlagReason.UNUSUAL_VOLUME)
    if rules.out_of_hours(at_local):
        reasons.append(FlagReason.OUT_OF_HOURS)
    return reasons
