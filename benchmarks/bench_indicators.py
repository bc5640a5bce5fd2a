"""Indicators benchmark: every CLA indicator for one authority over 10 collection years."""

from __future__ import annotations

from benchmarks.bench_forecast import write_store
from benchmarks.common import DATA_DIR, Result, run_in_process

STEP = """
import time, duckdb
from kinsight.analytics.indicators import compute_indicators, indicator_to_json
con = duckdb.connect({path!r}, read_only=True)
t0 = time.perf_counter()
out = {{i.name: indicator_to_json(i) for i in compute_indicators(con)}}
print(len(out), out["cla_at_31_march"])
print(time.perf_counter() - t0)
"""


def run(quick: bool) -> list[Result]:
    path = DATA_DIR / "indicators_1la.duckdb"
    rows = write_store(path, 1)
    seconds, peak = run_in_process(STEP.format(path=str(path)))
    return [
        Result("all indicators, 1 authority, 10 years", seconds, 1.0, peak, note=f"{rows:,} episode rows")
    ]
