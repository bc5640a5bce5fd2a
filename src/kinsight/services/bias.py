"""Use case: audit a dataset table or a CSV extract: representation, missingness, proxies."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from kinsight.errors import DataFileError, Location, NotFoundError, UsageError
from kinsight.evaluation.bias import audit
from kinsight.evaluation.characteristics import attach, protected_config, reference_population
from kinsight.settings import Settings
from kinsight.storage.analytical import file_order, open_store

_TABLE = re.compile(r"^[a-z][a-z0-9_]*$")


def _dataset_of(table: str) -> tuple[str, str]:
    for dataset in protected_config().datasets:
        if table.startswith(dataset + "_"):
            return dataset, table.removeprefix(dataset + "_")
    raise UsageError(
        f"'{table}' is not a dataset table",
        hint="Name a typed store table such as ssda903_header, or give a CSV path.",
    )


def _read_csv(path: Path) -> pl.DataFrame:
    try:
        return pl.read_csv(path, infer_schema_length=0)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise DataFileError(f"cannot read it as CSV: {error}", location=Location(str(path))) from error


def _store_tables(
    settings: Settings, table: str, year: str | None
) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
    dataset, _ = _dataset_of(table)
    with open_store(settings.store_path, read_only=True) as con:
        present = {
            row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()
        }
        if table not in present:
            raise NotFoundError(
                f"the store has no table {table}",
                hint="Typed tables are named <dataset>_<table>, e.g. ssda903_episodes (kinsight ingest).",
            )

        def load(name: str) -> pl.DataFrame:
            if year is None:
                return con.sql(f'select * from "{name}"' + file_order(con, name)).pl()
            # DuckDB 2.x: execute() returns the connection (no .pl()); sql() takes the parameters itself
            query = f'select * from "{name}" where collection_year = $year' + file_order(con, name)
            return con.sql(query, params={"year": year}).pl()

        frame = load(table)
        sources: dict[str, pl.DataFrame] = {}
        for source in protected_config().datasets[dataset].sources:
            name = f"{dataset}_{source.table}"
            if name in present and name != table:
                sources[source.table] = load(name)
    if frame.height == 0:
        raise NotFoundError(
            f"{table} holds no rows" + (f" for {year}" if year else ""),
            hint="Check the year with kinsight catalogue.",
        )
    return frame, sources


def bias_audit(
    settings: Settings, target: str, *, year: str | None = None, reference: Path | None = None
) -> dict[str, Any]:
    """Audit ``target``: a typed store table name (``ssda903_header``) or the path of a CSV extract."""
    path = Path(target)
    ref = reference_population(reference)
    today = date.today()
    if target.lower().endswith(".csv") or path.exists():
        if not path.exists():
            raise NotFoundError(
                f"no file {target}", hint="Give the path of a CSV extract or a store table name."
            )
        frame = _read_csv(path)
        if year is not None and "collection_year" in frame.columns:
            frame = frame.filter(pl.col("collection_year") == year)
        dataset, key, sources = None, None, None
        for name, ds in protected_config().datasets.items():
            if ds.key in frame.columns:
                dataset, key = name, ds.key
                break
        source_name = path.name
    else:
        if not _TABLE.match(target):
            raise UsageError(f"'{target}' is not a table name", hint="Use lower case, e.g. ssda903_header.")
        frame, sources = _store_tables(settings, target, year)
        dataset, _ = _dataset_of(target)
        key = protected_config().datasets[dataset].key
        source_name = target
    frame, derived = attach(frame, dataset=dataset, sources=sources, on=today)
    if not derived:
        raise UsageError(
            f"{source_name} has no field carrying a protected characteristic",
            hint="The audit looks for SEX, ETHNIC and DOB (903) or Sex, Ethnicity, Disability (CIN).",
        )
    result = audit(frame, key=key, derived_from=derived, reference=ref)
    return {"source": source_name, "year": year, "reference_population": ref.name, **result}
