"""The forecast page: permissions, figures equal the service's, the backtest always beside it with its
errors checked by hand, exports, and results cached rather than recomputed on each view."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from test_indicator_pages import GRANTS, analysis_app, client_for, table_cells

from kinsight.domain.roles import Role


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, object, object]]:
    from argon2 import PasswordHasher

    from kinsight.services import auth

    previous = auth.password_hasher()
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    app, settings = analysis_app(tmp_path_factory.mktemp("forecast") / "home")
    viewer = client_for(app, Role.TEAM_MANAGER)
    page = viewer.get("/forecast?months=12")
    assert page.status_code == 200
    yield app, settings, {"viewer": viewer, "html": page.text}
    viewer.close()
    auth.use_password_hasher(previous)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_what_the_matrix_says(world, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world[0], role)
    expected = 200 if "forecast.view" in GRANTS[role.value] else 403
    for path in ("/forecast?months=12", "/api/v1/forecast?months=12", "/forecast/export.csv?months=12"):
        assert client.get(path).status_code == expected, path
    client.close()


def test_figures_equal_the_service(world) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import forecast
    from kinsight.web.pages.forecast import scenarios_file

    expected = forecast.forecast(world[1], start=None, months=12, scenarios_file=scenarios_file(world[1]))
    rows = table_cells(world[2]["html"], "forecast-table")[1:]
    assert [r[0] for r in rows] == [m["month"] for m in expected["months"]]
    assert [r[1] for r in rows] == [f"{m['total']:.1f}" for m in expected["months"]]
    assert [r[2] for r in rows] == [f"{m['lower']:.0f}" for m in expected["months"]]
    scenario_rows = table_cells(world[2]["html"], "scenario-table")[1:]
    first = expected["scenarios"][0]
    assert [r[2] for r in scenario_rows] == [
        f"{m['total']:.1f} ({d:+.1f})"
        for m, d in zip(first["months"], first["difference_from_base"], strict=True)
    ]


def test_backtest_is_beside_the_forecast_and_its_errors_add_up(world) -> None:  # type: ignore[no-untyped-def]
    html = world[2]["html"]
    assert (
        html.index('id="forecast"') < html.index('id="backtest-summary"') < html.index('id="forecast-table"')
    )
    detail = world[2]["viewer"].get("/api/v1/forecast?months=12").json()["backtest"]
    rows = detail["model"]["by_horizon"]
    # hand check: the mean absolute error and coverage are what the month-by-month rows say
    assert detail["model"]["mae"] == pytest.approx(
        sum(abs(r["forecast"] - r["actual"]) for r in rows) / len(rows), abs=0.06
    )
    assert detail["model"]["coverage"] == pytest.approx(
        sum(r["covered"] for r in rows) / len(rows), abs=0.001
    )
    last = detail["baselines"]["last_value"]["by_horizon"]
    assert detail["baselines"]["last_value"]["mae"] == pytest.approx(
        sum(abs(r["error"]) for r in last) / len(last), abs=0.06
    )
    summary = re.search(r'id="backtest-mae">([^<]+)<', html).group(1)
    assert summary == f"{detail['model']['mae']:.1f}"
    table = table_cells(html, "backtest-table")[1:]
    assert [int(r[1]) for r in table] == [r["actual"] for r in rows]


def test_exports(world) -> None:  # type: ignore[no-untyped-def]
    viewer = world[2]["viewer"]
    body = viewer.get("/forecast/export.csv?months=12").text
    rows = list(csv.DictReader(io.StringIO(body)))
    api = viewer.get("/api/v1/forecast?months=12").json()["forecast"]
    assert [float(r["total"]) for r in rows] == [m["total"] for m in api["months"]]
    assert "exported" not in api
    assert viewer.get("/forecast/export.xlsx?months=12").content[:2] == b"PK"
    assert viewer.get("/forecast/export.pdf?months=12").status_code == 404


def test_page_views_read_the_cache(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import forecast

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("recomputed on a page view")

    monkeypatch.setattr(forecast, "forecast", refuse)
    monkeypatch.setattr(forecast, "backtest", refuse)
    assert world[2]["viewer"].get("/forecast?months=12").status_code == 200


def test_bad_horizon_is_refused_by_the_api(world) -> None:  # type: ignore[no-untyped-def]
    assert world[2]["viewer"].get("/api/v1/forecast?months=7").status_code == 422
