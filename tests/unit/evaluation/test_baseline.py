"""Comparison with a baseline on the same children: McNemar's test against a hand computation."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import binomtest, chi2

from kinsight.evaluation.baseline import mcnemar_paired
from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.evaluate import EvaluationOptions, evaluate


def test_exact_mcnemar_matches_a_two_sided_binomial_test() -> None:
    outcome = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0])
    model = np.array([1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1])
    base = np.array([0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0])
    result = mcnemar_paired(outcome, model, base)
    model_right = model == outcome
    base_right = base == outcome
    b = int((model_right & ~base_right).sum())
    c = int((~model_right & base_right).sum())
    assert (result.model_only_right, result.baseline_only_right) == (b, c)
    assert math.isclose(result.p_value, binomtest(min(b, c), b + c, 0.5).pvalue)


def test_large_mcnemar_uses_corrected_chi_squared() -> None:
    rng = np.random.default_rng(1)
    outcome = rng.integers(0, 2, 500)
    model = np.where(rng.random(500) < 0.8, outcome, 1 - outcome)
    base = np.where(rng.random(500) < 0.65, outcome, 1 - outcome)
    result = mcnemar_paired(outcome, model, base)
    b, c = result.model_only_right, result.baseline_only_right
    statistic = (abs(b - c) - 1) ** 2 / (b + c)
    assert math.isclose(result.statistic, statistic)
    assert math.isclose(result.p_value, chi2.sf(statistic, 1))


def test_evaluate_reports_baseline_metrics_on_the_same_children() -> None:
    outcome = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 1])
    score = np.array([0.9, 0.2, 0.8, 0.6, 0.3, 0.1, 0.7, 0.4, 0.2, 0.95])
    base = np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 1])
    options = EvaluationOptions(bootstrap=BootstrapSettings(resamples=0))
    result = evaluate(outcome, score=score, baseline=base, options=options)
    # hand count for the baseline: tp = 3 (rows 0, 4, 9), fp = 1 (row 1), fn = 3 (rows 2, 6, 8)
    assert result["baseline"]["metrics"]["precision"] == 3 / 4
    assert result["baseline"]["metrics"]["recall"] == 3 / 6
    assert result["baseline"]["paired_test"]["method"].startswith("McNemar exact")
