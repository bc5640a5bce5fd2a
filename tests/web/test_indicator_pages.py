"""Indicator pages: who may see them, the figures equal the service's published figures, small cells
never show (in the table, the chart or a comparison), and comparisons match an independent interval.

The top of this module also builds the small synthetic authority the analysis page tests share
(300 children, three years, seed 1, ingested once per test process); the other analysis test modules
import ``analysis_app`` and ``client_for`` from here.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import yaml

import kinsight.domain as domain_pkg
from kinsight.domain.roles import Role
from kinsight.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

GRANTS = {
    role: set(entry["permissions"])
    for role, entry in yaml.safe_load(
        (Path(domain_pkg.__file__).parent / "permissions.yaml").read_text(encoding="utf-8")
    )["roles"].items()
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TEMPLATE: dict[str, Path] = {}


def _template_home() -> Path:
    """A home holding the ingested synthetic authority, built once per test process."""
    if "home" not in _TEMPLATE:
        from kinsight.services import ingest, synth

        root = Path(tempfile.mkdtemp(prefix="kinsight-analysis-"))
        synth.generate(root / "data", children=300, years="2023-2025", seed=1)
        home = root / "home"
        home.mkdir()
        settings = Settings(home=home, secret_key="analysis-" + "k" * 40)
        ingest.ingest(settings, [root / "data" / "ssda903", root / "data" / "cin_census"])
        _TEMPLATE["home"] = home
    return _TEMPLATE["home"]


def analysis_settings(target: Path) -> Settings:
    """A fresh home (its own app database and caches) holding a copy of the synthetic store."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(_template_home() / "store.duckdb", target / "store.duckdb")
    return Settings(home=target, secret_key="analysis-" + "k" * 40)


def analysis_app(target: Path):  # type: ignore[no-untyped-def]
    from kinsight.services import accounts
    from kinsight.web import create_app

    settings = analysis_settings(target)
    app = create_app(settings)
    accounts.ensure_demo_accounts(settings)
    return app, settings


def password_of(role: Role) -> tuple[str, str]:
    from kinsight.services import accounts

    return next((u, p) for u, r, p in accounts.demo_accounts() if r is role)


