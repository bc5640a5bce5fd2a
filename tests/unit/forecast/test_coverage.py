"""Prediction intervals cover the truth about as often as they claim, over 100 simulated worlds."""

from __future__ import annotations

from datetime import date

import numpy as np
from world import GROUP_OF, simulate_world

from kinsight.forecast.model import fit
from kinsight.forecast.project import project
from kinsight.forecast.spells import build_pieces
from kinsight.forecast.states import StateSpace

SPACE = StateSpace(("Fostering", "Residential"), ())
ENTRY = np.array([0.08, 0.02])
MOVE = np.array([[0.0, 0.0015], [0.004, 0.0]])
EXIT = np.array([0.002, 0.003])


def test_80_percent_interval_coverage_near_nominal():
    rng = np.random.default_rng(2024)
    at, horizon_end = date(2023, 3, 31), date(2024, 3, 31)
    hits = 0
    worlds = 100
    for w in range(worlds):
        episodes = simulate_world(
            rng, entry=ENTRY, move=MOVE, exit_=EXIT, start=date(2016, 4, 1), end=horizon_end
        )
        known = build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=at)
        rates = fit(known, date(2020, 3, 31), at)
        p = project(rates, known.stock_on(at), at, 12, sims=300, level=0.8, seed=w)
        actual = (
            build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=horizon_end)
            .stock_on(horizon_end)
            .sum()
        )
        hits += int(p.total_lower[-1] <= actual <= p.total_upper[-1])
    # binomial(100, 0.8): 95% of outcomes lie in 72..88; allow a little for integer bounds (conservative)
    assert 70 <= hits <= 92, hits
