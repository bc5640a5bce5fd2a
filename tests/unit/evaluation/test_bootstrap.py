"""Bootstrap intervals: coverage on simulated data with a known true recall, and basic behaviour."""

from __future__ import annotations

import numpy as np

from kinsight.evaluation.bootstrap import BootstrapSettings, percentile_interval
from kinsight.evaluation.evaluate import EvaluationOptions, evaluate

TRUE_RECALL = 0.6


def _simulate(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Children with the outcome are flagged with probability TRUE_RECALL, so recall's true value is known."""
    y = (rng.random(n) < 0.3).astype(int)
    flagged_if_positive = rng.random(n) < TRUE_RECALL
    flagged_if_negative = rng.random(n) < 0.2
    label = np.where(y == 1, flagged_if_positive, flagged_if_negative).astype(int)
    return y, label


def test_95_percent_interval_covers_true_recall_about_95_times_in_100() -> None:
    """200 simulated datasets: the 95% interval should contain the true recall in 90%-99% of them.

    With 200 datasets the observed coverage of a correct 95% interval has a standard error of about 1.5
    points; percentile intervals run slightly narrow for proportions, so the band is 0.90 to 0.99.
    """
    rng = np.random.default_rng(2024)
    covered = 0
    widths = []
    for i in range(200):
        y, label = _simulate(rng, 300)
        options = EvaluationOptions(min_group_size=10, bootstrap=BootstrapSettings(resamples=400, seed=i))
        low, high = evaluate(y, label=label, options=options)["overall"]["ci"]["recall"]
        covered += low <= TRUE_RECALL <= high
        widths.append(high - low)
    coverage = covered / 200
    assert 0.90 <= coverage <= 0.99, coverage
    # and the intervals are not trivially wide: about 2 * 1.96 * sqrt(.6 * .4 / 90) = 0.2
    assert 0.12 < float(np.mean(widths)) < 0.28


def test_interval_contains_estimate_and_is_reproducible_with_a_seed() -> None:
    rng = np.random.default_rng(7)
    y = (rng.random(500) < 0.25).astype(int)
    s = np.clip(0.3 * y + rng.random(500) * 0.7, 0, 1)
    options = EvaluationOptions(bootstrap=BootstrapSettings(resamples=300, seed=3))
    first = evaluate(y, score=s, options=options)["overall"]
    second = evaluate(y, score=s, options=options)["overall"]
    assert first["ci"] == second["ci"]
    for metric in ("precision", "recall", "roc_auc", "pr_auc", "brier"):
        low, high = first["ci"][metric]
        assert low <= first[metric] <= high


def test_undefined_resamples_are_left_out() -> None:
    interval = percentile_interval(np.array([np.nan, 0.2, 0.4, np.nan]), 0.95)
    assert interval.resamples_used == 2
    assert 0.2 <= interval.lower <= interval.upper <= 0.4
    assert percentile_interval(np.array([np.nan]), 0.95).lower is None
