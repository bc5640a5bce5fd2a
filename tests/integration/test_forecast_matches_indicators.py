"""On a synthetic authority with injected faults, the forecast starts from the indicators' count.

The faults include episodes that vanish from the next year's return and DECOMs changed in it; both
leave an open episode from an earlier return in the history, which the forecast used to carry as a
child still in care.  Generated, ingested and read exactly as a user would (services, not internals).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

YEARS = "2023-2026"
LAST_YEAR = "2025-26"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    from kinsight.services import ingest, synth
    from kinsight.settings import load_settings

    root: Path = tmp_path_factory.mktemp("forecast_vs_indicators")
    synth.generate(root / "data", children=400, years=YEARS, seed=7, faults=0.05)
    settings = load_settings(root / "home")
    ingest.ingest(settings, [root / "data" / "ssda903"])
    return settings, json.loads((root / "data" / "faults.json").read_text())


def test_faults_include_stale_open_episodes(home):
    _, faults = home
    kinds = {f["kind"] for f in faults if f["dataset"] == "ssda903" and f["table"] == "episodes"}
    assert {"previous_year_vanished", "previous_year_changed"} <= kinds


def test_forecast_start_population_equals_cla_at_31_march(home):
    from kinsight.services import analytics, forecast

    settings, _ = home
    cla = analytics.indicators(settings)["cla_at_31_march"]
    result = forecast.forecast(
        settings, start=None, months=2, options=forecast.ModelOptions(sims=20), backtest=False
    )
    assert result["start"] == date(2026, 3, 31).isoformat()
    assert result["start_population"] == cla[LAST_YEAR]


def test_every_earlier_31_march_agrees_too(home):
    from kinsight.services import analytics, forecast

    settings, _ = home
    cla = analytics.indicators(settings)["cla_at_31_march"]
    for year in ("2023-24", "2024-25"):
        start = date(int(year[:4]) + 1, 3, 31)
        result = forecast.forecast(
            settings, start=start, months=1, options=forecast.ModelOptions(sims=10), backtest=False
        )
        assert result["start_population"] == cla[year], year
