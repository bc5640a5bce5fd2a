"""Turn ``python -m benchmarks --json results.json`` output into the table kept in benchmarks/README.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(path: str) -> None:
    rows = json.loads(Path(path).read_text())
    print("| benchmark | measured | target | peak memory | met |")
    print("|---|---|---|---|---|")
    for r in rows:
        target = ", ".join(
            part
            for part in (
                f"< {r['target_seconds']:g} s" if r.get("target_seconds") is not None else "",
                f"< {r['target_mb']:g} MB" if r.get("target_mb") is not None else "",
            )
            if part
        )
        memory = f"{r['peak_mb']:.0f} MB" if r.get("peak_mb") is not None else "-"
        note = f" ({r['note']})" if r.get("note") else ""
        met = "yes" if r["met"] else "**no**"
        print(f"| {r['name']} | {r['seconds']:.3f} s{note} | {target or '-'} | {memory} | {met} |")


if __name__ == "__main__":
    main(sys.argv[1])
