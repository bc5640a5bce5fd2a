"""Data-quality audit: synthetic SSDA903 CSV (this year and last year) -> store -> findings and summary.

Each size runs in a fresh interpreter so peak memory is what a user of ``kinsight quality`` would see.
The timed step is ingest of both years' CSV files plus the audit of the latest year (no report files).
"""

from __future__ import annotations

from benchmarks.common import DATA_DIR, Result, run_in_process

STEP = """
import shutil, time
from pathlib import Path
from kinsight.services import ingest, quality
from kinsight.settings import load_settings
data = Path({data!r})
home = Path({home!r})
shutil.rmtree(home, ignore_errors=True)
settings = load_settings(home)
start = time.perf_counter()
ingest.ingest(settings, [data / "ssda903"])
result = quality.run_quality(settings, year="2025-26", dataset="ssda903", write_files=False)
seconds = time.perf_counter() - start
print(len(result["findings"]), len(result["rules_run"]), len(result["rules_failed"]))
print(seconds)
"""


def _data(children: int) -> str:
    folder = DATA_DIR / f"quality-{children}"
    if not (folder / "faults.json").exists():
        from kinsight.services.synth import generate

        generate(folder, children=children, years=["2024-25", "2025-26"], seed=11, faults=0.01)
    return str(folder)


def run(quick: bool) -> list[Result]:
    sizes = [(1_000, 1.0, None)] if quick else [(1_000, 1.0, None), (50_000, 4.0, 1500.0)]
    results = []
    for children, target_s, target_mb in sizes:
        data = _data(children)
        seconds, peak = run_in_process(STEP.format(data=data, home=str(DATA_DIR / f"quality-home-{children}")))
        results.append(Result(f"quality: {children:,} children, CSV -> findings (2 years)", seconds, target_s, peak, target_mb))
    return results
