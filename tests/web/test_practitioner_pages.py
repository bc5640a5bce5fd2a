"""The practitioner pages and API through the app (TestClient): search, child page, break-glass, audit.

Expected values are worked out by hand from the small store built here (four children, a care
episode sent in two years' returns, a referral), never read back from Kinsight's own functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient

from kinsight.domain.audit import AuditAction
from kinsight.domain.roles import Role
from kinsight.services import accounts, audit, tokens
from kinsight.services import practitioner as svc
from kinsight.settings import Settings
from practitioner_store import build_store

PASSWORD = "paper lantern orbit 42"
REASON = "Duty: new referral from the school today"


@pytest.fixture
def settings(web_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    build_store(web_settings.store_path)
    accounts.create_user(web_settings, "pat", role="practitioner", password=PASSWORD, surname="Okafor")
    # a Tuesday at 11:00 UTC: inside working hours, so only the rules under test raise flags
    monkeypatch.setattr(audit, "now_utc", lambda: datetime(2025, 6, 10, 11, 0, 0))
    return web_settings


@pytest.fixture
def as_role(settings: Settings, signed_in_as) -> Callable[[Role], TestClient]:  # type: ignore[no-untyped-def]
    return signed_in_as


@pytest.fixture
def pat(settings: Settings, app, sign_in_with) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    sign_in_with(client, "pat", PASSWORD)
    return client


def csrf(client: TestClient, path: str = "/search") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def search(client: TestClient, q: str, reason: str = "", **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/search", data={"q": q, "reason": reason, "csrf_token": csrf(client)}, headers=headers or None
    )


def text_of(html: str) -> str:
    """The page's words with tags and runs of white space removed, for plain-text assertions."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- search ------------------------------------------------------------------------------------------


def test_search_without_a_caseload_asks_for_a_reason_and_the_refusal_is_audited(
    settings: Settings, as_role
) -> None:  # type: ignore[no-untyped-def]
    client = as_role(Role.PRACTITIONER)
    page = client.get("/search")
    assert page.status_code == 200 and "no children on your caseload, so a reason is required" in page.text
    refused = search(client, "Smith")
    assert refused.status_code == 403
    assert 'id="reason-error"' in refused.text and "A reason is required" in refused.text
    row = audit.recent(settings, action=AuditAction.CHILD_SEARCH)[0]
    assert (row.actor, row.outcome, row.details["terms"]) == ("demo-practitioner", "refused", "Smith")


