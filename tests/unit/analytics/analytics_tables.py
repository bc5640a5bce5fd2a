"""Builders of hand-crafted typed store tables in an in-memory DuckDB, shaped as CONVENTIONS.md fixes them.

A plain module rather than conftest.py, so tests import it by a name no other folder uses.
"""

from __future__ import annotations

from datetime import date

import duckdb

EPISODE_COLS = {
    "CHILD": "VARCHAR",
    "DECOM": "DATE",
    "RNE": "VARCHAR",
    "LS": "VARCHAR",
    "CIN": "VARCHAR",
    "PLACE": "VARCHAR",
    "PLACE_PROVIDER": "VARCHAR",
    "DEC": "DATE",
    "REC": "VARCHAR",
    "REASON_PLACE_CHANGE": "VARCHAR",
    "URN": "VARCHAR",
}
HEADER_COLS = {"CHILD": "VARCHAR", "SEX": "VARCHAR", "DOB": "DATE", "ETHNIC": "VARCHAR"}
META = {"collection_year": "VARCHAR", "_row": "INTEGER", "_file": "VARCHAR"}


def make_table(con: duckdb.DuckDBPyConnection, name: str, cols: dict[str, str], rows: list[dict]) -> None:
    allcols = {**cols, **META}
    con.execute(f"CREATE OR REPLACE TABLE {name} ({', '.join(f'{c} {t}' for c, t in allcols.items())})")
    counters: dict[str, int] = {}
    for row in rows:
        year = row["collection_year"]
        counters[year] = counters.get(year, 0) + 1
        values = [row.get(c) for c in cols] + [year, counters[year], f"{name}_{year}.csv"]
        con.execute(f"INSERT INTO {name} VALUES ({', '.join('?' * len(values))})", values)


def ep(
    child: str,
    decom: date,
    dec: date | None,
    year: str,
    *,
    rne: str = "S",
    ls: str = "C2",
    place: str = "U4",
    rec: str | None = None,
    cin: str = "N1",
    provider: str = "PR1",
    urn: str | None = None,
) -> dict:
    """One episode row as it appears in the ``year`` return."""
    if dec is not None and rec is None:
        rec = "E4A"
    return {
        "CHILD": child,
        "DECOM": decom,
        "DEC": dec,
        "RNE": rne,
        "LS": ls,
        "PLACE": place,
        "REC": rec,
        "CIN": cin,
        "PLACE_PROVIDER": provider,
        "URN": urn,
        "collection_year": year,
    }


def hd(child: str, dob: date, year: str, sex: str = "1", ethnic: str = "WBRI") -> dict:
    return {"CHILD": child, "DOB": dob, "SEX": sex, "ETHNIC": ethnic, "collection_year": year}
