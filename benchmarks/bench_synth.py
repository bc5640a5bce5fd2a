"""Benchmark ``kinsight synth``: the national-size pool over ten years (SSDA903, then the CIN census),
and the ``make run`` demo size.

Each case runs in a fresh interpreter, ``REPEAT`` times; the figures are the best wall time and the
best CPU time (user + system, all threads) of those runs.  CPU time matters as much as wall time here:
the machine is shared, and wall time mostly tells how busy it was.
"""

from __future__ import annotations

import json

from benchmarks.common import DATA_DIR, Result, run_in_process

REPEAT = 3

_CODE = """
import json, shutil, time
from pathlib import Path
from kinsight.services.synth import generate
out = Path({out!r})
shutil.rmtree(out, ignore_errors=True)
start, cpu = time.perf_counter(), time.process_time()
generate(out, children={children}, years="2016-2025", seed=1, datasets={datasets!r})
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
Path({cpu_file!r}).write_text(json.dumps(cpu))
shutil.rmtree(out, ignore_errors=True)
print(seconds)
"""


def _case(name: str, children: int, datasets: tuple[str, ...], target: float | None, note: str) -> Result:
    out = DATA_DIR / f"synth-{name}"
    cpu_file = DATA_DIR / f"synth-{name}.cpu.json"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    code = _CODE.format(out=str(out), children=children, datasets=datasets, cpu_file=str(cpu_file))
    walls, cpus, peaks = [], [], []
    for _ in range(REPEAT):
        seconds, peak = run_in_process(code)
        walls.append(seconds)
        cpus.append(float(json.loads(cpu_file.read_text())))
        peaks.append(peak)
    cpu_file.unlink(missing_ok=True)
    detail = f"{note}; best of {REPEAT}: CPU {min(cpus):.1f} s, wall {min(walls):.1f} s"
    return Result(f"synth {name}", min(walls), target, min(peaks), None, detail)


def run(quick: bool) -> list[Result]:
    if quick:
        return [_case("demo-quick", 500, ("ssda903", "cin_census"), 10, "N=500 x 10 years, both datasets")]
    return [
        _case("national-903", 110_000, ("ssda903",), 60, "N=110,000 x 10 years, SSDA903 + identities"),
        _case("national-cin", 110_000, ("cin_census",), None, "N=110,000 x 10 years, CIN census only"),
        _case("demo", 2_000, ("ssda903", "cin_census"), 10, "N=2,000 x 10 years, both datasets"),
    ]
