"""Shared measuring helpers: wall time and peak memory of a step run in a fresh process."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / ".data"


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    target_seconds: float | None = None
    peak_mb: float | None = None
    target_mb: float | None = None
    note: str = ""

    @property
    def met(self) -> bool:
        ok = self.target_seconds is None or self.seconds <= self.target_seconds
        if self.target_mb is not None and self.peak_mb is not None:
            ok = ok and self.peak_mb <= self.target_mb
        return ok

    def measured_text(self) -> str:
        return f"{self.seconds:.3f} s" + (f" ({self.note})" if self.note else "")

    def target_text(self) -> str:
        parts = []
        if self.target_seconds is not None:
            parts.append(f"< {self.target_seconds:g} s")
        if self.target_mb is not None:
            parts.append(f"< {self.target_mb:g} MB")
        return ", ".join(parts) or "-"

    def memory_text(self) -> str:
        return f"{self.peak_mb:.0f} MB" if self.peak_mb is not None else "-"

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "met": self.met}


def machine_description() -> str:
    cpus = os.cpu_count()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{platform.machine()} {cpus} cores {mem_gb:.0f} GB, Python {platform.python_version()}"


def timed(func: Callable[[], object], repeat: int = 1) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


# The step's own peak: on Linux the high-water mark of its memory map (``VmHWM``).  ``ru_maxrss`` is no use
# here, because Linux carries it over from the forking parent through exec: a child of a runner that had
# grown to 470 MB reported 470 MB however little it used itself.
PEAK_EPILOGUE = """
def _kinsight_peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(_kinsight_peak_mb())
"""


def run_in_process(code: str) -> tuple[float, float]:
    """Run Python ``code`` in a fresh interpreter; return (seconds it measured, its peak RSS in MB).

    ``code`` must print the seconds it measured as its last line of output.  Running in a fresh
    process makes peak memory the figure a user of the command would see.
    """
    epilogue = "\n" + PEAK_EPILOGUE
    proc = subprocess.run(
        [sys.executable, "-c", code + epilogue], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{proc.stderr}")
    lines = proc.stdout.strip().splitlines()
    return float(lines[-2]), float(lines[-1])


HOST_CHECK = """
import time
best = min(
    (lambda t: (sum(i * i for i in range(3_000_000)), time.perf_counter() - t)[1])(time.perf_counter())
    for _ in range(3)
)
print(best)
"""


HOST_CHECK_DUCKDB = """
import os, tempfile, time
import duckdb

def once():
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(os.path.join(folder, "check.duckdb"))
        start = time.perf_counter()
        con.execute(
            "CREATE TABLE t AS SELECT 'C' || (i % 50000) AS child, DATE '2020-01-01' + (i % 3000)::INT AS d,"
            " md5(i::VARCHAR)[:6] AS code FROM range(1000000) r(i)"
        )
        con.execute(
            "SELECT count(*), max(n) FROM"
            " (SELECT row_number() OVER (PARTITION BY child ORDER BY d) AS n FROM t)"
        ).fetchall()
        con.close()
        return time.perf_counter() - start

print(min(once() for _ in range(3)))
"""


def host_check(label: str) -> list[Result]:
    """Two fixed workloads timed in fresh interpreters (best of 3 each): a pure-Python loop, and DuckDB
    writing a million rows to a file and numbering them per child.

    The machine is a virtual one whose speed drifts with its neighbours (the same unchanged benchmark
    took 11.6 s at one hour and 17.6 s at another), so every run reports both before and after.  The
    loop alone was not enough: DuckDB-heavy steps were seen to slow by half while it did not move, and
    the DuckDB workload is there to show that kind of slowdown.  Compare a run's figures with the
    checks printed beside them, not with another hour's.
    """
    loop, _ = run_in_process(HOST_CHECK)
    duck, _ = run_in_process(HOST_CHECK_DUCKDB)
    return [
        Result(
            f"host check ({label}): fixed reference loop",
            loop,
            None,
            note="a slower CPU shows here; not every slowdown does",
        ),
        Result(
            f"host check ({label}): fixed DuckDB workload",
            duck,
            None,
            note="1 M rows written to a DuckDB file, numbered per child: memory and disk slowdowns show",
        ),
    ]
