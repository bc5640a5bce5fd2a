"""What rule SQL sees (docs/RULES.md): per-year tables, derived relations, ``params``, ``codeset()``,
lookups and helper macros.

They live in a workspace: an in-memory database attached for the year's check and detached after it,
found through the connection's search path after the store (so a store table is never shadowed and a
``CREATE`` without a schema still goes to the store).  A workspace, unlike temp objects, is seen by every
cursor of the store's connection, so the engine can run rules on several threads at once.

Tables are made lazily, once per year, only when a rule asks for them: ``<table>`` (this year),
``<table>_last`` (previous year, empty if not held), ``<table>_earlier`` (every earlier year held) and
``<table>_raw`` and ``<table>_last_raw``
(the rows as received, all VARCHAR, for "not a valid date" rules that must see what the typed column
could not hold, and for columns a file carries beyond the spec).  Derived relations (``derived.yaml``:
``episodes_seq``, ``final_episodes`` ...) are built the same way, once, the first time a rule names them,
so two hundred rules do not each recompute "the child's previous episode": sequences and joins marked
``materialise`` as tables (a sequence links only the ``prev_C`` / ``next_C`` columns the run's rules
name), plain filters such as ``final_episodes`` as views over them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from kinsight.domain.yamlfiles import read_yaml
from kinsight.domain.years import format_year, parse_year, year_end, year_start

CHILD_COLUMNS = ("CHILD", "LAchildID")
LAST_SUFFIX = "_last"
EARLIER_SUFFIX = "_earlier"  # every year held before this one (the previous year included)
RAW_SUFFIX = "_raw"
LOOKUP_PREFIX = "lookup_"
_DERIVED_FILE = Path(__file__).with_name("derived.yaml")
_BANK_HOLIDAYS_FILE = Path(__file__).with_name("bank_holidays.yaml")
_LINK = re.compile(r"\b(prev|next)_(\w+)", re.IGNORECASE)

# Helper macros every rule may use.  They are small and named for what they mean to a data officer.
# ``{ws}`` is the workspace's schema.
MACROS = (
    # Whole years of age on a date (birthdays count on the day itself).
    "CREATE OR REPLACE MACRO {ws}.age_on(dob, on_date) AS date_sub('year', dob, on_date)",
    # A raw value that is blank, or a date written DD/MM/YYYY or YYYY-MM-DD.
    "CREATE OR REPLACE MACRO {ws}.is_blank(v) AS (v IS NULL OR trim(CAST(v AS VARCHAR)) = '')",
    "CREATE OR REPLACE MACRO {ws}.valid_date(v) AS (coalesce(try_strptime(trim(CAST(v AS VARCHAR)),"
    " '%d/%m/%Y'),"
    " try_strptime(trim(CAST(v AS VARCHAR)), '%Y-%m-%d')) IS NOT NULL)",
    "CREATE OR REPLACE MACRO {ws}.codeset(set_name) AS TABLE SELECT code FROM _codesets WHERE name ="
    " set_name",
)

# England's working days (weekdays that are not bank holidays) from 30 days before the collection year
# to its end: the calendar of the DfE's "within N working days" rules.  A table macro binds its tables
# when it is created, so this one is made after ``params`` and ``_bank_holidays``.
WORKING_DAYS_MACRO = (
    "CREATE OR REPLACE MACRO {ws}.working_days() AS TABLE SELECT day FROM ("
    " SELECT CAST(unnest(generate_series(CAST(collection_start AS TIMESTAMP) - INTERVAL 30 DAY,"
    " CAST(collection_end AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS day FROM params)"
    " WHERE isodow(day) < 6 AND day NOT IN (SELECT day FROM _bank_holidays)"
)


@functools.cache
def bank_holidays() -> tuple[str, ...]:
    """England's bank holidays as ISO dates (read once from ``bank_holidays.yaml``)."""
    data = read_yaml(_BANK_HOLIDAYS_FILE) or {}
    return tuple(str(day) for day in data.get("bank_holidays", []))


@dataclass(frozen=True)
class Derived:
    """A relation built from the year's tables (see ``derived.yaml``)."""

    name: str
    reads: tuple[str, ...]
    description: str
    source: str | None = None  # for sequences: the relation numbered
    child: str | None = None
    order: str | None = None
    reverse: str | None = None
    sql: str | None = None
    materialise: bool = False  # a plain query kept as a table: worth it when it joins and many rules read it


