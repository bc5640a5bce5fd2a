"""The projected mean against closed-form answers, and the simulation against the mean."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kinsight.forecast.model import FittedRates
from kinsight.forecast.project import Adjustment, month_dates, project
from kinsight.forecast.states import StateSpace

ONE = StateSpace(("Fostering",), ())


def _rates(space, moves, exits, exposure, entries, days=1000):
    return FittedRates(
        space,
        date(2020, 1, 1),
        date(2020, 1, 1).fromordinal(date(2020, 1, 1).toordinal() + days),
        np.asarray(moves, float),
        np.asarray(exits, float),
        np.asarray(exposure, float),
        np.asarray(entries, float),
    )


def test_one_state_mean_matches_closed_form():
    # exit rate mu = 50 / 25000 per day, entry lambda = 200 / 1000 per day
    rates = _rates(ONE, [[0]], [50], [25000], [200])
    mu, lam = 50 / 25000, 0.2
    p = project(rates, np.array([100]), date(2025, 3, 31), 12, sims=200)
    for k, day in enumerate(p.dates):
        t = (day - p.dates[0]).days
        expected = 100 * np.exp(-mu * t) + lam / mu * (1 - np.exp(-mu * t))
        assert p.mean[k, 0] == pytest.approx(expected, rel=1e-9)


def test_two_state_mean_matches_eigen_solution_without_entries():
    space = StateSpace(("A", "B"), ())
    a, b, x = 0.01, 0.004, 0.002  # A->B, B->A, exit from B
    rates = _rates(space, [[0, a * 1000], [b * 1000, 0]], [0, x * 1000], [1000, 1000], [0, 0])
    p = project(rates, np.array([50, 0]), date(2025, 1, 31), 3, sims=100)
    q = np.array([[-a, a], [b, -(b + x)]])
    w, v = np.linalg.eig(q.T)
    for k, day in enumerate(p.dates):
        t = (day - p.dates[0]).days
        expected = (v @ np.diag(np.exp(w * t)) @ np.linalg.inv(v)) @ np.array([50, 0])
        np.testing.assert_allclose(p.mean[k], expected.real, rtol=1e-9, atol=1e-9)


def test_simulated_paths_centre_on_the_mean():
    space = StateSpace(("A", "B"), ())
    rates = _rates(space, [[0, 400], [300, 0]], [300, 500], [100000, 50000], [150, 60])
    p = project(rates, np.array([300, 80]), date(2025, 3, 31), 24, sims=2000)
    sim_mean = p.sim_groups.sum(-1).mean(0)
    sim_sd = p.sim_groups.sum(-1).std(0)
    assert np.all(np.abs(sim_mean - p.mean.sum(1)) < 4 * sim_sd / np.sqrt(2000) + 0.5)
    assert np.all(p.total_lower <= p.mean.sum(1) + 1e-9) and np.all(p.mean.sum(1) <= p.total_upper + 1e-9)
    assert p.total_upper[-1] - p.total_lower[-1] > p.total_upper[1] - p.total_lower[1]  # widens with horizon


def test_zero_entries_scenario_only_decays():
    rates = _rates(ONE, [[0]], [50], [25000], [200])
    adj = Adjustment(entry=np.array([0.0]), move=np.ones((1, 1)), exit=np.ones(1))
    p = project(rates, np.array([100]), date(2025, 3, 31), 6, adjustment=adj, sims=100)
    assert np.all(np.diff(p.mean[:, 0]) < 0)
    assert p.sim_groups[:, 1:, 0].max() <= 100


def test_month_dates_clamp_to_month_end():
    assert month_dates(date(2025, 1, 31), 3) == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
    ]
