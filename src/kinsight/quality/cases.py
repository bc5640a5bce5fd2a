"""Run a rule's passing and failing cases (docs/RULES.md) through the real engine, on an in-memory store.

Each case is turned into the same store tables ingest writes (``raw_<dataset>_<table>`` all VARCHAR and
``<dataset>_<table>`` typed), then ``engine.check_year`` runs the one rule.  How raw rows are typed is
passed in (``TypeSelect``), so the harness types exactly as ingest does once the spec exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from kinsight.quality.context import (
    EARLIER_SUFFIX,
    LAST_SUFFIX,
    LOOKUP_PREFIX,
    base_table,
    create_from_columns,
    previous_year,
)
from kinsight.quality.engine import check_year, hit_rows
from kinsight.quality.model import Rule, RuleOutcome

# (dataset, table, raw relation name, columns) -> SELECT producing typed columns plus the meta columns.
TypeSelect = Callable[[str, str, str, Sequence[str]], str]
META = ("collection_year", "_row", "_file")
CASE_KEYS = {"year", "flags", "note"}

_DATE_NAMES = re.compile(
    r"^(DOB|MC_DOB|DECOM|DEC|DUC|REVIEW|DATE_.*|.*_DATE|MIS_START|MIS_END|SW_DECOM|SW_DEC|DOLO_START|DOLO_END"
    r"|.*Date|.*DATE)$"
)


def looks_like_date(column: str) -> bool:
    """The minimal typing rule used until the dataset spec exists: date-named fields are DATE."""
    return bool(_DATE_NAMES.match(column)) and column not in {"DATE_PLACED_CEASED_REASON"}


def fallback_type_select(dataset: str, table: str, source: str, columns: Sequence[str]) -> str:
    """Type raw rows without a spec: blanks become NULL, date-named fields DATE, everything else VARCHAR."""
    parts = []
    for column in columns:
        text = f"nullif(trim({column}), '')"
        if looks_like_date(column):
            parts.append(
                f"CAST(coalesce(try_strptime({text}, '%d/%m/%Y'), try_strptime({text}, '%Y-%m-%d')) AS"
                f" DATE) AS {column}"
            )
        else:
            parts.append(f"{text} AS {column}")
    meta = ", ".join(META)
    return f"SELECT {', '.join(parts)}{', ' if parts else ''}{meta} FROM {source}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@dataclass(frozen=True)
class CaseResult:
    outcome: RuleOutcome
    flagged: set[tuple[str, int]]


def case_tables(case: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {k.lower(): v or [] for k, v in case.items() if k not in CASE_KEYS}


_SHARED: dict[str, duckdb.DuckDBPyConnection] = {}


def shared_database() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process, reused by every case: opening a database costs more than a case.

    Each case works in its own cursor (a connection of its own to this database) and creates only temp
    tables, so closing the cursor removes everything the case made and cases cannot see each other.
    """
    if "db" not in _SHARED:
        con = duckdb.connect(config={"threads": 1})  # cases are tiny: a thread pool only adds hand-offs
        _SHARED["db"] = con
    return _SHARED["db"]


def run_case(
    rule: Rule,
    case: Mapping[str, Any],
    *,
    type_select: TypeSelect = fallback_type_select,
    columns_for: Callable[[str, str], Sequence[str]] | None = None,
    other_cases: Sequence[Mapping[str, Any]] = (),
    codesets_for: Callable[[str, str], Mapping[str, Sequence[str]]] | None = None,
) -> CaseResult:
    """Build the case's store in memory, run ``rule`` for the case's year, return what it flagged.

    ``columns_for(dataset, table)`` gives the full column list of a table (from the spec) so absent
    columns are NULL; without it the columns are those named anywhere in the rule's cases.
    ``codesets_for(dataset, year)`` gives the spec's code sets in force, as a real run has them.
    """
    year = str(case.get("year") or rule.years[-1])
    last = previous_year(year)
    tables = case_tables(case)
    con = shared_database().cursor()
    try:
        bases: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        lookups: dict[str, list[dict[str, Any]]] = {}
        for name, rows in tables.items():
            if name.startswith(LOOKUP_PREFIX):
                lookups[name] = rows
                continue
            if name.endswith(LAST_SUFFIX):
                base, row_year = name[: -len(LAST_SUFFIX)], last
            elif name.endswith(EARLIER_SUFFIX):  # a case's "earlier" rows sit two years back
                base, row_year = name[: -len(EARLIER_SUFFIX)], previous_year(last)
            else:
                base, row_year = name, year
            bases.setdefault(base, []).extend((row_year, row) for row in rows)
        for table in rule.tables:
            if not table.startswith(LOOKUP_PREFIX):
                bases.setdefault(base_table(table), [])
            elif table not in lookups:
                lookups[table] = []
        every = [case, *other_cases]
        for base, rows in bases.items():
            names: list[str] = list(columns_for(rule.dataset, base)) if columns_for else []
            for source in every:
                for key, value in case_tables(source).items():
                    if base_table(key) == base:
                        for row in value:
                            names.extend(c for c in row if c not in names)
            names = list(dict.fromkeys(names))
            _load_base(con, rule.dataset, base, names, rows, type_select)
        for name, rows in lookups.items():
            names = list(
                dict.fromkeys(c for source in every for r in case_tables(source).get(name, []) for c in r)
            )
            columns = {c: ("VARCHAR", [_text(r.get(c)) for r in rows]) for c in names} or {
                "_empty": ("VARCHAR", [])
            }
            create_from_columns(con, name, columns)
        present = set(bases) | set(lookups)
        codesets = codesets_for(rule.dataset, year) if codesets_for else {}
        run, ctx = check_year(
            con,
            dataset=rule.dataset,
            year=year,
            rules=[rule],
            tables=sorted(bases),
            present=present,
            codesets=codesets,
        )
        flagged = {(table, row) for _, table, row, _ in hit_rows(con)}
        ctx.close()
        return CaseResult(outcome=run.outcomes[0], flagged=flagged)
    finally:
        con.close()


def _load_base(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Mapping[str, Any]]],
    type_select: TypeSelect,
) -> None:
    """The case's rows as the two store tables ingest writes (raw text, then typed), as temp tables."""
    raw = f"raw_{dataset}_{table}"
    counters: dict[str, int] = {}
    numbers: list[int] = []
    for row_year, row in rows:
        counters[row_year] = counters.get(row_year, 0) + 1
        numbers.append(counters[row_year])
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"case row for {table} names unknown columns {sorted(unknown)}")
    data: dict[str, tuple[str, list[Any]]] = {
        c: ("VARCHAR", [_text(row.get(c)) for _, row in rows]) for c in columns
    }
    data["collection_year"] = ("VARCHAR", [row_year for row_year, _ in rows])
    data["_row"] = ("INTEGER", numbers)
    data["_file"] = ("VARCHAR", [f"{table}.csv"] * len(rows))
    create_from_columns(con, raw, data)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {dataset}_{table} AS {type_select(dataset, table, raw, columns)}"
    )