def client_for(app, role: Role) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    page = client.get("/sign-in")
    user, password = password_of(role)
    response = client.post(
        "/sign-in",
        data={
            "username": user,
            "password": password,
            "csrf_token": CSRF.search(page.text).group(1),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


def csrf(client: TestClient) -> str:
    return CSRF.search(client.get("/account").text).group(1)


def table_cells(html: str, table_id: str) -> list[list[str]]:
    """The text of every row of the table with this id (header cells included), tags stripped."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    rows = re.findall(r"<tr.*?</tr>", match.group(0), re.S)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def chart_spec(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{chart_id}-spec">(.*?)</script>', html, re.S)
    assert match, f"no chart {chart_id}"
    return json.loads(match.group(1))


# --- fixtures for this module ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Settings]]:
    from argon2 import PasswordHasher

    from kinsight.services import auth

    previous = auth.password_hasher()
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    app, settings = analysis_app(tmp_path_factory.mktemp("indicators") / "home")
    yield app, settings
    auth.use_password_hasher(previous)
    from kinsight.storage.appdb import dispose_engine

    dispose_engine(settings.app_database_url)


@pytest.fixture(scope="module")
def analyst(world) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    client = client_for(world[0], Role.ANALYST)
    yield client
    client.close()


# --- tests ------------------------------------------------------------------------------------------------

PATHS = ["/indicators", "/indicators/cla_at_31_march", "/api/v1/indicators", "/api/v1/indicators/compare"]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_what_the_matrix_says(world, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world[0], role)
    expected = 200 if "analytics.view" in GRANTS[role.value] else 403
    assert [(p, client.get(p).status_code) for p in PATHS] == [(p, expected) for p in PATHS]
    client.close()


def test_api_needs_credentials_and_page_sends_to_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    with TestClient(world[0]) as anonymous:
        assert anonymous.get("/api/v1/indicators").status_code == 401
        page = anonymous.get("/indicators", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/sign-in")


def test_table_equals_the_published_figures_and_hides_small_cells(world, analyst) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import analytics

    _, settings = world
    published = analytics.indicators(settings, publish=True)["cla_by_age_band"]["values"]
    raw = analytics.indicators(settings)["cla_by_age_band"]
    html = analyst.get("/indicators/cla_by_age_band").text
    rows = table_cells(html, "indicator-table")
    years = rows[0][1:]
    assert years == sorted(published)
    shown = {(r[0], y): v for r in rows[1:] for y, v in zip(years, r[1:], strict=True)}
    for year, groups in published.items():
        for group, value in groups.items():
            assert shown[(group, year)] == str(value)
    # independently of the suppression code: every raw count from 1 to the threshold shows as "c"
    small = [
        (g, y)
        for y, groups in raw.items()
        for g, n in groups.items()
        if 1 <= n <= settings.small_cell_threshold
    ]
    assert small, "the synthetic authority should have some small cells"
    assert all(shown[(g, y)] == "c" for g, y in small)
    # and the chart has no point for a cell the table hides
    spec = chart_spec(html, "chart-cla_by_age_band")
    hidden = {(g, y) for (g, y), v in shown.items() if v == "c"}
    assert not any((p["group"], p["collection_year"]) in hidden for p in spec["data"]["values"])


def test_headline_count_on_the_overview_equals_the_service(world, analyst) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import analytics

    raw = analytics.indicators(world[1])["cla_at_31_march"]
    html = analyst.get("/indicators").text
    row = re.search(r'href="/indicators/cla_at_31_march">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>', row)
    assert cells == [str(raw[y]) for y in sorted(raw)]
    assert 'href="/challenge?output=' in html


def test_proportion_comparison_matches_an_independent_wilson_interval(world, analyst) -> None:  # type: ignore[no-untyped-def]
    from statsmodels.stats.proportion import proportion_confint

    from kinsight.services import analytics

    raw = analytics.indicators(world[1])["placement_stability_3_or_more"]
    first, second = sorted(raw)[0], sorted(raw)[-1]
    html = analyst.get(f"/indicators/placement_stability_3_or_more?first={first}&second={second}").text
    rows = table_cells(html, "comparison")
    x, n = raw[first]["numerator"], raw[first]["denominator"]
    low, high = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert rows[1][1] == f"{100 * x / n:.1f}%"
    assert rows[1][2] == f"{100 * low:.1f}% to {100 * high:.1f}%"
    assert "Difference" in rows[3][0]


def test_count_comparison_equals_the_service(world, analyst) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import analytics

    years = sorted(analytics.indicators(world[1])["cla_at_31_march"])
    expected = analytics.compare(world[1], indicator="cla_at_31_march", first=years[0], second=years[-1])
    rows = table_cells(
        analyst.get(f"/indicators/cla_at_31_march?first={years[0]}&second={years[-1]}").text, "comparison"
    )
    assert rows[1][1] == f"{expected['first_value']['estimate']:.1f}"
    assert rows[3][1] == f"{expected['ratio']['estimate']:.2f}"
    api = analyst.get(
        f"/api/v1/indicators/compare?indicator=cla_at_31_march&first={years[0]}&second={years[-1]}"
    )
    assert api.json()["ratio"] == expected["ratio"]


def test_comparison_resting_on_a_suppressed_cell_is_withheld(world, analyst) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import analytics

    published = analytics.indicators(world[1], publish=True)["cla_by_age_band"]["values"]
    year, group = next((y, g) for y, groups in published.items() for g, v in groups.items() if v == "c")
    other = next(y for y in sorted(published) if y != year)
    html = analyst.get(f"/indicators/cla_by_age_band?first={other}&second={year}&group={group}").text
    assert "This comparison is not shown" in html
    api = analyst.get(
        f"/api/v1/indicators/compare?indicator=cla_by_age_band&first={other}&second={year}&group={group}"
    ).json()
    assert "withheld" in api and "estimate" not in json.dumps(api)


def test_unknown_indicator_is_404(analyst) -> None:  # type: ignore[no-untyped-def]
    assert analyst.get("/indicators/nothing").status_code == 404
    assert analyst.get("/api/v1/indicators/compare?indicator=nothing&first=a&second=b").status_code == 404


def test_results_are_cached_not_recomputed_on_each_view(world, analyst, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import analytics

    # First views work the results out (the index page its figures, an indicator's page the charts too);
    # the test must not rely on an earlier test on the same worker having viewed them.
    analyst.get("/indicators")
    analyst.get("/indicators/cla_by_sex")

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("recomputed on a page view")

    monkeypatch.setattr(analytics, "indicators", refuse)
    monkeypatch.setattr(analytics, "charts", refuse)
    assert analyst.get("/indicators").status_code == 200
    assert analyst.get("/indicators/cla_by_sex").status_code == 200
    assert analyst.get("/api/v1/indicators").json()["available"] is True


def test_empty_home_says_no_data(tmp_path: Path) -> None:
    from kinsight.services import accounts
    from kinsight.web import create_app

    settings = Settings(home=tmp_path, secret_key="empty-" + "e" * 40)
    app = create_app(settings)
    accounts.ensure_demo_accounts(settings)
    client = client_for(app, Role.ANALYST)
    assert "No data has been loaded yet" in client.get("/indicators").text
    assert client.get("/api/v1/indicators").json() == {
        "available": False,
        "reason": "No data has been loaded yet.",
    }
    client.close()
