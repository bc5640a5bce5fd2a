"""Browser test of the analysis pages: each page visited with axe (no serious or critical violation),
charts drawn by vega-embed with JavaScript on, and the server-drawn image or table with it off."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_indicator_pages import analysis_app, password_of

import kinsight.web as web_pkg
from kinsight.domain.roles import Role

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
AXE = Path(web_pkg.__file__).parent / "static" / "vendor" / "axe" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PAGES = [
    "/quality",
    "/indicators",
    "/indicators/cla_by_age_band?first=2022-23&second=2024-25&group=10+to+15",
    "/indicators/placement_stability_3_or_more?first=2022-23&second=2024-25",
    "/forecast?months=12",
    "/evaluation",
    "/evaluation/bias?table=ssda903_header",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists() or not AXE.exists():
        pytest.skip("Chromium or axe-core missing")
    import uvicorn
    from argon2 import PasswordHasher

    from kinsight.services import auth
    from kinsight.web.pages.evaluation import run_demo
    from kinsight.web.pages.quality import run_audit

    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    app, settings = analysis_app(tmp_path_factory.mktemp("analysis-browser") / "home")
    run_audit(settings, year="2024-25")
    run_demo(settings, resamples=100)
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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _axe(page) -> None:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: {bad}"


def _sign_in(page, base: str, role: Role) -> None:  # type: ignore[no-untyped-def]
    user, password = password_of(role)
    page.goto(f"{base}/sign-in")
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_load_state()


def test_every_analysis_page_passes_axe_and_draws_its_charts(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    _sign_in(page, server, Role.ANALYST)
    for path in PAGES:
        response = page.goto(server + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        if page.locator("[data-kinsight-chart]").count():
            page.wait_for_selector("[data-kinsight-chart] svg", timeout=10_000)
        assert page.locator("a", has_text="Challenge this result").count() == 1, path
        _axe(page)
    page.goto(f"{server}/quality")
    page.select_option("#filter-severity", "query")  # htmx swaps the table in place
    page.wait_for_function("document.querySelector('#findings-count').textContent.includes('match')")
    assert page.url.endswith("/quality")
    page.close()


def test_pages_work_without_javascript(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, server, Role.ANALYST)
    page.goto(f"{server}/forecast?months=12")
    assert page.locator("#chart-forecast img").count() == 1
    assert page.locator("#forecast-table tbody tr").count() == 12
    page.goto(f"{server}/quality?severity=query")
    assert "match these filters" in page.locator("#findings-count").inner_text()
    page.goto(f"{server}/evaluation")
    assert page.locator("#overall-table").count() == 1
    context.close()
