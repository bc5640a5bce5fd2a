"""Small hand-rolled 903 header and episodes tables for tests, independent of the synth package."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import polars as pl


def make_903(children: int = 300, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    header, episodes = [], []
    for c in range(children):
        child = f"C{c:04d}"
        dob = date(2006, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 16)))
        header.append(
            {
                "CHILD": child,
                "SEX": str(rng.integers(1, 3)),
                "ETHNIC": str(rng.choice(["WBRI", "BAFR", "APKN", "MWBC"])),
                "DOB": dob,
                "collection_year": "2024-25",
            }
        )
        start = date(2021, 4, 1) + timedelta(days=int(rng.integers(0, 900)))
        teen = (start - dob).days > 365 * 12
        for k in range(int(rng.integers(1, 5))):
            place = str(rng.choice(["K2", "U4"] if teen else ["U1", "U4"]))
            length = int(
                rng.integers(20, 150) if place == "K2" and rng.random() < 0.7 else rng.integers(100, 700)
            )
            end = start + timedelta(days=length)
            last = end > date(2025, 3, 31)
            episodes.append(
                {
                    "CHILD": child,
                    "DECOM": start,
                    "RNE": "S" if k == 0 else "P",
                    "LS": "C2",
                    "CIN": "N1",
                    "PLACE": place,
                    "PLACE_PROVIDER": "PR1",
                    "DEC": None if last else end,
                    "REC": None if last else "X1",
                    "REASON_PLACE_CHANGE": None if last else str(rng.choice(["CARPL", "CREQB"])),
                    "collection_year": "2024-25",
                }
            )
            if last:
                break
            start = end
    return pl.DataFrame(header), pl.DataFrame(episodes)


def write_903_store(home: Path, children: int = 300, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Make the tables with ``make_903`` and store them as ``ssda903_header`` and ``ssda903_episodes`` in
    ``home``'s analytical store; returns them for the test's own computation."""
    header, episodes = make_903(children, seed=seed)
    with duckdb.connect(str(home / "store.duckdb")) as con:
        con.register("h", header.to_arrow())
        con.register("e", episodes.to_arrow())
        con.execute("create table ssda903_header as select * from h")
        con.execute("create table ssda903_episodes as select * from e")
    return header, episodes
