"""Confidence intervals checked against statsmodels' independent implementations."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson

from kinsight.analytics.compare import count_ratio, newcombe_difference, poisson_exact, wilson


@pytest.mark.parametrize(("x", "n"), [(0, 10), (3, 17), (45, 52), (52, 52), (120, 1000)])
def test_wilson_matches_statsmodels(x, n):
    lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    got = wilson(x, n)
    assert got.lower == pytest.approx(lo, abs=1e-9) and got.upper == pytest.approx(hi, abs=1e-9)


@pytest.mark.parametrize(("x", "exposure"), [(0, 1.0), (1, 1.0), (17, 3.2), (460, 5.2)])
def test_poisson_exact_matches_statsmodels(x, exposure):
    lo, hi = confint_poisson(x, exposure, method="exact-c", alpha=0.05)
    got = poisson_exact(x, exposure)
    assert got.lower == pytest.approx(lo, rel=1e-9, abs=1e-12) and got.upper == pytest.approx(hi, rel=1e-9)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [(56, 70, 48, 80), (9, 10, 3, 10), (0, 25, 4, 30)])
def test_newcombe_matches_statsmodels(x1, n1, x2, n2):
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=0.05)
    got = newcombe_difference(x1, n1, x2, n2)
    assert got.estimate == pytest.approx(x1 / n1 - x2 / n2)
    assert got.lower == pytest.approx(lo, abs=1e-9) and got.upper == pytest.approx(hi, abs=1e-9)


def test_newcombe_published_example():
    # Newcombe (1998), example (a): 56/70 vs 48/80 -> 0.0524 to 0.3339
    got = newcombe_difference(56, 70, 48, 80)
    assert round(got.lower, 4) == 0.0524 and round(got.upper, 4) == 0.3339


def test_count_ratio_interval_contains_estimate_and_matches_binomial():
    from scipy.stats import binomtest

    got = count_ratio(30, 20)
    ci = binomtest(30, 50).proportion_ci(confidence_level=0.95, method="exact")
    assert got.estimate == pytest.approx(1.5)
    assert got.lower == pytest.approx(ci.low / (1 - ci.low)) and got.upper == pytest.approx(
        ci.high / (1 - ci.high)
    )
