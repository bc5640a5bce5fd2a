"""Fairness gaps between groups: the largest difference and the smallest ratio of a metric.

Read the same way as fairlearn's ``MetricFrame.difference()`` and ``.ratio()`` (method ``between_groups``):
difference = highest group value minus lowest, ratio = lowest divided by highest.  Only groups whose metrics
are shown (not suppressed) and for which the metric is defined take part, so a tiny group cannot create or
hide a gap.  When bootstrap draws are available, the gap gets its own percentile interval, computed from the
same resamples as the groups (groups are resampled independently of each other).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from kinsight.evaluation.bootstrap import Interval, percentile_interval
from kinsight.evaluation.metrics import Metric

GAP_METRICS: tuple[Metric, ...] = (
    Metric.RECALL,
    Metric.PRECISION,
    Metric.SELECTION_RATE,
    Metric.FALSE_POSITIVE_RATE,
)


@dataclass(frozen=True)
class Gap:
    metric: Metric
    difference: float | None
    ratio: float | None
    lowest_group: str | None
    highest_group: str | None
    groups_compared: int
    difference_interval: Interval | None

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {
            "difference": self.difference,
            "ratio": self.ratio,
            "lowest_group": self.lowest_group,
            "highest_group": self.highest_group,
            "groups_compared": self.groups_compared,
        }
        if self.difference_interval is not None:
            body["difference_ci"] = [self.difference_interval.lower, self.difference_interval.upper]
        return body


def metric_gap(
    metric: Metric,
    values: dict[str, float],
    draws: dict[str, np.ndarray] | None = None,
    confidence: float = 0.95,
) -> Gap:
    """Gap in one metric across the given groups (``values`` holds only shown, defined group values)."""
    defined = {k: v for k, v in values.items() if v is not None and not np.isnan(v)}
    if len(defined) < 2:
        return Gap(metric, None, None, None, None, len(defined), None)
    low_key = min(defined, key=lambda k: (defined[k], k))
    high_key = max(defined, key=lambda k: (defined[k], k))
    low, high = defined[low_key], defined[high_key]
    ratio = low / high if high > 0 else None
    interval = None
    if draws:
        stacked = np.vstack([draws[k] for k in defined if k in draws])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            spread = np.nanmax(stacked, axis=0) - np.nanmin(stacked, axis=0)
        interval = percentile_interval(spread, confidence)
    return Gap(metric, high - low, ratio, low_key, high_key, len(defined), interval)
