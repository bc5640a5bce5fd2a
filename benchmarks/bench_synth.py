"""Benchmark ``kinsight synth``: the national-size pool over ten years, and the ``make run`` demo size."""

from __future__ import annotations

from benchmarks.common import DATA_DIR, Result, run_in_process

_CODE = """
import shutil, time
from pathlib import Path
from kinsight.services.synth import generate
out = Path({out!r})
shutil.rmtree(out, ignore_errors=True)
start = time.perf_counter()
generate(out, children={children}, years="2016-2025", seed=1, datasets={datasets!r})
print(time.perf_counter() - start)
"""


def _case(name: str, children: int, datasets: tuple[str, ...], target: float | None, note: str) -> Result:
    out = DATA_DIR / f"synth-{name}"
    seconds, peak = run_in_process(_CODE.format(out=str(out), children=children, datasets=datasets))
    return Result(f"synth {name}", seconds, target, peak, None, note)


def run(quick: bool) -> list[Result]:
    if quick:
        return [_case("demo-quick", 500, ("ssda903", "cin_census"), 10, "N=500 x 10 years, both datasets")]
    return [
        _case("national-903", 110_000, ("ssda903",), 60, "N=110,000 x 10 years, SSDA903 + identities"),
        _case("national-cin", 110_000, ("cin_census",), None, "N=110,000 x 10 years, CIN census only"),
        _case("demo", 2_000, ("ssda903", "cin_census"), 10, "N=2,000 x 10 years, both datasets"),
    ]
