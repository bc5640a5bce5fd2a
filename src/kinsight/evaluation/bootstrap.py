"""Percentile bootstrap confidence intervals for every metric of one group, vectorised.

Method (stated in every report): children are resampled *with replacement within their group*, so a
group's size is fixed in every resample while its number of children with the outcome varies, as it would
in another sample of the same size.  The interval is the percentile interval of the resampled metric.
Resamples in which a metric is undefined (for example no predicted positives, so no precision) are left
out of that metric's interval, and the number of resamples used is reported alongside.

Resamples are drawn as numpy index arrays in chunks, so memory stays bounded (about ``chunk * n`` integers)
whatever the number of resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinsight.evaluation.metrics import GroupData, Metric, all_metrics, resampled_table

CHUNK_CELLS = 1_000_000


@dataclass(frozen=True)
class BootstrapSettings:
    resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0

    def describe(self) -> dict[str, object]:
        return {
            "method": "percentile",
            "resampling": "children resampled with replacement within each group (group size fixed)",
            "resamples": self.resamples,
            "confidence": self.confidence,
            "seed": self.seed,
        }


def draws(
    data: GroupData, *, with_scores: bool, resamples: int, rng: np.random.Generator
) -> dict[Metric, np.ndarray]:
    """Each metric evaluated on ``resamples`` bootstrap resamples of the group (``nan`` where undefined)."""
    n = data.n
    chunk = max(1, min(resamples, CHUNK_CELLS // max(n, 1)))
    parts: dict[Metric, list[np.ndarray]] = {}
    done = 0
    while done < resamples:
        size = min(chunk, resamples - done)
        indices = rng.integers(0, n, size=(size, n), dtype=np.int64)
        values = all_metrics(resampled_table(data, indices), with_scores=with_scores)
        for metric, array in values.items():
            parts.setdefault(metric, []).append(array)
        done += size
    return {metric: np.concatenate(arrays) for metric, arrays in parts.items()}


@dataclass(frozen=True)
class Interval:
    lower: float | None
    upper: float | None
    resamples_used: int


def percentile_interval(values: np.ndarray, confidence: float) -> Interval:
    """The central ``confidence`` percentile interval of the defined (non-nan) resampled values."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return Interval(None, None, 0)
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(defined, [tail, 100.0 - tail])
    return Interval(float(low), float(high), int(defined.size))
