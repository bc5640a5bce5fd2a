"""The data-quality page: permissions, the run button, scores and counts equal the service's and an
independent reading of the downloaded CSV, htmx filtering, downloads only for those who may export."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

import pytest
from test_indicator_pages import GRANTS, analysis_app, client_for, csrf, table_cells

from kinsight.domain.roles import Role


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, object, object]]:
    from argon2 import PasswordHasher

    from kinsight.services import auth

    previous = auth.password_hasher()
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    app, settings = analysis_app(tmp_path_factory.mktemp("quality") / "home")
    analyst = client_for(app, Role.ANALYST)
    before = analyst.get("/quality").text
    ran = analyst.post(
        "/quality/run", data={"csrf_token": csrf(analyst), "year": "2024-25"}, follow_redirects=False
    )
    assert ran.status_code == 303, ran.text[:500]
    yield app, settings, {"analyst": analyst, "before": before}
    analyst.close()
    auth.use_password_hasher(previous)


def test_before_any_run_the_page_says_so(world) -> None:  # type: ignore[no-untyped-def]
    assert "No audit has run yet" in world[2]["before"]
    assert 'id="run-audit"' in world[2]["before"]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_what_the_matrix_says(world, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world[0], role)
    view = 200 if "quality.view" in GRANTS[role.value] else 403
    for path in ("/quality", "/api/v1/quality", "/api/v1/quality/findings"):
        assert client.get(path).status_code == view, path
    if "quality.view" in GRANTS[role.value]:
        export = 200 if "data.export" in GRANTS[role.value] else 403
        assert client.get("/quality/download/csv").status_code == export
    if "quality.run" not in GRANTS[role.value]:
        token = csrf(client)
        assert client.post("/quality/run", data={"csrf_token": token}).status_code == 403
        assert client.post("/api/v1/quality/run", json={}, headers={"X-CSRF-Token": token}).status_code == 403
        assert 'id="run-audit"' not in client.get("/quality").text
    client.close()


def test_scores_on_the_page_equal_the_service_and_the_documented_formula(world) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import quality

    html = world[2]["analyst"].get("/quality").text
    rows = table_cells(html, "score-table")[1:]
    latest = {(s["dataset"], s["year"]): s for s in quality.latest_scores(world[1])}
    assert {(r[0], r[1]) for r in rows} == set(latest)
    for dataset, year, records, errors, queries, score in rows:
        s = latest[(dataset, year)]
        assert (
            int(records.replace(",", "")),
            int(errors.replace(",", "")),
            int(queries.replace(",", "")),
        ) == (s["records"], s["records_with_error"], s["records_with_query"])
        n, e, q = s["records"], s["records_with_error"], s["records_with_query"]
        assert float(score) == pytest.approx(100 * (1 - (e + 0.5 * q) / n), abs=0.006)


def test_counts_by_rule_match_the_downloaded_csv(world) -> None:  # type: ignore[no-untyped-def]
    analyst = world[2]["analyst"]
    download = analyst.get("/quality/download/csv")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert rows, "the synthetic authority has findings"
    by_rule = Counter(r["rule"] for r in rows)
    table = table_cells(analyst.get("/quality").text, "by-rule-table")[1:]
    assert {r[0]: int(r[3].replace(",", "")) for r in table} == dict(by_rule)
    api = analyst.get("/api/v1/quality/findings?severity=query&limit=1").json()
    assert api["total"] == sum(1 for r in rows if r["severity"] == "query")


def test_findings_filter_by_rule_and_severity_with_htmx_and_without(world) -> None:  # type: ignore[no-untyped-def]
    analyst = world[2]["analyst"]
    run = analyst.get("/api/v1/quality").json()
    top = run["summary"]["by_rule"][0]
    fragment = analyst.get(
        f"/quality/findings?rule={top['rule']}&severity={top['severity']}", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f"{top['findings']:,} finding" in fragment.text
    page = analyst.get(f"/quality?rule={top['rule']}")
    assert f"{top['findings']:,} finding" in page.text and "<html" in page.text
    plain = analyst.get(f"/quality/findings?rule={top['rule']}", follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"].startswith("/quality?")


def test_excel_and_html_reports_download(world) -> None:  # type: ignore[no-untyped-def]
    analyst = world[2]["analyst"]
    excel = analyst.get("/quality/download/excel")
    assert excel.status_code == 200 and excel.content[:2] == b"PK"
    assert "<html" in analyst.get("/quality/download/html").text.lower()
    assert analyst.get("/quality/download/nothing").status_code == 404


def test_api_run_and_summary(world) -> None:  # type: ignore[no-untyped-def]
    analyst = world[2]["analyst"]
    summary = analyst.get("/api/v1/quality").json()
    assert summary["available"] is True and summary["stale"] is False
    assert {"rules_run", "rules_skipped", "rules_failed", "scores"} <= set(summary)
    bad = analyst.post("/api/v1/quality/run", json={"year": "2099"}, headers={"X-CSRF-Token": csrf(analyst)})
    assert bad.status_code == 422 and set(bad.json()) == {"error"}
