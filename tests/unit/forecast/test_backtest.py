"""Backtest errors and the naive baselines, recomputed by hand from the returned rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from world import GROUP_OF, simulate_world

from kinsight.errors import UsageError
from kinsight.forecast.backtest import month_dates_back, run_backtest
from kinsight.forecast.baselines import last_value, linear_trend
from kinsight.forecast.spells import build_pieces
from kinsight.forecast.states import StateSpace

SPACE = StateSpace(("Fostering", "Residential"), ())


def test_baselines_by_hand():
    history = np.array([[10, 0], [12, 1], [14, 2]])
    np.testing.assert_array_equal(last_value(history, 2), [[14, 2], [14, 2]])
    np.testing.assert_allclose(linear_trend(history, 2), [[16, 3], [18, 4]])
    np.testing.assert_allclose(linear_trend(np.array([[3, 1], [1, 0]]), 2), [[0, 0], [0, 0]])  # clipped at 0


def test_backtest_metrics_match_rows_and_actuals():
    rng = np.random.default_rng(5)
    entry, move, exit_ = np.array([0.1, 0.03]), np.array([[0, 0.001], [0.003, 0]]), np.array([0.002, 0.003])
    end = date(2025, 3, 31)
    episodes = simulate_world(rng, entry=entry, move=move, exit_=exit_, start=date(2015, 4, 1), end=end)
    at = date(2024, 3, 31)
    out = run_backtest(
        episodes, group_of=GROUP_OF, space=SPACE, at=at, months=12, data_start=date(2015, 4, 1), data_end=end
    )
    rows = out["model"]["by_horizon"]
    assert len(rows) == 12 and rows[-1]["month"] == "2025-03-31"
    full = build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=end)
    for r in rows:
        assert r["actual"] == full.stock_on(date.fromisoformat(r["month"])).sum()
    errors = [abs(r["forecast"] - r["actual"]) for r in rows]
    assert out["model"]["mae"] == pytest.approx(np.mean(errors), abs=0.06)
    assert out["model"]["mape"] == pytest.approx(
        np.mean([e / r["actual"] * 100 for e, r in zip(errors, rows, strict=True)]), abs=0.02
    )
    assert out["model"]["coverage"] == pytest.approx(
        np.mean([r["lower"] <= r["actual"] <= r["upper"] for r in rows])
    )
    known_at = build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=at).stock_on(at).sum()
    lv = out["baselines"]["last_value"]["by_horizon"]
    assert all(r["forecast"] == known_at for r in lv)
    assert set(out["baselines"]) == {"last_value", "linear_trend"}
    assert set(out["model"]["by_placement"]) == {"Fostering", "Residential"}


def test_backtest_refuses_dates_outside_the_data():
    episodes = simulate_world(
        np.random.default_rng(1),
        entry=np.array([0.05, 0.0]),
        move=np.zeros((2, 2)),
        exit_=np.array([0.002, 0.002]),
        start=date(2020, 4, 1),
        end=date(2025, 3, 31),
    )
    with pytest.raises(UsageError):
        run_backtest(
            episodes,
            group_of=GROUP_OF,
            space=SPACE,
            at=date(2025, 6, 30),
            months=12,
            data_start=date(2020, 4, 1),
            data_end=date(2025, 3, 31),
        )


def test_month_dates_back():
    assert month_dates_back(date(2024, 3, 31), date(2023, 12, 1)) == [
        date(2024, 3, 31),
        date(2024, 2, 29),
        date(2024, 1, 31),
        date(2023, 12, 31),
    ]
