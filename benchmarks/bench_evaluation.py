"""Evaluation benchmark: 100,000 predictions, 20 groups, all metrics, 1,000 bootstrap resamples."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.measure import START_CLOCKS, STOP_CLOCKS, measure

CODE = (
    """
import time
import numpy as np
from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.evaluate import EvaluationOptions, evaluate
rng = np.random.default_rng(1)
n = {n}
groups = rng.integers(0, 20, n).astype(str)
y = (rng.random(n) < 0.2).astype(int)
s = np.clip(rng.normal(0.3 + 0.3 * y, 0.2), 0, 1)
options = EvaluationOptions(threshold=0.5, bootstrap=BootstrapSettings(resamples={resamples}, seed=0))
"""
    + START_CLOCKS
    + """
evaluate(y, score=s, groups={{"group": groups}}, options=options)
"""
    + STOP_CLOCKS
)


def run(quick: bool) -> list[Result]:
    n, resamples = (10_000, 200) if quick else (100_000, 1000)
    repeat = 1 if quick else 3
    m = measure(CODE.format(n=n, resamples=resamples), repeat)
    return [
        Result(
            name=f"evaluate {n:,} predictions, 20 groups, {resamples} bootstrap resamples",
            seconds=m.wall,
            target_seconds=10.0,
            peak_mb=m.peak_mb,
            note=f"all metrics, overall + per group + gap intervals; {m.note(repeat)}",
        )
    ]
