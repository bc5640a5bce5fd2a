"""The two flag rules this area added to the platform's suspicious-access rules, as pure decisions."""

from __future__ import annotations

from datetime import datetime

from kinsight.domain.audit import AuditAction, FlagReason, default_rules, evaluate_flags

NOON_TUESDAY = datetime(2025, 6, 10, 12, 0)


def _flags(action: str, details: dict, searches: int = 0, views: int = 0) -> list[FlagReason]:  # type: ignore[type-arg]
    return evaluate_flags(
        default_rules(),
        action=action,
        details=details,
        at_local=NOON_TUESDAY,
        own_surname=None,
        own_address=None,
        child_views_last_hour=0,
        searches_in_window=searches,
        views_in_window=views,
    )


def test_many_searches_without_opening_a_record() -> None:
    limit = default_rules().searches_without_opening
    assert _flags(AuditAction.CHILD_SEARCH, {}, searches=limit - 1) == []
    assert _flags(AuditAction.CHILD_SEARCH, {}, searches=limit) == [FlagReason.SEARCHES_WITHOUT_OPENING]
    assert _flags(AuditAction.CHILD_SEARCH, {}, searches=limit + 5, views=1) == []
    assert _flags(AuditAction.CHILD_VIEW, {}, searches=limit) == []


def test_break_glass_views_are_always_flagged() -> None:
    assert _flags(AuditAction.CHILD_VIEW, {"basis": "break_glass"}) == [FlagReason.BREAK_GLASS]
    assert _flags(AuditAction.CHILD_VIEW, {"basis": "reason"}) == []
    assert _flags(AuditAction.CHILD_SEARCH, {"basis": "break_glass"}) == []
