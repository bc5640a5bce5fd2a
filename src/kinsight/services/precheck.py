"""Use case: check return files against every rule without loading them (``kinsight check``).

A data officer checks a return before sending it, as the DfE's public validator is used.  The files are
read and typed exactly as ``kinsight ingest`` reads them (same reader, same structural findings) into a
scratch store in memory, and audited there with the same rules and generic checks as
``kinsight quality``.  The Kinsight home's store is not touched: a draft must not replace the verdict on
the return the home holds, which the governance gates read.  Reference lookups the home holds (Ofsted
providers, ONS postcodes) are used when present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from kinsight.domain.years import parse_year
from kinsight.ingest import ingest_files
from kinsight.quality.lookups import lookup_specs, store_lookup
from kinsight.services.quality import audit_and_report, read_lookups
from kinsight.settings import Settings
from kinsight.storage.analytical import open_store, scratch_store

_FINDING_KEYS = ("dataset", "year", "table", "file", "row", "field", "code", "message", "severity")


def check_files(
    settings: Settings,
    paths: Iterable[Path],
    *,
    year: str | None = None,
    dataset: str | None = None,
    packs: Sequence[Path] = (),
    out_dir: Path | None = None,
    write_files: bool = True,
    lookups: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Check return files and folders; the payload of ``run_quality`` plus what reading them found.

    ``year`` picks the collection year to check (default: the latest year the files hold); the other
    years given serve as the previous returns the cross-year rules compare with.  Reports go to
    ``out_dir`` or the home's reports folder; nothing is written to the home's store.
    """
    say = progress or (lambda _step: None)
    if year is not None:
        parse_year(year)
    given = read_lookups(lookups)
    held = _held_lookups(settings)
    with scratch_store() as con:
        say("reading the files")
        read = ingest_files(con, list(paths))
        for name, data in [*held.items(), *given]:
            store_lookup(con, name, data)
        checked = year or _latest_year(con)
        payload = audit_and_report(
            con,
            settings,
            year=checked,
            dataset=dataset,
            packs=packs,
            out_dir=out_dir,
            write_files=write_files,
            say=say,
            none_held_hint="Give the files or folder of a return: kinsight check PATH",
        )
        body = read.as_dict()
        payload["files"], payload["skipped_files"] = body["tables"], body["skipped"]
        payload["read_findings"] = [
            dict(zip(_FINDING_KEYS, row, strict=True))
            for row in con.execute(
                'SELECT dataset, year, "table", file, "row", field, code, message, severity'
                ' FROM _ingest_findings ORDER BY dataset, year, "table", file, "row" NULLS FIRST, field'
            ).fetchall()
        ]
    return payload


def _latest_year(con: duckdb.DuckDBPyConnection) -> str | None:
    """The latest collection year the files hold (``YYYY-YY`` labels sort as the years do)."""
    row = con.execute("SELECT max(year) FROM _files").fetchone()
    return None if row is None else row[0]


def _held_lookups(settings: Settings) -> dict[str, Any]:
    """The reference lookups the home's store holds, read without changing it."""
    if not settings.store_path.exists():
        return {}
    held: dict[str, Any] = {}
    with open_store(settings.store_path, read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for name, spec in lookup_specs().items():
            if spec.table in tables:
                held[name] = con.sql(f"SELECT * FROM {spec.table}").to_arrow_table()
    return held
