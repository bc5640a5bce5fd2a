"""Costs by hand, and scenarios that change rates as named."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kinsight.errors import ConfigurationError
from kinsight.forecast.costs import UnitCosts, forecast_costs, load_unit_costs
from kinsight.forecast.model import FittedRates
from kinsight.forecast.project import project
from kinsight.forecast.scenarios import parse_scenarios
from kinsight.forecast.states import StateSpace

SPACE = StateSpace(("Fostering", "Residential"), (10,))


def _rates():
    n = SPACE.size
    moves = np.zeros((n, n))
    moves[0, 1] = 20  # young fostering -> young residential
    return FittedRates(
        SPACE,
        date(2021, 3, 31),
        date(2024, 3, 31),
        moves,
        np.array([30, 10, 40, 20.0]),
        np.full(n, 20000.0),
        np.array([100, 10, 80, 30.0]),
    )


def test_costs_by_hand_with_inflation():
    p = project(_rates(), np.array([40, 5, 30, 10]), date(2024, 3, 31), 14, sims=100)
    costs = UnitCosts({"Fostering": 700.0, "Residential": 7000.0}, 0.1, "2023-24", {})
    c = forecast_costs(p, SPACE.groups, costs)
    fost = p.mean[:, [0, 2]].sum(1)
    res = p.mean[:, [1, 3]].sum(1)
    days_april = 30
    assert c.by_group[0, 0] == pytest.approx(fost[1] * days_april * 100)
    assert c.by_group[0, 1] == pytest.approx(res[1] * days_april * 1000)
    # month 13 ends 2025-04-30: one whole year on, so costs are uprated by 10%
    assert c.by_group[12, 0] == pytest.approx(fost[13] * 30 * 100 * 1.1)
    assert np.all(c.lower <= c.total + 1e-6) and np.all(c.total <= c.upper + 1e-6)


def test_default_unit_costs_are_loaded_and_missing_groups_refused():
    costs = load_unit_costs()
    assert set(costs.weekly) >= {"Fostering", "Residential", "Supported", "Other"}
    p = project(_rates(), np.array([1, 1, 1, 1]), date(2024, 3, 31), 2, sims=50)
    with pytest.raises(ConfigurationError):
        forecast_costs(p, ("Fostering", "Secure"), costs)


def test_scenarios_adjust_the_named_rates():
    (sc,) = parse_scenarios("""
- name: Fewer moves to residential, more foster entries
  entry: {Fostering: 2}
  move: [{from: Fostering, to: Residential, multiply: 0}]
""")
    adj = sc.adjustment(SPACE)
    np.testing.assert_array_equal(adj.entry, [2, 1, 2, 1])
    assert adj.move[0, 1] == 0 and adj.move[0, 3] == 0 and adj.move[1, 0] == 1
    base = project(_rates(), np.array([40, 5, 30, 10]), date(2024, 3, 31), 12, sims=50)
    alt = project(_rates(), np.array([40, 5, 30, 10]), date(2024, 3, 31), 12, adjustment=adj, sims=50)
    assert alt.group_means[-1, 0] > base.group_means[-1, 0]
    assert alt.group_means[-1, 1] < base.group_means[-1, 1]


def test_scenario_with_unknown_group_is_refused():
    (sc,) = parse_scenarios("- name: x\n  entry: {Secure: 2}\n")
    with pytest.raises(ConfigurationError):
        sc.adjustment(SPACE)
    with pytest.raises(ConfigurationError):
        parse_scenarios("- name: x\n  bogus: 1\n")
