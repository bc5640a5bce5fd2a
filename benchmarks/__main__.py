"""Run every ``benchmarks/bench_*.py`` module and print one table of figures against their targets.

Each module exposes ``run(quick: bool) -> list[Result]``.  ``--quick`` shrinks the inputs for a smoke
run; the figures recorded in benchmarks/README.md come from a full run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.common import Result, host_check, machine_description


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="only these modules (e.g. ingest quality)")
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke run")
    parser.add_argument("--json", dest="json_out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    here = Path(__file__).parent
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if args.names:
        modules = [m for m in modules if m.removeprefix("bench_") in args.names]
    console = Console()
    results: list[Result] = host_check("before")
    for name in modules:
        console.print(f"[bold]running {name}[/]")
        module = importlib.import_module(f"benchmarks.{name}")
        results.extend(module.run(quick=args.quick))
    results.extend(host_check("after"))

    table = Table(title=f"Kinsight benchmarks on {machine_description()}")
    for col in ("benchmark", "measured", "target", "peak memory", "met"):
        table.add_column(col)
    for r in results:
        table.add_row(r.name, r.measured_text(), r.target_text(), r.memory_text(), "yes" if r.met else "NO")
    console.print(table)
    if args.json_out:
        args.json_out.write_text(json.dumps([r.as_dict() for r in results], indent=2))
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
