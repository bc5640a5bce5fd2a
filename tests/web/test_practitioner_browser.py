"""Browser tests of the practitioner view: search -> child page for two roles, with and without JavaScript.

Playwright drives Debian's Chromium against the real app (uvicorn in a thread), on a home holding the
small store of ``test_practitioner_pages``.  axe-core checks both pages: no serious or critical
violations.  The platform's browser helpers (``test_browser``) are reused.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from test_browser import browser as browser  # noqa: F401  (the platform's browser fixture)
from test_browser import check_accessibility, sign_in
from test_practitioner_pages import PASSWORD, REASON

from kinsight.domain.audit import AuditAction
from kinsight.settings import Settings
from practitioner_store import build_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    from argon2 import PasswordHasher

    from kinsight.services import accounts, audit, auth

    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    folder = tmp_path_factory.mktemp("practitioner-browser")
    settings = Settings(home=folder, secret_key="pb-test-" + "z" * 32)
    accounts.prepare_database(settings)
    accounts.ensure_demo_accounts(settings)
    accounts.create_user(settings, "pat", role="practitioner", password=PASSWORD, surname="Okafor")
    build_store(settings.store_path)
    # inside working hours, so only the rules under test raise flags
    saved = audit.now_utc
    audit.now_utc = lambda: datetime(2025, 6, 10, 11, 0, 0)  # type: ignore[assignment]
    yield settings
    audit.now_utc = saved  # type: ignore[assignment]


@pytest.fixture(scope="module")
def server(home: Settings) -> Iterator[str]:
    import uvicorn

    from kinsight.web import create_app

    app = create_app(home)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _search(page, q: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#q", q)
    page.fill("#reason", reason)
    page.click("#search-button")


def test_practitioner_searches_opens_the_child_and_sees_names(browser, server, home) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import audit

    page = browser.new_page()
    sign_in(page, server, "pat", PASSWORD, axe=False)
    page.goto(f"{server}/search")
    check_accessibility(page)
    _search(page, "Katy Smith 04/03/2012", REASON)  # htmx swaps the results in place
    page.wait_for_selector("#result-1")
    assert page.url.endswith("/search")
    first = page.locator("#result-1").inner_text()
    assert "Katherine Smith" in first and "another form of 'katy'" in first
    check_accessibility(page)
    page.click("#open-1")
    page.wait_for_selector("#child-card")
    assert page.locator("#child-name").inner_text() == "Katherine Smith"
    assert page.locator("#field-address").inner_text().startswith("5 Alder Road")
    check_accessibility(page)
    # the planted suspicious search: pat's own surname
    page.goto(f"{server}/search")
    _search(page, "Okafor", REASON)
    page.wait_for_selector("#result-1")
    seq = audit.recent(home, action=AuditAction.CHILD_SEARCH)[0].seq
    assert "own_name_or_address" in {r.seq: r.flags for r in audit.flags(home)}[seq]
    page.close()


def test_analyst_sees_the_same_child_without_direct_identifiers(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    sign_in(page, server, "demo-analyst", "analyst-demo-only-pass", axe=False)
    page.goto(f"{server}/search")
    _search(page, "A1", "Data quality query on the episode dates")
    page.wait_for_selector("#result-1")
    assert "Katherine" not in page.locator("#search-results").inner_text()
    page.click("#open-1")
    page.wait_for_selector("#child-card")
    assert page.locator("#child-name").inner_text() == "Name hidden for your role"
    assert page.locator("#field-address").inner_text() == "Hidden for your role"
    assert page.locator("#field-date_of_birth").inner_text() == "4 March 2012"
    check_accessibility(page)
    page.goto(f"{server}/children/B2")  # not opened yet: the reason form
    assert "Why do you need this record?" in page.locator("h1").inner_text()
    check_accessibility(page)
    page.close()


def test_search_and_break_glass_work_with_javascript_off(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "demo-practitioner", "practitioner-demo-only-pass", axe=False)
    page.goto(f"{server}/search")
    _search(page, "Ruby Okafor", REASON)  # a plain form post: the whole page comes back
    assert "Ruby Okafor" in page.locator("#result-1").inner_text()
    _open_by_break_glass(page, server, "B1")
    context.close()


def _open_by_break_glass(page, server: str, child: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/children/{child}")
    assert "Why do you need this record?" in page.locator("h1").inner_text()
    page.fill("#reason", "Police at the door, child missing tonight")
    page.check("#break-glass")
    page.click("#open-record")
    assert "break-glass" in page.locator("#break-glass-notice").inner_text()


def test_information_governance_reviews_the_break_glass_access(browser, server) -> None:  # type: ignore[no-untyped-def]
    # The test makes its own break-glass access (to a child no other test opens by break-glass), so it
    # passes whichever order the tests of this module run in.
    practitioner = browser.new_context()
    opener = practitioner.new_page()
    sign_in(opener, server, "demo-practitioner", "practitioner-demo-only-pass", axe=False)
    _open_by_break_glass(opener, server, "B2")
    practitioner.close()
    page = browser.new_page()
    sign_in(page, server, "demo-information-governance", "information-governance-demo-only-pass", axe=False)
    page.goto(f"{server}/practitioner/break-glass")
    assert "demo-practitioner opened child B2" in page.locator("#pending").locator("xpath=..").inner_text()
    check_accessibility(page)
    grant = page.locator(".kinsight-review").first.get_attribute("id").removeprefix("grant-")
    page.check(f"#outcome-{grant}-yes")
    page.fill(f"#note-{grant}", "Matches the police log for that night")
    page.click(f"#save-{grant}")
    assert "saved" in page.locator("#review-saved").inner_text()
    check_accessibility(page)
    page.close()
