"""The fit recovers the true rates of a simulated world (tolerance: 12% relative, about 3 standard errors)."""

from __future__ import annotations

from datetime import date

import numpy as np
from world import GROUP_OF, simulate_world

from kinsight.forecast.model import fit
from kinsight.forecast.spells import build_pieces
from kinsight.forecast.states import StateSpace

SPACE = StateSpace(("Fostering", "Residential"), ())
ENTRY = np.array([0.4, 0.1])  # children per day
MOVE = np.array([[0.0, 0.0015], [0.004, 0.0]])  # per child-day
EXIT = np.array([0.002, 0.003])


def test_rates_recovered_within_tolerance():
    rng = np.random.default_rng(7)
    episodes = simulate_world(
        rng, entry=ENTRY, move=MOVE, exit_=EXIT, start=date(2012, 4, 1), end=date(2025, 3, 31)
    )
    pieces = build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=date(2025, 3, 31))
    rates = fit(pieces, date(2019, 3, 31), date(2025, 3, 31))
    np.testing.assert_allclose(rates.entry_rates, ENTRY, rtol=0.12)
    np.testing.assert_allclose(rates.exit_rates, EXIT, rtol=0.12)
    assert abs(rates.move_rates[0, 1] / MOVE[0, 1] - 1) < 0.12
    assert abs(rates.move_rates[1, 0] / MOVE[1, 0] - 1) < 0.12


def test_rates_recovered_with_cutoff_in_the_past():
    """Fitting at a past date must only use what was known then (later endings treated as open)."""
    rng = np.random.default_rng(11)
    episodes = simulate_world(
        rng, entry=ENTRY, move=MOVE, exit_=EXIT, start=date(2012, 4, 1), end=date(2025, 3, 31)
    )
    at = date(2021, 3, 31)
    full = fit(build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=at), date(2017, 3, 31), at)
    truncated = episodes.filter(episodes["DECOM"] <= at)
    again = fit(build_pieces(truncated, group_of=GROUP_OF, space=SPACE, cutoff=at), date(2017, 3, 31), at)
    np.testing.assert_array_equal(full.moves, again.moves)
    np.testing.assert_array_equal(full.exposure, again.exposure)
    np.testing.assert_allclose(full.exit_rates, EXIT, rtol=0.15)
