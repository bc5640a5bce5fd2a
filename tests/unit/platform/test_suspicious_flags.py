"""Suspicious-access rules: own surname/address searches, bulk export, unusual volume, out of hours."""

from __future__ import annotations

from datetime import datetime

import pytest

from kinsight.domain.audit import AuditAction, FlagReason, default_rules, evaluate_flags
from kinsight.services import accounts, audit
from kinsight.settings import Settings

WEEKDAY_NOON = datetime(2025, 3, 12, 12, 0)  # a Wednesday
SUNDAY = datetime(2025, 3, 16, 12, 0)


def _flags(
    action: str,
    details: dict,
    at: datetime = WEEKDAY_NOON,
    surname: str | None = None,
    address: str | None = None,
    views: int = 0,
) -> list[FlagReason]:
    return evaluate_flags(
        default_rules(),
        action=action,
        details=details,
        at_local=at,
        own_surname=surname,
        own_address=address,
        child_views_last_hour=views,
    )


def test_search_for_own_surname_is_flagged() -> None:
    assert _flags(AuditAction.CHILD_SEARCH, {"terms": "Jayden O'Neill"}, surname="O'Neill") == [
        FlagReason.OWN_NAME_OR_ADDRESS
    ]
    assert _flags(AuditAction.CHILD_SEARCH, {"terms": "jayden smith"}, surname="O'Neill") == []


def test_search_for_own_address_is_flagged_but_one_common_word_is_not() -> None:
    address = "14 Elm Road, Leeds LS6 2AB"
    assert _flags(AuditAction.CHILD_SEARCH, {"terms": {"street": "14 elm road"}}, address=address) == [
        FlagReason.OWN_NAME_OR_ADDRESS
    ]
    assert _flags(AuditAction.CHILD_SEARCH, {"terms": "LS6 2AB"}, address=address) == [
        FlagReason.OWN_NAME_OR_ADDRESS
    ]
    assert _flags(AuditAction.CHILD_SEARCH, {"terms": "3 oak road"}, address=address) == []


def test_bulk_export_threshold_is_strictly_above() -> None:
    limit = default_rules().bulk_export_rows
    assert _flags(AuditAction.DATA_EXPORT, {"rows": limit}) == []
    assert _flags(AuditAction.DATA_EXPORT, {"rows": limit + 1}) == [FlagReason.BULK_EXPORT]


def test_unusual_volume_threshold() -> None:
    limit = default_rules().child_views_per_hour
    assert _flags(AuditAction.CHILD_VIEW, {}, views=limit) == []
    assert _flags(AuditAction.CHILD_VIEW, {}, views=limit + 1) == [FlagReason.UNUSUAL_VOLUME]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2025, 3, 12, 6, 59), True),
        (datetime(2025, 3, 12, 7, 0), False),
        (datetime(2025, 3, 12, 18, 59), False),
        (datetime(2025, 3, 12, 19, 0), True),
        (SUNDAY, True),
    ],
)
def test_out_of_hours_boundaries(when: datetime, expected: bool) -> None:
    assert (FlagReason.OUT_OF_HOURS in _flags(AuditAction.CHILD_VIEW, {}, at=when)) is expected


def test_non_child_actions_are_never_flagged() -> None:
    assert _flags(AuditAction.SIGN_IN, {"terms": "smith"}, at=SUNDAY, surname="smith") == []


def test_record_flags_own_family_search_end_to_end(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.create_user(
        sqlite_settings,
        "p.jones",
        role="practitioner",
        password="a long test passphrase",
        surname="Jones",
        address="2 Mill Lane",
    )
    monkeypatch.setattr(audit, "now_utc", lambda: datetime(2025, 3, 12, 11, 0))  # 11:00 UTC = in hours
    seq = audit.record(
        sqlite_settings,
        actor="p.jones",
        action=AuditAction.CHILD_SEARCH,
        target="people",
        details={"terms": "Tyler Jones"},
    )
    audit.record(
        sqlite_settings,
        actor="p.jones",
        action=AuditAction.CHILD_SEARCH,
        target="people",
        details={"terms": "Tyler Brown"},
    )
    flagged = audit.flags(sqlite_settings)
    assert [(r.seq, r.flags) for r in flagged] == [(seq, ("own_name_or_address",))]


def test_volume_counts_views_in_the_last_hour(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sqlite_settings.home / "audit-rules.yaml").write_text("child_views_per_hour: 3\n")
    monkeypatch.setattr(audit, "now_utc", lambda: datetime(2025, 3, 12, 11, 0))
    seqs = [
        audit.record(sqlite_settings, actor="a", action=AuditAction.CHILD_VIEW, target=f"child-{i}")
        for i in range(5)
    ]
    flagged = {r.seq: r.flags for r in audit.flags(sqlite_settings)}
    # the 4th and 5th views in the hour exceed 3
    assert flagged == {seqs[3]: ("unusual_volume",), seqs[4]: ("unusual_volume",)}
    assert audit.verify(sqlite_settings).ok  # flags sit outside the chain