@functools.cache
def derived_relations() -> dict[str, Derived]:
    """The derived relations on offer, by name (read once from ``derived.yaml``)."""
    entries = read_yaml(_DERIVED_FILE) or []
    out: dict[str, Derived] = {}
    for entry in entries:
        sequence = entry.get("sequence")
        if sequence:
            out[entry["name"]] = Derived(
                entry["name"],
                (entry["from"],),
                entry["description"],
                source=entry["from"],
                child=sequence["child"],
                order=sequence["order"],
                reverse=sequence["reverse"],
            )
        else:
            out[entry["name"]] = Derived(
                entry["name"],
                tuple(entry["reads"]),
                entry["description"],
                sql=entry["sql"],
                materialise=bool(entry.get("materialise", False)),
            )
    return out


_WORD = re.compile(r"\w+")
_WORKSPACES = itertools.count(1)


@functools.lru_cache(maxsize=4096)
def words(text: str) -> frozenset[str]:
    """The lower-case words of a piece of SQL: a relation named in it is one of them (one scan per text,
    cheaper than one alternation pattern per kind of name)."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def derived_used(text: str | None) -> list[str]:
    """The derived relations a piece of rule SQL names (in the order ``derived.yaml`` lists them)."""
    if not text:
        return []
    found = words(text)
    return [name for name in derived_relations() if name in found]


def _reads_sequence(name: str) -> bool:
    """Whether a derived relation is a sequence or is built from one (``final_episodes`` is)."""
    derived = derived_relations()
    item = derived.get(name)
    if item is None:
        return False
    return item.source is not None or any(_reads_sequence(r) for r in item.reads if r != name)


def _from_end(item: Derived) -> str:
    """SQL for ``seq_from_end``: a row's place counted from the child's last row in ``reverse`` order.

    When ``order`` is a key then ``_row`` and ``reverse`` is both descending, the place follows from the
    forward sort, with no second sort (half the cost of a year's episodes sequence).  DuckDB puts NULL
    last both ways, so the rows with a key come first both ways, mirrored, and the rows without one
    come last both ways, mirrored among themselves by ``_row``.  With ``n`` rows, ``k`` of them with a
    key, a row at forward place ``p`` is at ``k - p + 1`` from the end if it has a key and at
    ``n + k - p + 1`` if not.  Rows that tie on both (an XML child's records share its ``_row``) have
    no order of their own; here the place from the end mirrors the place from the start.  Any other
    pair of orders gets the second sort.
    """
    assert item.order and item.reverse and item.child
    keys = [key.strip() for key in item.order.split(",")]
    mirrored = ", ".join(f"{key} DESC" for key in keys)
    if len(keys) != 2 or keys[1] != "_row" or " ".join(item.reverse.split()) != mirrored:
        return f"row_number() OVER (PARTITION BY {item.child} ORDER BY {item.reverse})"
    key = keys[0]
    return (
        f"CASE WHEN {key} IS NOT NULL THEN count({key}) OVER whole - row_number() OVER w + 1"
        f" ELSE count(*) OVER whole + count({key}) OVER whole - row_number() OVER w + 1 END"
    )


def base_table(name: str) -> str:
    """``episodes_last``, ``episodes_earlier``, ``episodes_raw`` ... all read the table ``episodes``."""
    name = name.removesuffix(RAW_SUFFIX)
    return name.removesuffix(LAST_SUFFIX).removesuffix(EARLIER_SUFFIX)


def previous_year(year: str) -> str:
    return format_year(parse_year(year) - 1)


def store_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database()"
        " UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal"
        " AND database_name = current_database()"
    ).fetchall()
    return {r[0].lower() for r in rows}


def rows_by_year(
    con: duckdb.DuckDBPyConnection, dataset: str, tables: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Rows held per dataset table and year, in one query, so presence tests cost nothing later."""
    if not tables:
        return {}
    union = " UNION ALL ".join(
        f"SELECT '{t}' AS t, collection_year AS y, count(*) AS n FROM {dataset}_{t} GROUP BY ALL"
        for t in tables
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


def create_from_arrow(
    con: duckdb.DuckDBPyConnection, name: str, data: pa.Table, *, temp: bool = True
) -> None:
    """Create (or replace) table ``name`` from an Arrow table in one statement, not row by row."""
    view = f"_arrow_in_{name}"
    con.register(view, data)
    try:
        con.execute(f"CREATE OR REPLACE {'TEMP ' if temp else ''}TABLE {name} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)


def create_from_columns(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Mapping[str, tuple[str, Sequence[Any]]],
    *,
    temp: bool = True,
) -> None:
    """Create (or replace) table ``name`` from Python lists, ``{column: (SQL type, values)}``, at once.

    The lists travel as DuckDB LIST parameters and are unnested side by side: no row-by-row inserts, and
    no Arrow conversion of Python objects (which would import pandas, seconds on a cold start).
    """
    params = {f"c{i}": list(values) for i, (_, values) in enumerate(columns.values())}
    select = ", ".join(
        f'unnest(CAST($c{i} AS {sql_type}[])) AS "{column}"'
        for i, (column, (sql_type, _)) in enumerate(columns.items())
    )
    con.execute(f"CREATE OR REPLACE {'TEMP ' if temp else ''}TABLE {name} AS SELECT {select}", params)


def codeset_columns(codesets: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, list[str]]]:
    """The spec's code sets as the two columns of ``_codesets`` (name, code)."""
    names = [name for name, codes in codesets.items() for _ in codes]
    codes = [str(code) for values in codesets.values() for code in values]
    return {"name": ("VARCHAR", names), "code": ("VARCHAR", codes)}


@dataclass
class YearContext:
    """The workspace of checking one dataset in one collection year: its tables, views and macros.

    ``lookups`` are reference tables given by the caller for this run only (e.g. ``lookup_own_la`` from
    the settings), as ``{column: values}`` text columns; they are made in the workspace unless the store
    already holds one of that name.  ``con`` sees the workspace until ``close``; ``cursor`` gives another
    connection that sees it too (one per thread: a DuckDB connection runs one statement at a time).
    """

    con: duckdb.DuckDBPyConnection
    dataset: str
    year: str
    tables: Sequence[str]
    present: set[str]
    codesets: Mapping[str, Sequence[str]] = field(default_factory=dict)
    lookups: Mapping[str, Mapping[str, Sequence[str | None]]] = field(default_factory=dict)
    _made: set[str] = field(default_factory=set)
    _slices: frozenset[str] | None = None
    _links: dict[str, set[str]] | None = None  # 'prev' / 'next' -> lower-case column names rules read
    _columns: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.last_year = previous_year(self.year)
        self.present = set(self.present)
        con = self.con
        store, previous_path = con.execute(
            "SELECT current_database(), current_setting('search_path')"
        ).fetchone()  # type: ignore[misc]
        self._previous_path = str(previous_path)
        self.database = f"_audit_{next(_WORKSPACES)}"
        self.ws = f"{self.database}.main"
        con.execute(f"ATTACH ':memory:' AS {self.database}")
        # The store first: names a rule reads that the store does not hold are found in the workspace.
        store_schema = '"' + str(store).replace('"', '""') + '".main'
        self.search_path = f"{store_schema},{self.ws}".replace("'", "''")
        con.execute(f"SET search_path = '{self.search_path}'")
        try:
            self._fill()
        except BaseException:
            self.close()
            raise

    def _fill(self) -> None:
        """The workspace's fixed contents: code sets, bank holidays, macros, ``params`` and lookups."""
        con, ws = self.con, self.ws
        create_from_columns(con, f"{ws}._codesets", codeset_columns(self.codesets), temp=False)
        create_from_columns(con, f"{ws}._bank_holidays", {"day": ("DATE", list(bank_holidays()))}, temp=False)
        for statement in MACROS:
            con.execute(statement.format(ws=ws))
        con.execute(
            f"CREATE OR REPLACE TABLE {ws}.params AS SELECT ?::VARCHAR AS year, ?::DATE AS collection_start,"
            " ?::DATE AS collection_end, ?::VARCHAR AS last_year",
            [self.year, year_start(self.year), year_end(self.year), self.last_year],
        )
        con.execute(WORKING_DAYS_MACRO.format(ws=ws))
        for name, data in self.lookups.items():
            if name not in self.present:
                create_from_columns(
                    con,
                    f"{ws}.{name}",
                    {column: ("VARCHAR", values) for column, values in data.items()},
                    temp=False,
                )
                self._made.add(name)
                self.present.add(name)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Another connection to the store that sees the workspace (for running rules on a thread)."""
        cursor = self.con.cursor()
        cursor.execute("SET enable_progress_bar = false")
        cursor.execute(f"SET search_path = '{self.search_path}'")
        return cursor

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
        """Materialise the year's slices (and derived relations) the names refer to, once each."""
        derived = derived_relations()
        for name in names:
            name = name.lower()
            if name in self._made or name.startswith(LOOKUP_PREFIX):
                continue
            if name in derived:
                self._derive(derived[name])
                continue
            base = base_table(name)
            plain = name.removesuffix(RAW_SUFFIX)
            source = f"raw_{self.dataset}_{base}" if name.endswith(RAW_SUFFIX) else f"{self.dataset}_{base}"
            if plain.endswith(EARLIER_SUFFIX):  # 'YYYY-YY' labels sort as the years do
                where = f"collection_year < '{self.year}'"
            else:
                where = f"collection_year = '{self.last_year if plain.endswith(LAST_SUFFIX) else self.year}'"
            # A view, not a copy: scanning the store with the year filter costs less than copying every
            # slice once (measured on a 50,000-child return), and holds no second copy in memory.
            view = f"{self.ws}.{name}"
            self.con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {source} WHERE {where}")
            self._made.add(name)

    def ensure_for(self, rule_tables: Sequence[str], *texts: str | None) -> None:
        """Everything a rule needs: the tables it lists, and the year slices and derived relations its SQL
        names (so a module reading ``uasc_last`` works even if only ``uasc`` is listed)."""
        self.ensure([t for t in rule_tables if not t.startswith(LOOKUP_PREFIX)])
        for text in texts:
            if text:
                found = words(text)
                self.ensure(sorted(self._slice_names() & found))
                self.ensure(derived_used(text))

    def _slice_names(self) -> frozenset[str]:
        """Every year-slice name rule SQL may read: ``<table>``, ``<table>_last``, ``<table>_earlier`` and
        their ``_raw``."""
        if self._slices is None:
            self._slices = frozenset(
                f"{t}{last}{raw}".lower()
                for t in self.tables
                for last in ("", LAST_SUFFIX, EARLIER_SUFFIX)
                for raw in ("", RAW_SUFFIX)
            )
        return self._slices

    def plan(self, texts: Sequence[str | None]) -> None:
        """Note which ``prev_C`` and which ``next_C`` columns the run's rules name, so sequences compute
        only those: each ``lag`` or ``lead`` is a window function over every row, and materialising one the
        rules never read costs more than the rules save (measured on a 50,000-child return).  Only texts
        that read a sequence count: other rules' own ``prev_...`` aliases are no reason to link a column."""
        links: dict[str, set[str]] = {"prev": set(), "next": set()}
        for text in texts:
            if text and any(_reads_sequence(d) for d in derived_used(text)):
                for m in _LINK.finditer(text):
                    links[m.group(1).lower()].add(m.group(2).lower())
        self._links = links

    def _derive(self, item: Derived) -> None:
        self.ensure(list(item.reads))
        if item.sql is not None:
            body = item.sql
        else:
            assert item.source and item.child and item.order and item.reverse
            columns = self.columns(item.source)
            wanted = self._links or {}
            lags = [c for c in columns if self._links is None or c.lower() in wanted["prev"]]
            leads = [c for c in columns if self._links is None or c.lower() in wanted["next"]]
            links = "".join(f", lag({c}) OVER w AS prev_{c}" for c in lags) + "".join(
                f", lead({c}) OVER w AS next_{c}" for c in leads
            )
            body = (
                f"SELECT *, row_number() OVER w AS seq_no, {_from_end(item)} AS seq_from_end,"
                f" count(*) OVER whole AS seq_count{links}"
                f" FROM {item.source} WINDOW w AS (PARTITION BY {item.child} ORDER BY {item.order}),"
                " whole AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
            )
        if item.sql is not None and not item.materialise:
            # A plain query (``final_episodes`` is a filter of ``episodes_seq``) is a view: reading it costs a
            # scan of what it reads, less than copying its rows once.
            self.con.execute(f"CREATE OR REPLACE VIEW {self.ws}.{item.name} AS {body}")
        else:
            self.con.execute(f"CREATE OR REPLACE TABLE {self.ws}.{item.name} AS {body}")
        self._made.add(item.name)

    def child_column(self, table: str) -> str | None:
        columns = {c.lower(): c for c in self.columns(table)}
        for candidate in CHILD_COLUMNS:
            if candidate.lower() in columns:
                return columns[candidate.lower()]
        return None

    def columns(self, table: str) -> list[str]:
        """A relation's columns, read once (workers ask too, and must not share ``con``)."""
        if table not in self._columns:
            self.ensure([table])
            self._columns[table] = [row[0] for row in self.con.execute(f"DESCRIBE {table}").fetchall()]
        return self._columns[table]

    def close(self) -> None:
        """Detach the workspace (everything made for the year goes with it) and restore the search path."""
        if not self._previous_path:
            self.con.execute("RESET search_path")
        else:
            self.con.execute(f"SET search_path = '{self._previous_path}'")
        self.con.execute(f"DETACH DATABASE IF EXISTS {self.database}")
        self._made.clear()
        self._columns.clear()


def describe_offer() -> list[dict[str, Any]]:
    """The derived relations, for documentation and ``kinsight rules``-style listings."""
    return [
        {"name": d.name, "reads": list(d.reads), "description": d.description}
        for d in derived_relations().values()
    ]
