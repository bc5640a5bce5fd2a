"""Purpose-limited access: may this person open this child's record, and on what basis?

Pure decisions over facts the service gathers (caseload, recorded reasons).  The policy numbers live in
``access.yaml``.  The bases, from least to most exceptional:

- ``caseload``: the child is on the person's caseload; no reason needed;
- ``reason``: the person recorded why they need the record (or did so within ``reason_valid_hours``);
- ``break_glass``: urgent access outside the usual purposes; allowed, flagged to information
  governance at once, and kept in a queue until an officer reviews it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.roles import Role
from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import PermissionDeniedError, UsageError

POLICY_FILE = Path(__file__).with_name("access.yaml")


class Basis(StrEnum):
    CASELOAD = "caseload"
    REASON = "reason"
    BREAK_GLASS = "break_glass"


class AccessPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reason_valid_hours: int = Field(ge=1)
    min_reason_chars: int = Field(ge=1)
    caseload_managers: list[Role]
    caseload_holders: list[Role]
    max_results: int = Field(ge=1, le=100)
    min_score: float = Field(ge=0, le=100)


@lru_cache(maxsize=1)
def policy() -> AccessPolicy:
    return AccessPolicy.model_validate(read_yaml(POLICY_FILE))


def clean_reason(reason: str | None, *, required: bool) -> str | None:
    """The reason trimmed; refused when too short to be reviewed, or when needed and missing."""
    text = " ".join((reason or "").split())
    if not text:
        if required:
            raise PermissionDeniedError(
                "A reason for access is required: this child is not on your caseload.",
                hint='Say why you need the record, e.g. --reason "Duty: new referral from school today".',
            )
        return None
    if len(text) < policy().min_reason_chars:
        raise UsageError(
            f"The reason is too short to be reviewed (at least {policy().min_reason_chars} characters).",
            hint='Say what the work is, e.g. "Duty: new referral from school today".',
        )
    return text[:500]


@dataclass(frozen=True)
class ViewDecision:
    basis: Basis
    reason: str | None
    new_grant: bool


def decide_view(*, on_caseload: bool, has_grant: bool, reason: str | None, break_glass: bool) -> ViewDecision:
    """How a person may open one child's record; raises when they may not."""
    if break_glass:
        text = clean_reason(reason, required=True)
        return ViewDecision(Basis.BREAK_GLASS, text, True)
    if on_caseload:
        return ViewDecision(Basis.CASELOAD, clean_reason(reason, required=False), False)
    if reason:
        return ViewDecision(Basis.REASON, clean_reason(reason, required=True), True)
    if has_grant:
        return ViewDecision(Basis.REASON, None, False)
    clean_reason(None, required=True)
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class SearchScope:
    """Which children a search may return: the caseload only, or everyone (with a recorded reason)."""

    everyone: bool
    reason: str | None


def decide_search(*, caseload_size: int, reason: str | None) -> SearchScope:
    """A reason opens the search to every child; without one it is narrowed to the person's caseload."""
    text = clean_reason(reason, required=False)
    if text:
        return SearchScope(True, text)
    if caseload_size == 0:
        raise PermissionDeniedError(
            "A reason is required to search: you hold no children on your caseload.",
            hint='Give the reason for the search, e.g. --reason "Duty: new referral from school today".',
        )
    return SearchScope(False, None)


def may_manage_caseloads(role: Role) -> bool:
    return role in policy().caseload_managers


def may_hold_caseload(role: Role) -> bool:
    return role in policy().caseload_holders
