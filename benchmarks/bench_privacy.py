"""Privacy benchmarks: pseudonymise 10 M rows with 1 M distinct ids (< 5 s); k-anonymity over 10 M
rows and 6 quasi-identifiers (< 3 s).  Data is generated with numpy; each step runs in a fresh
process so peak memory is what a user would see."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.measure import START_CLOCKS, STOP_CLOCKS, measure

PSEUDONYMISE = (
    """
import time, numpy as np, polars as pl
from kinsight.privacy.tokens import pseudonymise
rows, ids = {rows}, {ids}
rng = np.random.default_rng(1)
codes = rng.integers(0, ids, rows)
frame = pl.DataFrame({{"CHILD": pl.Series(codes).cast(pl.String).str.zfill(8), "n": np.arange(rows)}})
key = bytes(range(32))
"""
    + START_CLOCKS
    + """
out = pseudonymise(frame, ["CHILD"], key)
"""
    + STOP_CLOCKS
    + """
assert out.height == rows and out["CHILD"].null_count() == 0
"""
)

KANON = (
    """
import time, numpy as np, polars as pl
from kinsight.privacy.risk import measure_risk
rows = {rows}
rng = np.random.default_rng(2)
frame = pl.DataFrame({{
    "age_band": rng.integers(0, 5, rows).astype(np.int8),
    "sex": rng.integers(0, 2, rows).astype(np.int8),
    "ethnic": rng.integers(0, 20, rows).astype(np.int8),
    "district": rng.integers(0, 300, rows).astype(np.int16),
    "birth_month": rng.integers(0, 12, rows).astype(np.int8),
    "legal_status": rng.integers(0, 13, rows).astype(np.int8),
    "need": rng.integers(0, 8, rows).astype(np.int8),
}})
"""
    + START_CLOCKS
    + """
risk = measure_risk(frame, ["age_band", "sex", "ethnic", "district", "birth_month", "legal_status"],
                    sensitive="need", k=5)
"""
    + STOP_CLOCKS
    + """
assert risk.records == rows
"""
)


def run(quick: bool) -> list[Result]:
    rows, ids = (1_000_000, 100_000) if quick else (10_000_000, 1_000_000)
    repeat = 1 if quick else 3
    m = measure(PSEUDONYMISE.format(rows=rows, ids=ids), repeat)
    results = [
        Result(
            f"privacy: pseudonymise {rows:,} rows, {ids:,} ids",
            m.wall,
            5.0,
            m.peak_mb,
            None,
            f"HMAC-SHA256, {m.note(repeat)}",
        )
    ]
    m = measure(KANON.format(rows=rows), repeat)
    results.append(
        Result(
            f"privacy: k-anonymity + l-diversity, {rows:,} rows x 6 QIs",
            m.wall,
            3.0,
            m.peak_mb,
            note=m.note(repeat),
        )
    )
    return results
