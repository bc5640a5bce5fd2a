"""Confidence intervals for the diagnostic view: one proportion, one count, and differences between two.

* Proportions: Wilson score interval (good coverage for small n and p near 0 or 1).
* Counts and rates: exact Poisson (Garwood) interval from the chi-squared distribution.
* Difference of two independent proportions: Newcombe's hybrid score interval (his method 10),
  built from the two Wilson intervals.
* Ratio of two counts (e.g. starts this year against last, same population): exact, conditional on
  the total, from the Clopper-Pearson interval of x1 / (x1 + x2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kinsight.errors import UsageError


@dataclass(frozen=True)
class Estimate:
    estimate: float | None
    lower: float | None
    upper: float | None
    method: str


def _z(confidence: float) -> float:
    from scipy import stats  # imported when used: scipy.stats is slow to import

    if not 0 < confidence < 1:
        raise UsageError(f"confidence {confidence} must be between 0 and 1", hint="e.g. 0.95")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson(successes: int, n: int, confidence: float = 0.95) -> Estimate:
    if n <= 0:
        return Estimate(None, None, None, "wilson")
    if not 0 <= successes <= n:
        raise UsageError(f"{successes} successes out of {n} is impossible")
    z = _z(confidence)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), "wilson")


def poisson_exact(count: int, exposure: float = 1.0, confidence: float = 0.95) -> Estimate:
    """Exact interval for a Poisson mean (or rate ``count / exposure``)."""
    if exposure <= 0:
        return Estimate(None, None, None, "poisson_exact")
    from scipy import stats

    alpha = 1 - confidence
    lower = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    upper = float(stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    return Estimate(count / exposure, lower / exposure, upper / exposure, "poisson_exact")


def newcombe_difference(x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95) -> Estimate:
    """p1 - p2 with Newcombe's hybrid score interval."""
    a, b = wilson(x1, n1, confidence), wilson(x2, n2, confidence)
    if a.estimate is None or b.estimate is None:
        return Estimate(None, None, None, "newcombe")
    assert a.lower is not None and a.upper is not None and b.lower is not None and b.upper is not None
    d = a.estimate - b.estimate
    lower = d - math.sqrt((a.estimate - a.lower) ** 2 + (b.upper - b.estimate) ** 2)
    upper = d + math.sqrt((a.upper - a.estimate) ** 2 + (b.estimate - b.lower) ** 2)
    return Estimate(d, lower, upper, "newcombe")


def count_ratio(
    x1: int, x2: int, exposure1: float = 1.0, exposure2: float = 1.0, confidence: float = 0.95
) -> Estimate:
    """Rate ratio (x1/e1) / (x2/e2) with the exact conditional interval."""
    total = x1 + x2
    if total == 0 or x2 == 0 or exposure1 <= 0 or exposure2 <= 0:
        return Estimate(None, None, None, "exact_conditional")
    from scipy import stats

    alpha = 1 - confidence
    lo_p = 0.0 if x1 == 0 else float(stats.beta.ppf(alpha / 2, x1, x2 + 1))
    hi_p = 1.0 if x1 == total else float(stats.beta.ppf(1 - alpha / 2, x1 + 1, x2))
    scale = exposure2 / exposure1
    to_ratio = lambda p: p / (1 - p) * scale if p < 1 else math.inf  # noqa: E731
    return Estimate((x1 / exposure1) / (x2 / exposure2), to_ratio(lo_p), to_ratio(hi_p), "exact_conditional")
