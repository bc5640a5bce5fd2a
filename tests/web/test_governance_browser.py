"""A manager walks a project through the first gate in a real browser (Playwright on Debian's Chromium).

The walk includes a refused advance that names every unmet condition, a form sent back with errors,
and the successful move to capability assessment.  axe-core runs on every governance page visited:
no serious or critical violations are allowed.  Reuses the platform's server, browser and axe helpers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_browser import browser, check_accessibility, server, sign_in  # noqa: F401 (fixtures)

import kinsight.governance as governance_pkg

pytestmark = pytest.mark.browser

STAGES = Path(governance_pkg.__file__).parent / "stages.yaml"
NAME = "placement-risk"


def first_gate_labels() -> list[str]:
    stages = yaml.safe_load(STAGES.read_text(encoding="utf-8"))["stages"]
    return [c["label"] for c in stages[0]["gate"]]


def test_manager_walks_a_project_through_the_first_gate(browser, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = browser.new_page()
    sign_in(page, server, "demo-analyst", "analyst-demo-only-pass", axe=False)
    page.goto(f"{server}/projects")
    check_accessibility(page)
    page.fill("#title", "Placement breakdown early warning")
    page.fill("#name", NAME)
    page.click("#create-project")
    assert page.url.endswith(f"/projects/{NAME}")
    assert "1. Problem identification" in page.locator("#current-stage").inner_text()
    check_accessibility(page)

    # Refused: the summary names every unmet condition of the gate.
    page.click("#advance")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "2 conditions not met" in summary
    for label in first_gate_labels():
        assert label in summary
    check_accessibility(page)

    # A form sent back with errors uses the error summary and keeps the page accessible.
    page.goto(f"{server}/projects/{NAME}/instruments/project_profile")
    check_accessibility(page)
    page.fill("#q-summary", "Flags placements at risk of breaking down, for social workers.")
    page.click("#save-answers")
    errors = page.locator(".govuk-error-summary").inner_text()
    assert "Which problem in children" in errors and "Named owner" in errors
    check_accessibility(page)
    page.fill("#q-problem", "Unplanned placement moves harm children.")
    page.fill("#q-owner", "Ana Analyst")
    page.check("#q-analytics_type")  # the first option: descriptive
    page.click("#save-answers")
    assert "are saved as a new version" in page.locator("#done").inner_text()
    assert "Ana Analyst" in page.locator("#owner").inner_text()

    # Still refused, now naming only the user needs.
    page.click("#advance")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "1 condition not met" in summary and first_gate_labels()[1] in summary
    assert first_gate_labels()[0] not in summary

    page.click(f"a[href='/projects/{NAME}/instruments/user_needs']")
    check_accessibility(page)
    page.fill("#q-needs-0-user_group", "Social workers")
    page.select_option("#q-needs-0-relation", "uses")
    page.fill("#q-needs-0-need", "As a social worker I need early warning so that I can act in time")
    page.fill("#q-engagement", "Interviews with twelve social workers; they worried about labelling.")
    page.click("#save-answers")
    page.click("#advance")
    assert "The project moved on to Capability assessment" in page.locator("#done").inner_text()
    assert "2. Capability assessment" in page.locator("#current-stage").inner_text()
    check_accessibility(page)

    for path in ("risks", "history", "exports", "back", "validation", "scope-change"):
        page.goto(f"{server}/projects/{NAME}/{path}")
        check_accessibility(page)
    for instrument in ("data_maturity", "risk_log", "success_criteria", "impact_assessments"):
        page.goto(f"{server}/projects/{NAME}/instruments/{instrument}")
        check_accessibility(page)
    page.close()

    leader = browser.new_page()
    sign_in(leader, server, "demo-senior-leader", "senior-leader-demo-only-pass", axe=False)
    leader.goto(f"{server}/projects/{NAME}/signoff")
    check_accessibility(leader)
    leader.goto(f"{server}/projects/{NAME}")
    check_accessibility(leader)
    leader.close()

    public = browser.new_page()
    public.goto(f"{server}/transparency")
    assert "Algorithmic transparency records" in public.locator("h1").inner_text()
    check_accessibility(public)
    public.close()


def test_refusal_works_without_javascript(browser, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "demo-analyst", "analyst-demo-only-pass", axe=False)
    page.goto(f"{server}/projects")
    page.fill("#title", "No script tool")
    page.fill("#name", "no-script")
    page.click("#create-project")
    page.click("#advance")
    assert "2 conditions not met" in page.locator(".govuk-error-summary").inner_text()
    context.close()
