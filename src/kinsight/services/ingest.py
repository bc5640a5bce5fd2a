"""Use case: load return files into the Kinsight home's analytical store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kinsight.domain.years import parse_year
from kinsight.errors import KinsightError
from kinsight.ingest import ingest_files
from kinsight.ingest.run import Progress
from kinsight.services import audit
from kinsight.settings import Settings
from kinsight.storage.analytical import open_store


def ingest(
    settings: Settings,
    paths: Iterable[Path],
    *,
    year: str | None = None,
    progress: Progress | None = None,
    actor: str = "system",
) -> dict[str, Any]:
    """Ingest files and folders; returns per-table outcomes and totals.

    Raises DataFileError (store untouched) when a file cannot be read at all, UsageError when the
    request is wrong (no files, two files for one table and year, a year that cannot be told).
    """
    if year is not None:
        parse_year(year)
    paths = list(paths)
    target = ", ".join(str(p) for p in paths)
    try:
        with open_store(settings.store_path) as con:
            result = ingest_files(con, paths, year=year, progress=progress)
    except KinsightError as error:
        audit.record(
            settings,
            actor=actor,
            action="data.load",
            target=target,
            outcome="refused",
            details={"error": error.code},
        )
        raise
    body = result.as_dict()
    outcomes = Counter(t.outcome for t in result.tables)
    body["summary"] = {
        "loaded": outcomes.get("loaded", 0),
        "replaced": outcomes.get("replaced", 0),
        "unchanged": outcomes.get("unchanged", 0),
        "rows": sum(t.rows for t in result.tables if t.outcome != "unchanged"),
        "findings": sum(t.findings for t in result.tables),
    }
    body["store"] = str(settings.store_path)
    audit.record(settings, actor=actor, action="data.load", target=target, details=body["summary"])
    return body


def findings(settings: Settings, *, limit: int = 50) -> list[dict[str, Any]]:
    """The most recent ingest findings (file, row, field, table, code, message, severity)."""
    if not settings.store_path.exists():
        return []
    with open_store(settings.store_path, read_only=True) as con:
        rows = con.execute(
            'SELECT dataset, year, "table", file, "row", field, code, message, severity '
            "FROM _ingest_findings "
            'ORDER BY submission_id DESC, dataset, "table", "row" NULLS FIRST, field LIMIT ?',
            [limit],
        ).fetchall()
    keys = ("dataset", "year", "table", "file", "row", "field", "code", "message", "severity")
    return [dict(zip(keys, r, strict=True)) for r in rows]
