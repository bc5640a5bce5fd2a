"""The CLI contract: indicators, forecast, backtest and scenario with --json on a small store."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest
from typer.testing import CliRunner

from kinsight.cli.main import build_app


def _store(home: Path) -> None:
    """Three collection years of a small authority: open episodes repeated in each return."""
    rng = np.random.default_rng(3)
    eps, heads = [], []
    for c in range(400):
        start = date(2016, 4, 1) + timedelta(days=int(rng.integers(0, 3200)))
        length = int(rng.exponential(500)) + 1
        end = start + timedelta(days=length)
        place = str(rng.choice(["U4", "K2", "H5", "P1"], p=[0.6, 0.15, 0.1, 0.15]))
        dob = start - timedelta(days=int(rng.integers(0, 16 * 365)))
        eps.append((f"C{c}", start, end if end <= date(2025, 3, 31) else None, place))
        heads.append((f"C{c}", dob))
    con = duckdb.connect(str(home / "store.duckdb"))
    con.execute(
        "CREATE TABLE ssda903_episodes (CHILD VARCHAR, DECOM DATE, RNE VARCHAR, LS VARCHAR, CIN VARCHAR, "
        "PLACE VARCHAR,"
        " PLACE_PROVIDER VARCHAR, DEC DATE, REC VARCHAR, collection_year VARCHAR, _row INTEGER)"
    )
    con.execute(
        "CREATE TABLE ssda903_header (CHILD VARCHAR, SEX VARCHAR, DOB DATE, ETHNIC VARCHAR, "
        "collection_year VARCHAR, _row INTEGER)"
    )
    for y in range(2017, 2026):
        ys, ye, label = date(y - 1, 4, 1), date(y, 3, 31), f"{y - 1}-{y % 100:02d}"
        row = 0
        for (child, start, end, place), (_, dob) in zip(eps, heads, strict=True):
            if start <= ye and (end is None or end >= ys):
                row += 1
                dec = end if end is not None and end <= ye else None
                con.execute(
                    "INSERT INTO ssda903_episodes VALUES (?, ?, 'S', 'C2', 'N1', ?, 'PR1', ?, ?, ?, ?)",
                    [child, start, place, dec, "E4A" if dec else None, label, row],
                )
                con.execute(
                    "INSERT INTO ssda903_header VALUES (?, '1', ?, 'WBRI', ?, ?)", [child, dob, label, row]
                )
    con.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("home")
    _store(path)
    return path


def _run(args: list[str]) -> dict:
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_indicators_json_gives_raw_counts_by_year(home):
    out = _run(["indicators", "--json", "--home", str(home)])
    con = duckdb.connect(str(home / "store.duckdb"), read_only=True)
    expected = con.sql("""SELECT count(DISTINCT CHILD) FROM (
                           SELECT CHILD, DECOM, arg_max(DEC, collection_year) AS DEC,
                           max(collection_year) AS y FROM ssda903_episodes GROUP BY ALL)
                          WHERE DECOM <= DATE '2024-03-31'
                            AND (DEC IS NULL OR DEC > DATE '2024-03-31')""").fetchall()[
        0
    ][0]
    assert out["cla_at_31_march"]["2023-24"] == expected
    assert set(out["cla_at_31_march"]) == {f"{y - 1}-{y % 100:02d}" for y in range(2017, 2026)}
    assert "starts" in out and "ceased" in out and "cla_by_age_band" in out


def test_indicators_text_shows_the_latest_five_years_with_age_bands_in_age_order(home):
    result = CliRunner().invoke(build_app(), ["indicators", "--home", str(home)], terminal_width=120)
    assert result.exit_code == 0, result.output
    assert "Latest 5 of 9 years" in result.stdout
    assert "2024-25" in result.stdout and "2019-20" not in result.stdout
    by_age = result.stdout[result.stdout.index("at 31 March by age") :]
    shown = [band for band in ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over") if band in by_age]
    assert len(shown) >= 3
    assert [by_age.index(band) for band in shown] == sorted(by_age.index(band) for band in shown)


def test_indicators_publish_suppresses_small_cells(home):
    out = _run(["indicators", "--json", "--publish", "--home", str(home)])
    assert out["_meta"]["published"] is True
    values = [v for year in out["cla_by_placement"]["values"].values() for v in year.values()]
    assert all(not (str(v).isdigit() and 1 <= int(v) <= 5) for v in values)


def test_forecast_json_contract(home):
    out = _run(
        ["forecast", "--start", "2025-03-31", "--months", "6", "--json", "--sims", "100", "--home", str(home)]
    )
    assert len(out["months"]) == 6
    m = out["months"][0]
    assert {"month", "total", "lower", "upper", "by_placement"} <= set(m)
    assert m["lower"] <= m["total"] <= m["upper"]
    assert sum(m["by_placement"].values()) == pytest.approx(m["total"], abs=0.5)
    assert "interval_method" in out and "rates" in out and out["backtest"]["available"] is True


def test_backtest_json_contract(home):
    out = _run(
        ["backtest", "--at", "2024-03-31", "--months", "12", "--json", "--sims", "100", "--home", str(home)]
    )
    assert {"mae", "mape", "coverage", "by_horizon"} <= set(out["model"])
    assert set(out["baselines"]) == {"last_value", "linear_trend"}


def test_scenario_and_export(home, tmp_path):
    scen = tmp_path / "s.yaml"
    scen.write_text("- name: double entries\n  entry: {'*': 2}\n")
    out = _run(["scenario", str(scen), "--months", "3", "--json", "--sims", "100", "--home", str(home)])
    assert out["scenarios"][0]["months"][-1]["total"] > out["base"]["months"][-1]["total"]
    _run(
        [
            "forecast",
            "--months",
            "3",
            "--json",
            "--sims",
            "100",
            "--export",
            "csv,xlsx,html",
            "--out",
            str(tmp_path),
            "--home",
            str(home),
        ]
    )
    assert {p.suffix for p in tmp_path.glob("forecast-*")} == {".csv", ".xlsx", ".html"}


def test_bad_date_is_a_usage_error(home):
    result = CliRunner().invoke(
        build_app(), ["backtest", "--at", "31/03/2024", "--json", "--home", str(home)]
    )
    assert result.exit_code == 2
