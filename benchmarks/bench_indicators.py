"""Indicators benchmark: every CLA indicator for one authority over 10 collection years."""

from __future__ import annotations

from benchmarks.bench_forecast import write_store
from benchmarks.common import DATA_DIR, Result
from benchmarks.measure import START_CLOCKS, STOP_CLOCKS, measure

STEP = (
    """
import time, duckdb
from kinsight.analytics.indicators import compute_indicators, indicator_to_json
con = duckdb.connect({path!r}, read_only=True)
"""
    + START_CLOCKS
    + """
out = {{i.name: indicator_to_json(i) for i in compute_indicators(con)}}
print(len(out), out["cla_at_31_march"])
"""
    + STOP_CLOCKS
)


def run(quick: bool) -> list[Result]:
    path = DATA_DIR / "indicators_1la.duckdb"
    rows = write_store(path, 1)
    repeat = 1 if quick else 3
    m = measure(STEP.format(path=str(path)), repeat)
    return [
        Result(
            "all indicators, 1 authority, 10 years",
            m.wall,
            1.0,
            m.peak_mb,
            note=f"{rows:,} episode rows; {m.note(repeat)}",
        )
    ]
