"""Comparison with the existing way of deciding, on the same children.

A model is only worth its risks if it does better than what happens now (the existing process's decisions,
or a simple rule).  Both are judged against the same outcomes; because they concern the same children the
comparison is paired, so McNemar's test is used on the children where exactly one of the two was right.
The exact binomial form is used when there are fewer than 25 such children, the chi-squared form with
continuity correction otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinsight.evaluation.metrics import Metric, confusion, count_metrics, group_data, observed_table

EXACT_BELOW = 25


@dataclass(frozen=True)
class PairedComparison:
    both_right: int
    model_only_right: int
    baseline_only_right: int
    both_wrong: int
    statistic: float
    p_value: float
    method: str

    def as_dict(self) -> dict[str, object]:
        return {
            "both_right": self.both_right,
            "model_only_right": self.model_only_right,
            "baseline_only_right": self.baseline_only_right,
            "both_wrong": self.both_wrong,
            "mcnemar_statistic": self.statistic,
            "p_value": self.p_value,
            "method": self.method,
        }


def mcnemar_paired(
    outcome: np.ndarray, model_flag: np.ndarray, baseline_flag: np.ndarray
) -> PairedComparison:
    """McNemar's test of whether model and baseline are right equally often on the same children."""
    outcome = np.asarray(outcome, dtype=bool)
    model_right = np.asarray(model_flag, dtype=bool) == outcome
    base_right = np.asarray(baseline_flag, dtype=bool) == outcome
    a = int(np.sum(model_right & base_right))
    b = int(np.sum(model_right & ~base_right))
    c = int(np.sum(~model_right & base_right))
    d = int(np.sum(~model_right & ~base_right))
    exact = (b + c) < EXACT_BELOW
    if b + c == 0:
        return PairedComparison(a, b, c, d, 0.0, 1.0, "no discordant children: identical decisions")
    # Imported here: statsmodels takes seconds to import and only this test needs it.
    from statsmodels.stats.contingency_tables import mcnemar

    result = mcnemar(np.array([[a, b], [c, d]]), exact=exact, correction=True)
    method = "McNemar exact (binomial)" if exact else "McNemar chi-squared with continuity correction"
    return PairedComparison(a, b, c, d, float(result.statistic), float(result.pvalue), method)


def label_metrics(outcome: np.ndarray, flag: np.ndarray) -> dict[str, float | None]:
    """Headline metrics of a yes/no decision (the baseline's) against the outcome."""
    table = observed_table(group_data(np.asarray(flag, dtype=float), outcome, 0.5, with_loss=False))
    values = count_metrics(confusion(table))
    keep = (
        Metric.PRECISION,
        Metric.RECALL,
        Metric.F1,
        Metric.ACCURACY,
        Metric.SELECTION_RATE,
        Metric.FALSE_POSITIVE_RATE,
    )
    return {m.value: (None if np.isnan(values[m][0]) else float(values[m][0])) for m in keep}
