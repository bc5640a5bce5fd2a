"""Browser tests: Playwright driving Debian's Chromium against the real app served by uvicorn.

One browser per module.  axe-core (fetched by scripts/build_assets.py with npm) is injected into every
page visited: no serious or critical accessibility violations are allowed.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import kinsight.web as web_pkg

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
AXE = Path(web_pkg.__file__).parent / "static" / "vendor" / "axe" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _need(condition: bool, what: str) -> None:
    if not condition:
        if os.environ.get("KINSIGHT_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{what} is required but missing")
        pytest.skip(f"{what} missing")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn
    from argon2 import PasswordHasher

    from kinsight.services import accounts, auth
    from kinsight.settings import Settings
    from kinsight.web import create_app

    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    settings = Settings(home=tmp_path_factory.mktemp("browser-home"), secret_key="browser-test-" + "y" * 32)
    app = create_app(settings)
    accounts.ensure_demo_accounts(settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _need(Path(CHROMIUM).exists(), "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def check_accessibility(page) -> None:  # type: ignore[no-untyped-def]
    _need(AXE.exists(), "axe-core (run scripts/build_assets.py)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: {bad}"


def sign_in(page, base: str, username: str, password: str, *, axe: bool = True) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/sign-in")
    if axe:
        check_accessibility(page)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_load_state()


def test_analyst_signs_in_sees_the_catalogue_and_is_refused_the_audit_log(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    sign_in(page, server, "demo-analyst", "analyst-demo-only-pass")
    assert page.locator("h1").first.inner_text()
    check_accessibility(page)
    page.goto(f"{server}/catalogue")
    assert "Dataset catalogue" in page.locator("h1").inner_text()
    check_accessibility(page)
    for path in (
        "/dictionary",
        "/dictionary/ssda903",
        "/roles",
        "/challenges",
        "/account",
        "/challenge/status",
    ):
        page.goto(server + path)
        check_accessibility(page)
    response = page.goto(f"{server}/audit")
    assert response.status == 403
    assert "You cannot see this page" in page.locator("h1").inner_text()
    check_accessibility(page)
    page.close()


def test_raise_a_public_challenge_and_resolve_it(browser, server) -> None:  # type: ignore[no-untyped-def]
    public = browser.new_page()
    public.goto(f"{server}/challenge?output=/catalogue")
    check_accessibility(public)
    public.fill("#summary", "The number of children looks too low for 2024.")
    public.click("#send-challenge")
    reference = public.locator("#challenge-reference").inner_text().strip()
    assert reference.startswith("CH-")
    check_accessibility(public)

    ig = browser.new_page()
    sign_in(ig, server, "demo-information-governance", "information-governance-demo-only-pass")
    ig.goto(f"{server}/challenges/{reference}")
    check_accessibility(ig)
    # Each save posts the form and redirects back: wait for that page before acting on it, or the next
    # step can land on the page being left (seen once in CI: content() read mid-navigation was empty).
    ig.check("input[name=status][value=triage]")
    with ig.expect_navigation():
        ig.click("#save-challenge")
    ig.check("input[name=status][value=resolved]")
    ig.fill("#note", "We checked: a late file had not been loaded. It is loaded now.")
    with ig.expect_navigation():
        ig.click("#save-challenge")
    assert "This challenge is resolved" in ig.content()
    for path in ("/audit", "/users", "/"):
        ig.goto(server + path)
        check_accessibility(ig)
    ig.goto(f"{server}/audit")
    ig.click("#verify")  # htmx swaps the result in place
    ig.wait_for_selector("#verify-outcome")
    assert "intact" in ig.locator("#verify-outcome").inner_text()

    public.goto(f"{server}/challenge/status?reference={reference}")
    assert "late file" in public.locator("#challenge-response").inner_text()
    check_accessibility(public)
    for p in (public, ig):
        p.close()


def test_pages_work_with_javascript_off(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "demo-information-governance", "information-governance-demo-only-pass", axe=False)
    page.goto(f"{server}/audit")
    page.click("#verify")  # a plain link without JavaScript
    assert "intact" in page.locator("#verify-outcome").inner_text()
    context.close()
