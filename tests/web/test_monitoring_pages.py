"""Monitoring pages: list, detail with charts and tables (no JavaScript needed), banners, forms by role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from kinsight.domain.roles import Role
from kinsight.governance.vocabulary import Actor
from kinsight.services import accounts
from kinsight.services import monitoring as svc
from kinsight.settings import Settings

OPERATOR = Actor("cli", svc.LOCAL_OPERATOR)


def demo_login(role: Role) -> tuple[str, str]:
    return next((u, p) for u, r, p in accounts.demo_accounts() if r is role)


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def tool(web_settings: Settings, tmp_path: Path) -> str:
    rng = np.random.default_rng(2)
    ref = tmp_path / "ref.csv"
    pl.DataFrame({"age": rng.normal(9, 3, 800), "placement": rng.choice(["U1", "K2"], 800)}).write_csv(ref)
    cur = tmp_path / "cur.csv"
    pl.DataFrame({"age": rng.normal(13, 3, 300), "placement": rng.choice(["U1", "K2"], 300)}).write_csv(cur)
    owner = demo_login(Role.ANALYST)[0]
    svc.deploy(web_settings, OPERATOR, "risk-tool", version="1", reference=ref, owner=owner)
    svc.run(web_settings, OPERATOR, "risk-tool", current=ref, period="2025-01")
    svc.run(web_settings, OPERATOR, "risk-tool", current=cur, period="2025-02")
    return "risk-tool"


def test_overview_and_detail_show_drift(signed_in_as: Callable, tool: str) -> None:
    client = signed_in_as(Role.ANALYST)
    overview = client.get("/monitoring")
    assert overview.status_code == 200
    assert "risk-tool" in overview.text and "Alerts addressed to you" in overview.text
    page = client.get(f"/monitoring/deployments/{tool}")
    assert page.status_code == 200
    assert "<svg" in page.text  # static chart: works with JavaScript off
    assert 'id="drift-table"' in page.text and "2025-02" in page.text
    assert "Record a review" in page.text and "Retirement step" not in page.text  # analysts cannot retire


def test_pages_need_the_monitoring_permission(signed_in_as: Callable, tool: str) -> None:
    assert signed_in_as(Role.PRACTITIONER).get("/monitoring").status_code == 403
    assert (
        signed_in_as(Role.OVERSIGHT_MEMBER).get(f"/api/v1/monitoring/deployments/{tool}").status_code == 200
    )


def test_senior_leader_deprecates_and_banner_shows(signed_in_as: Callable, tool: str) -> None:
    client = signed_in_as(Role.SENIOR_LEADER)
    page = client.get(f"/monitoring/deployments/{tool}")
    response = client.post(
        f"/monitoring/deployments/{tool}/lifecycle",
        data={"csrf_token": csrf_of(page.text), "action": "deprecate", "reason": "objectives met elsewhere"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "This tool is deprecated" in response.text
    analyst = signed_in_as(Role.ANALYST)
    denied = analyst.post(
        f"/monitoring/deployments/{tool}/lifecycle",
        data={"csrf_token": csrf_of(analyst.get("/monitoring").text), "action": "reinstate", "reason": "x"},
    )
    assert denied.status_code == 403


def test_review_form_records_a_signed_off_review(
    signed_in_as: Callable, tool: str, web_settings: Settings
) -> None:
    client = signed_in_as(Role.ANALYST)
    page = client.get(f"/monitoring/deployments/{tool}")
    form = {"csrf_token": csrf_of(page.text), "decision": "continue", "notes": "fine"}
    form |= {f"q_{q['id']}": "met" for q in svc.review_checklist()}
    response = client.post(f"/monitoring/deployments/{tool}/review", data=form, follow_redirects=True)
    assert response.status_code == 200
    [review] = svc.detail(web_settings, OPERATOR, tool)["reviews"]
    assert review["signed_off_by"] == demo_login(Role.ANALYST)[0] and len(review["evidence_runs"]) == 2


def test_owner_sees_and_acknowledges_alerts(
    signed_in_as: Callable, tool: str, web_settings: Settings
) -> None:
    client = signed_in_as(Role.ANALYST)
    page = client.get("/monitoring/alerts")
    assert "has drifted" in page.text
    alert_id = svc.alerts_for(web_settings, demo_login(Role.ANALYST)[0])[0]["id"]
    client.post(f"/monitoring/alerts/{alert_id}/acknowledge", data={"csrf_token": csrf_of(page.text)})
    open_ids = [a["id"] for a in svc.alerts_for(web_settings, demo_login(Role.ANALYST)[0])]
    assert alert_id not in open_ids


def test_scheduler_starts_with_the_app_when_enabled(web_settings: Settings, tool: str) -> None:
    from fastapi.testclient import TestClient

    from kinsight.web import create_app

    (web_settings.home / "monitoring.yaml").write_text("schedule_minutes: 60\n")
    app = create_app(web_settings)
    with TestClient(app):
        scheduler = app.state.monitoring_scheduler
        assert scheduler is not None and scheduler.get_job("kinsight-monitoring") is not None
        before = len(svc.detail(web_settings, OPERATOR, tool)["runs"])
        scheduler.get_job("kinsight-monitoring").func(*scheduler.get_job("kinsight-monitoring").args)
        assert len(svc.detail(web_settings, OPERATOR, tool)["runs"]) == before + 1
