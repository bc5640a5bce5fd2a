"""What rule SQL sees (docs/RULES.md): per-year temp tables, ``params``, ``codeset()`` and helper macros.

Tables are materialised lazily, once per year, only when a rule asks for them: ``<table>`` (this year),
``<table>_last`` (previous year, empty if not held) and ``<table>_raw`` and ``<table>_last_raw``
(the rows as received, all VARCHAR, for "not a valid date" rules that must see what the typed column
could not hold, and for columns a file carries beyond the spec).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from kinsight.domain.years import format_year, parse_year, year_end, year_start

CHILD_COLUMNS = ("CHILD", "LAchildID")
LAST_SUFFIX = "_last"
RAW_SUFFIX = "_raw"
LOOKUP_PREFIX = "lookup_"

# Helper macros every rule may use.  They are small and named for what they mean to a data officer.
MACROS = (
    # Whole years of age on a date (birthdays count on the day itself).
    "CREATE OR REPLACE TEMP MACRO age_on(dob, on_date) AS date_sub('year', dob, on_date)",
    # A raw value that is blank, or a date written DD/MM/YYYY or YYYY-MM-DD.
    "CREATE OR REPLACE TEMP MACRO is_blank(v) AS (v IS NULL OR trim(CAST(v AS VARCHAR)) = '')",
    "CREATE OR REPLACE TEMP MACRO valid_date(v) AS (coalesce(try_strptime(trim(CAST(v AS VARCHAR)), '%d/%m/%Y'),"
    " try_strptime(trim(CAST(v AS VARCHAR)), '%Y-%m-%d')) IS NOT NULL)",
)


def base_table(name: str) -> str:
    """``episodes_last``, ``episodes_raw`` and ``episodes_last_raw`` all read the dataset table ``episodes``."""
    name = name.removesuffix(RAW_SUFFIX)
    return name.removesuffix(LAST_SUFFIX)


def previous_year(year: str) -> str:
    return format_year(parse_year(year) - 1)


def store_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database()"
    ).fetchall()
    views = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal AND database_name = current_database()"
    ).fetchall()
    return {r[0].lower() for r in rows} | {v[0].lower() for v in views}


def rows_by_year(con: duckdb.DuckDBPyConnection, dataset: str, tables: Sequence[str]) -> dict[str, dict[str, int]]:
    """Rows held per dataset table and year, in one query, so presence tests cost nothing later."""
    if not tables:
        return {}
    union = " UNION ALL ".join(
        f"SELECT '{t}' AS t, collection_year AS y, count(*) AS n FROM {dataset}_{t} GROUP BY ALL" for t in tables
    )
    out: dict[str, dict[str, int]] = {t: {} for t in tables}
    for table, year, n in con.execute(union).fetchall():
        out[table][year] = n
    return out


def files_listed(con: duckdb.DuckDBPyConnection, dataset: str) -> set[tuple[str, str]]:
    """(table, year) pairs ingest recorded in ``_files``: a table received empty is still present."""
    if "_files" not in store_tables(con):
        return set()
    try:
        rows = con.execute('SELECT "table", "year" FROM _files WHERE dataset = ?', [dataset]).fetchall()
    except duckdb.Error:
        return set()
    return {(str(t).lower(), str(y)) for t, y in rows}


@dataclass
class YearContext:
    """The temp tables and macros for checking one dataset in one collection year."""

    con: duckdb.DuckDBPyConnection
    dataset: str
    year: str
    tables: Sequence[str]
    present: set[str]
    codesets: Mapping[str, Sequence[str]] = field(default_factory=dict)
    _made: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.last_year = previous_year(self.year)
        con = self.con
        for statement in MACROS:
            con.execute(statement)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE params AS SELECT ?::VARCHAR AS year, ?::DATE AS collection_start,"
            " ?::DATE AS collection_end, ?::VARCHAR AS last_year",
            [self.year, year_start(self.year), year_end(self.year), self.last_year],
        )
        con.execute("CREATE OR REPLACE TEMP TABLE _codesets (name VARCHAR, code VARCHAR)")
        rows = [(name, str(code)) for name, codes in self.codesets.items() for code in codes]
        if rows:
            con.executemany("INSERT INTO _codesets VALUES (?, ?)", rows)
        con.execute("CREATE OR REPLACE TEMP MACRO codeset(set_name) AS TABLE SELECT code FROM _codesets WHERE name = set_name")

    def missing(self, names: Sequence[str]) -> list[str]:
        """The tables a rule reads that this year does not have (``_last`` needs only its base table)."""
        gone = []
        for name in names:
            if name.startswith(LOOKUP_PREFIX):
                if name not in self.present:
                    gone.append(name)
            elif base_table(name) not in self.present:
                gone.append(base_table(name))
        return sorted(set(gone))

    def ensure(self, names: Sequence[str]) -> None:
        for name in names:
            if name in self._made or name.startswith(LOOKUP_PREFIX):
                continue
            base = base_table(name)
            plain = name.removesuffix(RAW_SUFFIX)
            source = f"raw_{self.dataset}_{base}" if name.endswith(RAW_SUFFIX) else f"{self.dataset}_{base}"
            year = self.last_year if plain.endswith(LAST_SUFFIX) else self.year
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {source} WHERE collection_year = ?", [year])
            self._made.add(name)

    def child_column(self, table: str) -> str | None:
        columns = {c.lower(): c for c in self.columns(table)}
        for candidate in CHILD_COLUMNS:
            if candidate.lower() in columns:
                return columns[candidate.lower()]
        return None

    def columns(self, table: str) -> list[str]:
        self.ensure([table])
        return [row[0] for row in self.con.execute(f"DESCRIBE {table}").fetchall()]

    def close(self) -> None:
        for name in self._made:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{name}")
        self._made.clear()
