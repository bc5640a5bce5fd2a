"""Evaluation benchmark: 100,000 predictions, 20 groups, all metrics, 1,000 bootstrap resamples."""

from __future__ import annotations

from benchmarks.common import Result, run_in_process

CODE = """
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
start = time.perf_counter()
evaluate(y, score=s, groups={{"group": groups}}, options=options)
print(time.perf_counter() - start)
"""


def run(quick: bool) -> list[Result]:
    n, resamples = (10_000, 200) if quick else (100_000, 1000)
    seconds, peak = run_in_process(CODE.format(n=n, resamples=resamples))
    return [
        Result(
            name=f"evaluate {n:,} predictions, 20 groups, {resamples} bootstrap resamples",
            seconds=seconds,
            target_seconds=10.0,
            peak_mb=peak,
            note="all metrics, overall + per group + gap intervals",
        )
    ]
