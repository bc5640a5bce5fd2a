"""Best-of-N measuring of a step in fresh interpreters: wall time, CPU time and peak memory.

On a machine shared with other work, wall time swings with the load while CPU time (user + system
time of the step itself) barely moves, so the privacy, evaluation, forecast and indicator benchmarks
report both.  The step's code must print ``cpu <seconds>`` and then, as its last line, the wall
seconds it measured; ``cpu_wall_lines`` writes those two lines for a step timed from ``t0``/``c0``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from benchmarks.common import PEAK_EPILOGUE

START_CLOCKS = "import time as _t\nt0, c0 = _t.perf_counter(), _t.process_time()\n"
"""Paste before the step: starts the wall clock (``t0``) and the CPU clock (``c0``)."""

STOP_CLOCKS = "print('cpu', _t.process_time() - c0)\nprint(_t.perf_counter() - t0)\n"
"""Paste after the step: prints the CPU line and then the wall seconds as the last line."""

_EPILOGUE = "\n" + PEAK_EPILOGUE  # the step's own peak (see benchmarks.common), printed last


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    peak_mb: float
    output: str

    def note(self, repeat: int) -> str:
        return f"CPU {self.cpu:.2f} s, best of {repeat}"


def measure(code: str, repeat: int = 1) -> Measured:
    """Run ``code`` ``repeat`` times, each in a fresh interpreter; the best wall and CPU times."""
    runs: list[Measured] = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-c", code + _EPILOGUE], capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise RuntimeError(f"benchmark step failed:\n{proc.stderr}")
        lines = proc.stdout.strip().splitlines()
        cpu = next(float(line.split()[1]) for line in reversed(lines) if line.startswith("cpu "))
        runs.append(Measured(float(lines[-2]), cpu, float(lines[-1]), "\n".join(lines[:-2])))
    return Measured(
        wall=min(r.wall for r in runs),
        cpu=min(r.cpu for r in runs),
        peak_mb=max(r.peak_mb for r in runs),
        output=runs[0].output,
    )
