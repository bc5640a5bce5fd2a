"""Profile the typed tables for the catalogue: rows, share missing and distinct values per field and year.

One SQL query per table, grouped by collection year, so the catalogue stays quick however many years
are held.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from kinsight.domain.specs import TableSpec
from kinsight.ingest.typing import quote
from kinsight.ingest.writer import table_columns, typed_name


@dataclass(frozen=True)
class FieldProfile:
    name: str
    type: str
    missing_pct: float
    distinct: int


@dataclass(frozen=True)
class TableProfile:
    year: str
    rows: int
    fields: tuple[FieldProfile, ...]


def profile_table(con: duckdb.DuckDBPyConnection, dataset: str, table: TableSpec) -> dict[str, TableProfile]:
    """Profile of every year held of one typed table; fields are those in force in each year."""
    store_table = typed_name(dataset, table.name)
    present = table_columns(con, store_table)
    if not present:
        return {}
    # A field the spec gained after the data was loaded has no column yet: it is wholly blank.
    names = [n for n in table.fields if n.lower() in present]
    parts = ["collection_year", "count(*)"]
    for name in names:
        parts += [f"count({quote(name)})", f"count(DISTINCT {quote(name)})"]
    rows = con.execute(
        f"SELECT {', '.join(parts)} FROM {quote(store_table)} GROUP BY collection_year"
    ).fetchall()
    out: dict[str, TableProfile] = {}
    for row in rows:
        year, total = row[0], int(row[1])
        in_force = table.in_force(year).fields
        fields = []
        counts = {name: (int(row[2 + 2 * i]), int(row[3 + 2 * i])) for i, name in enumerate(names)}
        for name in table.fields:
            if name not in in_force:
                continue
            filled, distinct = counts.get(name, (0, 0))
            missing = round(100.0 * (total - filled) / total, 2) if total else 0.0
            fields.append(FieldProfile(name, str(table.fields[name].type), missing, distinct))
        out[year] = TableProfile(year, total, tuple(fields))
    return out
