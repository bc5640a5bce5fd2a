"""Purpose-limited access and its audit trail, through the service on a tiny store and SQLite."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kinsight.domain.audit import AuditAction, FlagReason
from kinsight.errors import PermissionDeniedError, UsageError
from kinsight.services import accounts, audit
from kinsight.services import practitioner as svc
from kinsight.settings import Settings
from kinsight.storage.appdb import Base, ensure_db

GOOD = "paper lantern orbit 42"
REASON = "Duty: new referral from the school today"


@pytest.fixture
def settings(
    sqlite_settings: Settings, tiny_store: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    shutil.copy(tiny_store, sqlite_settings.store_path)
    Base.metadata.create_all(ensure_db(sqlite_settings.app_database_url))
    accounts.create_user(sqlite_settings, "pat", role="practitioner", password=GOOD, surname="Okafor")
    accounts.create_user(sqlite_settings, "tess", role="team_manager", password=GOOD)
    accounts.create_user(sqlite_settings, "ana", role="analyst", password=GOOD)
    accounts.create_user(sqlite_settings, "iggy", role="information_governance", password=GOOD)
    # a Tuesday at 11:00 UTC (noon in London): inside working hours, so only the rules under test flag
    monkeypatch.setattr(audit, "now_utc", lambda: datetime(2025, 6, 10, 11, 0, 0))
    yield sqlite_settings


def who(settings: Settings, name: str):  # type: ignore[no-untyped-def]
    return svc.principal_named(settings, name)


def test_unknown_user_is_refused(settings: Settings) -> None:
    from kinsight.errors import AuthenticationError

    with pytest.raises(AuthenticationError):
        svc.principal_named(settings, "nobody")


def test_search_without_caseload_needs_a_reason_and_the_refusal_is_audited(settings: Settings) -> None:
    with pytest.raises(PermissionDeniedError):
        svc.search(settings, who(settings, "pat"), "Smith")
    rows = audit.recent(settings, action=AuditAction.CHILD_SEARCH)
    assert rows[0].outcome == "refused" and rows[0].details["terms"] == "Smith"


def test_search_with_a_reason_is_audited_with_terms_and_reason(settings: Settings) -> None:
    body = svc.search(settings, who(settings, "pat"), "Katy Smith 04/03/2012", reason=REASON)
    assert body["results"][0]["child"] == "A1"
    assert any("another form of 'katy'" in w for w in body["results"][0]["why"])
    row = audit.recent(settings, action=AuditAction.CHILD_SEARCH)[0]
    assert (row.outcome, row.details["terms"], row.details["reason"]) == (
        "allowed",
        "Katy Smith 04/03/2012",
        REASON,
    )


def test_without_a_reason_only_the_caseload_is_searched(settings: Settings) -> None:
    svc.assign_caseload(settings, who(settings, "tess"), "A2", "pat")
    body = svc.search(settings, who(settings, "pat"), "Smith")
    assert [r["child"] for r in body["results"]] == ["A2"]
    assert body["children_searched"] == 1
    # the sibling link to A1 is shown, but not A1's name: A1 is outside the caseload
    link = body["results"][0]["links"][0]
    assert (link["child"], link["name"], link["in_your_scope"]) == ("A1", None, False)


def test_only_managers_assign_caseloads(settings: Settings) -> None:
    with pytest.raises(PermissionDeniedError):
        svc.assign_caseload(settings, who(settings, "pat"), "A1", "pat")


def test_child_page_needs_caseload_or_reason_and_grants_last(settings: Settings) -> None:
    pat = who(settings, "pat")
    with pytest.raises(PermissionDeniedError):
        svc.child_page(settings, pat, "A1")
    with pytest.raises(UsageError):
        svc.child_page(settings, pat, "A1", reason="x")
    page = svc.child_page(settings, pat, "A1", reason=REASON)
    assert page["access"]["basis"] == "reason"
    again = svc.child_page(settings, pat, "A1")  # the recorded reason still holds
    assert again["access"]["basis"] == "reason"
    views = audit.recent(settings, action=AuditAction.CHILD_VIEW)
    assert [(v.outcome, v.target) for v in reversed(views)] == [
        ("refused", "child:A1"),
        ("refused", "child:A1"),
        ("allowed", "child:A1"),
        ("allowed", "child:A1"),
    ]


def test_break_glass_is_flagged_and_reviewed(settings: Settings) -> None:
    page = svc.child_page(
        settings, who(settings, "pat"), "B1", reason="Police at the door, child missing", break_glass=True
    )
    assert page["access"]["basis"] == "break_glass"
    flagged = {r.seq: r.flags for r in audit.flags(settings)}
    assert "break_glass" in flagged[page["access"]["audit_seq"]]
    iggy = who(settings, "iggy")
    queue = svc.break_glass_queue(settings, iggy)
    assert [(q["username"], q["child"]) for q in queue] == [("pat", "B1")]
    svc.review_break_glass(
        settings, iggy, queue[0]["id"], outcome="justified", note="Checked with police log"
    )
    assert svc.break_glass_queue(settings, iggy) == []
    with pytest.raises(PermissionDeniedError):
        svc.break_glass_queue(settings, who(settings, "pat"))


def test_own_surname_search_is_flagged(settings: Settings) -> None:
    body = svc.search(settings, who(settings, "pat"), "Ruby Okafor", reason=REASON)
    flags = {r.seq: r.flags for r in audit.flags(settings)}
    assert "own_name_or_address" in flags[body["audit_seq"]]


def test_many_searches_without_opening_a_case_are_flagged(settings: Settings) -> None:
    limit = audit.rules_for(settings).searches_without_opening
    seqs = [
        svc.search(settings, who(settings, "pat"), f"Smith {2000 + i}", reason=REASON)["audit_seq"]
        for i in range(limit)
    ]
    flags = {r.seq: r.flags for r in audit.flags(settings)}
    assert FlagReason.SEARCHES_WITHOUT_OPENING not in flags.get(seqs[-2], ())
    assert FlagReason.SEARCHES_WITHOUT_OPENING in flags[seqs[-1]]


def test_an_opened_case_stops_the_many_searches_flag(settings: Settings) -> None:
    limit = audit.rules_for(settings).searches_without_opening
    svc.child_page(settings, who(settings, "pat"), "A1", reason=REASON)
    seqs = [
        svc.search(settings, who(settings, "pat"), "Smith", reason=REASON)["audit_seq"] for _ in range(limit)
    ]
    flags = {r.seq: r.flags for r in audit.flags(settings)}
    assert FlagReason.SEARCHES_WITHOUT_OPENING not in flags.get(seqs[-1], ())


def test_two_roles_see_different_fields(settings: Settings) -> None:
    practitioner = svc.child_page(settings, who(settings, "pat"), "A1", reason=REASON)
    analyst = svc.child_page(
        settings, who(settings, "ana"), "A1", reason="Data quality query on episode dates"
    )
    assert practitioner["name"] == "Katherine Smith" and practitioner["address"]
    assert analyst["name"] is None and analyst["address"] is None and analyst["postcode"] is None
    assert set(analyst["hidden_fields"]) == {"forename", "surname", "address", "postcode", "upn"}
    assert analyst["date_of_birth"] == "2012-03-04"  # quasi-identifiers are visible to analysts
    assert len(analyst["timeline"]) == len(practitioner["timeline"])


def test_analysts_may_not_search_by_name(settings: Settings) -> None:
    with pytest.raises(PermissionDeniedError):
        svc.search(settings, who(settings, "ana"), "Smith", reason="Data quality query on episode dates")
    body = svc.search(settings, who(settings, "ana"), "A1", reason="Data quality query on episode dates")
    assert body["results"][0]["child"] == "A1" and body["results"][0]["name"] is None
