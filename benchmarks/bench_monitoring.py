"""Monitoring benchmarks: drift over 1M rows x 20 fields, and a full monitoring run.

The data is synthetic (12 numeric and 8 categorical fields, the current file shifted in a few
fields); it is written once under ``benchmarks/.data/monitoring`` and each step runs in a fresh
interpreter so the peak memory is what a user of the command would see.
"""

from __future__ import annotations

import shutil

from benchmarks.common import DATA_DIR, Result, run_in_process

MAKE = """
import numpy as np, polars as pl, pathlib
root = pathlib.Path({root!r}); root.mkdir(parents=True, exist_ok=True)
def frame(n, seed, shift):
    rng = np.random.default_rng(seed)
    cols = {{f"num{{i}}": rng.normal(shift if i < 3 else 0.0, 1.0, n) for i in range(12)}}
    for i in range(8):
        p = [0.4, 0.3, 0.2, 0.1] if not (shift and i == 0) else [0.1, 0.2, 0.3, 0.4]
        cols[f"cat{{i}}"] = rng.choice(["A", "B", "C", "D"], n, p=p)
    return pl.DataFrame(cols)
frame({rows}, 1, 0.0).write_parquet(root / "reference.parquet")
frame({rows}, 2, 0.8).write_parquet(root / "current.parquet")
print(0.0)
"""

DRIFT = """
import time, pathlib
from kinsight.services import monitoring as svc
root = pathlib.Path({root!r})
start = time.perf_counter()
out = svc.drift_files(root / "reference.parquet", root / "current.parquet")
elapsed = time.perf_counter() - start
assert len(out["fields"]) == 20, out["fields"].keys()
assert {{"num0", "num1", "num2", "cat0"}} <= set(out["drifted"]), out["drifted"]
print(elapsed)
"""

RUN = """
import time, pathlib
from kinsight.services import monitoring as svc
from kinsight.settings import Settings
root = pathlib.Path({root!r})
settings = Settings(home=root / "home", database_url=f"sqlite:///{{root / 'app.db'}}", secret_key="b" * 40)
actor = svc.Actor("bench", svc.LOCAL_OPERATOR)
svc.deploy(settings, actor, "bench-tool", version="1", reference=root / "reference.parquet", owner="bench")
start = time.perf_counter()
result = svc.run(settings, actor, "bench-tool", current=root / "current.parquet", period="2025-03")[0]
elapsed = time.perf_counter() - start
assert result["breached"]
print(elapsed)
"""


def run(quick: bool) -> list[Result]:
    rows = 100_000 if quick else 1_000_000
    root = DATA_DIR / "monitoring"
    shutil.rmtree(root, ignore_errors=True)
    run_in_process(MAKE.format(root=str(root), rows=rows))
    label = f"{rows:,} rows x 20 fields"
    seconds, peak = run_in_process(DRIFT.format(root=str(root)))
    results = [
        Result(f"monitor drift ({label})", seconds, 30.0 if not quick else 5.0, peak, 2000.0, "PSI + KS/chi2")
    ]
    seconds, peak = run_in_process(RUN.format(root=str(root)))
    results.append(
        Result(
            f"monitoring run ({label}, stored)",
            seconds,
            45.0 if not quick else 8.0,
            peak,
            2500.0,
            "drift, quality, usage, challenges, alerts",
        )
    )
    shutil.rmtree(root, ignore_errors=True)
    return results