def test_search_with_a_reason_ranks_with_reasons_in_words_and_is_audited(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role(Role.PRACTITIONER)
    answer = search(client, "Katy Smith 04/03/2012", REASON)
    assert answer.status_code == 200
    words = text_of(answer.text)
    first = text_of(answer.text.split('id="result-1"')[1].split('id="result-2"')[0])
    assert "Katherine Smith" in first and "4 March 2012" in first
    assert "another form of 'katy'" in first
    # the brother at the same address is linked by the sibling group
    assert "Tom Smith" in words
    row = audit.recent(settings, action=AuditAction.CHILD_SEARCH)[0]
    assert (row.outcome, row.details["terms"], row.details["reason"], row.details["via"]) == (
        "allowed",
        "Katy Smith 04/03/2012",
        REASON,
        "session",
    )


def test_htmx_gets_only_the_results_fragment(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role(Role.PRACTITIONER)
    fragment = search(client, "Katy Smith", REASON, **{"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="search-results"') and "<html" not in fragment.text
    refused = search(client, "Smith", **{"HX-Request": "true"})
    assert refused.status_code == 200 and "A reason is required" in refused.text  # htmx swaps 200s only


def test_search_form_without_csrf_is_refused(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role(Role.PRACTITIONER)
    assert client.post("/search", data={"q": "Smith", "reason": REASON}).status_code == 403
    assert audit.recent(settings, action=AuditAction.CHILD_SEARCH) == []


def test_caseload_search_needs_no_reason(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    manager = svc.principal_named(settings, "demo-team-manager")
    svc.assign_caseload(settings, manager, "A2", "demo-practitioner")
    client = as_role(Role.PRACTITIONER)
    answer = search(client, "Smith")
    assert answer.status_code == 200
    assert "Searched 1 children (your caseload)" in text_of(answer.text)
    assert "Tom Smith" in answer.text and "Katherine" not in answer.text  # A1 is outside the caseload
    assert 'href="/children/A2"' in answer.text


# --- the child page ----------------------------------------------------------------------------------


def open_child(client: TestClient, child: str, reason: str, *, glass: bool = False):  # type: ignore[no-untyped-def]
    data = {"reason": reason, "csrf_token": csrf(client), **({"break_glass": "yes"} if glass else {})}
    return client.post(f"/children/{child}", data=data)


def test_child_outside_caseload_asks_for_a_reason_first(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role(Role.PRACTITIONER)
    first = client.get("/children/A1")
    assert first.status_code == 403 and "Why do you need this record?" in first.text
    assert "break-glass" in first.text and 'id="reason-error"' not in first.text
    short = open_child(client, "A1", "check")
    assert short.status_code == 422 and "too short" in short.text
    opened = open_child(client, "A1", REASON)
    assert opened.status_code == 200 and "Katherine Smith" in opened.text
    again = client.get("/children/A1")  # the recorded reason holds for the day
    assert again.status_code == 200
    views = [(v.outcome, v.target) for v in reversed(audit.recent(settings, action=AuditAction.CHILD_VIEW))]
    assert views == [
        ("refused", "child:A1"),
        ("refused", "child:A1"),
        ("allowed", "child:A1"),
        ("allowed", "child:A1"),
    ]


def test_child_page_timeline_sources_and_last_contact(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    page = open_child(as_role(Role.PRACTITIONER), "A1", REASON)
    words = text_of(page.text)
    # newest first: the episode ended 30 June 2024, started 1 May 2023, referral 10 January 2023
    timeline = words.split("Timeline, newest first")[1]
    dates = [timeline.index(d) for d in ("30 June 2024", "1 May 2023", "10 January 2023")]
    assert dates == sorted(dates)
    # the episode was sent in two returns but is one start in the timeline
    assert timeline.count("1 May 2023") == 1
    # last contact per service, by hand from the rows above
    contact = words.split("Last contact with each service")[1].split("Where this comes from")[0]
    assert "Care (looked after) 30 June 2024 1 May 2023" in contact
    assert "Children in need and child protection 10 January 2023 10 January 2023" in contact
    sources = words.split("Where this comes from")[1]
    assert "covers 2023-24 to 2024-25" in sources  # SSDA903 years held
    assert "covers 2022-23" in sources
    assert "1 May 2025" in sources  # SSDA903 last loaded
    challenge = page.text.split('class="kinsight-challenge"')[1]
    assert 'href="/challenge?output=/children/A1"' in challenge


def test_two_roles_see_different_fields(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    practitioner = open_child(as_role(Role.PRACTITIONER), "A1", REASON)
    analyst = open_child(as_role(Role.ANALYST), "A1", "Data quality query on the episode dates")
    assert practitioner.status_code == analyst.status_code == 200

    def field(html: str, name: str) -> str:
        return text_of(html.split(f'id="field-{name}">')[1].split("</dd>")[0])

    assert field(practitioner.text, "surname") == "Smith"
    assert field(practitioner.text, "address") == "5 Alder Road, Fennick Cross"
    for name in ("forename", "surname", "address", "postcode", "upn"):
        assert field(analyst.text, name) == "Hidden for your role"
    assert "Katherine" not in analyst.text and "Alder Road" not in analyst.text
    assert field(analyst.text, "date_of_birth") == "4 March 2012"  # quasi-identifiers are visible
    # PrimaryNeedCode is sensitive: both roles may see it, so both timelines hold the same events
    assert practitioner.text.count("kinsight-timeline__item") == analyst.text.count("kinsight-timeline__item")


def test_unknown_child_is_404(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    assert as_role(Role.PRACTITIONER).get("/children/NOPE").status_code == 404


def test_score_is_hidden_until_asked_and_factors_are_shown(
    settings: Settings, as_role, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def fake(settings: Settings, child: str, *, show_score: bool = False) -> dict:  # type: ignore[type-arg]
        body = {
            "notice": "Demonstration only.",
            "score_shown": show_score,
            "child": child,
            "factors": [{"words": "Age at the start of the placement: 14 raised the output"}],
        }
        return {**body, "score": 0.73} if show_score else body

    monkeypatch.setattr(svc, "child_explanation", fake)
    client = as_role(Role.PRACTITIONER)
    hidden = open_child(client, "A1", REASON)
    assert "Age at the start of the placement: 14" in hidden.text and "0.73" not in hidden.text
    assert 'href="/children/A1?score=show"' in hidden.text
    shown = client.get("/children/A1?score=show")
    assert "0.73" in shown.text


def test_the_page_prints_cleanly(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    css = as_role(Role.PRACTITIONER).get("/static/kinsight/practitioner.css")
    assert css.status_code == 200
    printed = css.text.split("@media print")[1]
    assert ".govuk-header" in printed and "display: none" in printed


# --- break-glass and suspicious searches -------------------------------------------------------------


def test_break_glass_is_warned_flagged_and_reviewed(settings: Settings, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role(Role.PRACTITIONER)
    page = open_child(client, "B1", "Police at the door, child missing tonight", glass=True)
    assert page.status_code == 200 and 'id="break-glass-notice"' in page.text
    view = audit.recent(settings, action=AuditAction.CHILD_VIEW)[0]
    assert view.details["basis"] == "break_glass"
    assert "break_glass" in {r.seq: r.flags for r in audit.flags(settings)}[view.seq]

    assert client.get("/practitioner/break-glass").status_code == 403
    ig = as_role(Role.INFORMATION_GOVERNANCE)
    queue = ig.get("/practitioner/break-glass")
    assert queue.status_code == 200 and "demo-practitioner opened child B1" in queue.text
    grant = int(re.search(r'id="grant-(\d+)"', queue.text).group(1))  # type: ignore[union-attr]
    token = csrf(ig, "/practitioner/break-glass")
    bad = ig.post(f"/practitioner/break-glass/{grant}", data={"csrf_token": token, "outcome": "maybe"})
    assert bad.status_code == 422
    done = ig.post(
        f"/practitioner/break-glass/{grant}",
        data={"csrf_token": token, "outcome": "justified", "note": "Matches the police log"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = ig.get(done.headers["location"])
    assert "Nothing is waiting for review" in after.text and "Matches the police log" in after.text
    review = audit.recent(settings, action="access.break_glass_review")[0]
    assert (review.actor, review.details["outcome"]) == ("demo-information-governance", "justified")


def test_searching_for_ones_own_surname_is_flagged(settings: Settings, pat: TestClient) -> None:
    answer = search(pat, "Ruby Okafor", REASON)
    assert answer.status_code == 200
    row = audit.recent(settings, action=AuditAction.CHILD_SEARCH)[0]
    assert row.details["terms"] == "Ruby Okafor"
    assert "own_name_or_address" in {r.seq: r.flags for r in audit.flags(settings)}[row.seq]
    # an unrelated name is not flagged
    search(pat, "Katherine Smith", REASON)
    other = audit.recent(settings, action=AuditAction.CHILD_SEARCH)[0]
    assert other.seq not in {r.seq for r in audit.flags(settings)}


# --- the API -----------------------------------------------------------------------------------------

API_SEARCH = "/api/v1/search"
API_TIMELINE = "/api/v1/children/A1/timeline"


def test_api_needs_credentials(settings: Settings, client: TestClient) -> None:
    for path in (f"{API_SEARCH}?q=Smith", API_TIMELINE):
        answer = client.get(path)
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["error"]["code"]


def bearer(settings: Settings, username: str, scopes: list[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.create(settings, username, scopes).token}"}


def test_api_token_without_the_scope_is_403(settings: Settings, client: TestClient) -> None:
    view_only = bearer(settings, "demo-practitioner", ["child.view"])
    asked = {"q": "Smith", "reason": REASON}
    assert client.get(API_SEARCH, params=asked, headers=view_only).status_code == 403
    search_only = bearer(settings, "demo-practitioner", ["child.search"])
    assert client.get(API_TIMELINE, params={"reason": REASON}, headers=search_only).status_code == 403
    refused = audit.recent(settings, action=AuditAction.PERMISSION)
    assert {(r.details["permission"], r.outcome) for r in refused[:2]} == {
        ("child.search", "refused"),
        ("child.view", "refused"),
    }


def test_api_search_and_timeline_with_the_scope_are_audited(settings: Settings, client: TestClient) -> None:
    headers = bearer(settings, "demo-practitioner", ["child.search", "child.view"])
    found = client.get(API_SEARCH, params={"q": "Katy Smith 2012", "reason": REASON}, headers=headers)
    assert found.status_code == 200
    first = found.json()["results"][0]
    assert (first["child"], first["name"]) == ("A1", "Katherine Smith") and first["why"]
    row = audit.recent(settings, action=AuditAction.CHILD_SEARCH)[0]
    assert (row.details["terms"], row.details["via"], row.details["reason"]) == (
        "Katy Smith 2012",
        "token",
        REASON,
    )
    assert client.get(API_TIMELINE, headers=headers).status_code == 403  # no reason, not on caseload
    body = client.get(API_TIMELINE, params={"reason": REASON}, headers=headers).json()
    assert [e["date"] for e in body["timeline"]] == ["2024-06-30", "2023-05-01", "2023-01-10"]
    view = audit.recent(settings, action=AuditAction.CHILD_VIEW)[0]
    assert (view.target, view.outcome, view.details["via"]) == ("child:A1", "allowed", "token")


def test_api_fields_follow_the_role(settings: Settings, client: TestClient) -> None:
    headers = bearer(settings, "demo-analyst", ["child.view"])
    body = client.get(API_TIMELINE, params={"reason": "Data quality query on episode dates"}, headers=headers)
    assert body.status_code == 200
    assert body.json()["name"] is None and "surname" in body.json()["hidden_fields"]
    missing = client.get("/api/v1/children/NOPE/timeline", params={"reason": REASON}, headers=headers)
    assert missing.status_code == 404


def test_api_documents_its_status_codes(settings: Settings, client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/search", "/api/v1/children/{child}/timeline"):
        assert {"200", "401", "403", "404", "422"} <= set(paths[path]["get"]["responses"])
