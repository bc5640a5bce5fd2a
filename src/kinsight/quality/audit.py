"""The whole audit of one dataset: every year asked for, each checked against its previous year.

Presence of tables is worked out once (one query), each year's context is built once and torn down
after its findings are persisted, so a run over many years costs little more than the sum of its years.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from kinsight.quality.context import LOOKUP_PREFIX, files_listed, rows_by_year, store_tables
from kinsight.quality.engine import check_year
from kinsight.quality.findings import persist
from kinsight.quality.generic import generic_rules
from kinsight.quality.model import Rule, YearRun


@dataclass(frozen=True)
class YearVerdict:
    run: YearRun
    score: float


def dataset_tables(con: duckdb.DuckDBPyConnection, dataset: str) -> list[str]:
    """Typed tables of ``dataset`` held in the store (``ssda903_header`` -> ``header``)."""
    prefix = f"{dataset}_"
    held = store_tables(con)
    return sorted(t[len(prefix) :] for t in held if t.startswith(prefix) and f"raw_{t}" in held)


def held_years(con: duckdb.DuckDBPyConnection, dataset: str) -> list[str]:
    tables = dataset_tables(con, dataset)
    counts = rows_by_year(con, dataset, tables)
    return sorted({y for per in counts.values() for y in per} | {y for _, y in files_listed(con, dataset)})


def audit_dataset(
    con: duckdb.DuckDBPyConnection,
    *,
    dataset: str,
    rules_for_year: Callable[[str], Sequence[Rule]],
    years: Sequence[str],
    run_id: str,
    codesets_for_year: Callable[[str], Mapping[str, Sequence[str]]] | None = None,
    generic: Mapping[str, object] | None = None,
    lookups: Mapping[str, Mapping[str, Sequence[str | None]]] | None = None,
) -> list[YearVerdict]:
    """Check each of ``years`` and persist its findings (``lookups``: reference tables for this run)."""
    tables = dataset_tables(con, dataset)
    counts = rows_by_year(con, dataset, tables)
    listed = files_listed(con, dataset)
    held_lookups = {t for t in store_tables(con) if t.startswith(LOOKUP_PREFIX)}
    verdicts = []
    for year in years:
        started = datetime.now()
        present = {t for t in tables if counts.get(t, {}).get(year) or (t, year) in listed} | held_lookups
        if not present - held_lookups:
            continue
        rules = list(rules_for_year(year)) + generic_rules(dataset, year, generic or {})
        codesets = codesets_for_year(year) if codesets_for_year else {}
        run, ctx = check_year(
            con,
            dataset=dataset,
            year=year,
            rules=rules,
            tables=tables,
            present=present,
            codesets=codesets,
            lookups=lookups,
            rows=max((per.get(year, 0) for per in counts.values()), default=0),
        )
        value = persist(
            con, run_id=run_id, run=run, started_at=started, record_tables=sorted(present - held_lookups)
        )
        ctx.close()
        verdicts.append(YearVerdict(run=run, score=value))
    return verdicts
