"""Decide which collection year each file belongs to.

In order: the year the person gave (``--year``); the CIN header's ReferenceDate or Year; a folder name
such as ``2024-25``; and last the data itself: the latest episode, review or missing date (ignoring
dates in the future, which are typing mistakes) falls in the collection year.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import duckdb

from kinsight.domain.specs import FieldSpec, FieldType
from kinsight.domain.years import parse_year, year_for_date
from kinsight.errors import UsageError
from kinsight.ingest.files import year_from_folders
from kinsight.ingest.model import Finding, ReadTable, Severity
from kinsight.ingest.typing import quote, typed_expression

# The 903 dates that move forward with the year's activity.
ACTIVITY_DATES = {
    "episodes": ("DECOM", "DEC"),
    "reviews": ("REVIEW",),
    "missing": ("MIS_START", "MIS_END"),
}


def _latest_activity(con: duckdb.DuckDBPyConnection, reads: list[ReadTable], today: date) -> date | None:
    latest: date | None = None
    for read in reads:
        for column in ACTIVITY_DATES.get(read.table, ()):
            if column not in read.data.column_names:
                continue
            view = f"_year_probe_{id(read)}"
            con.register(view, read.data.select([column]))
            try:
                expr = typed_expression(FieldSpec(column, FieldType.DATE), quote(column))
                rows = con.execute(
                    f"SELECT max(d) FROM (SELECT {expr} AS d FROM {view}) WHERE d <= ?", [today]
                ).fetchall()
                value = rows[0][0] if rows else None
            finally:
                con.unregister(view)
            if value is not None and (latest is None or value > latest):
                latest = value
    return latest


def assign_years(
    con: duckdb.DuckDBPyConnection, reads: list[ReadTable], year: str | None, today: date | None = None
) -> None:
    """Set ``year`` and ``year_source`` on every read table (in place)."""
    today = today or date.today()
    if year is not None:
        parse_year(year)
        for read in reads:
            mismatch = read.year and read.year != year and read.year_source == "header"
            if mismatch and read.table == "header":
                read.findings.append(
                    Finding(
                        read.source.name,
                        read.table,
                        "year_mismatch",
                        f"the file's header says {read.year} but it was loaded as {year}, as asked",
                        Severity.WARNING,
                    )
                )
            read.year, read.year_source = year, "given"
        return
    pending: dict[object, list[ReadTable]] = defaultdict(list)
    for read in reads:
        if read.year:
            continue
        folder = year_from_folders(read.source.path)
        if folder:
            read.year, read.year_source = folder, "folder"
        elif read.dataset == "ssda903":
            pending[read.source.path.parent].append(read)
    for folder_reads in pending.values():
        latest = _latest_activity(con, folder_reads, today)
        if latest is None:
            names = ", ".join(sorted({r.source.name for r in folder_reads}))
            raise UsageError(
                f"cannot tell which collection year {names} belongs to",
                hint="Give it with --year 2024-25, or put the files in a folder named after the year.",
            )
        for read in folder_reads:
            read.year, read.year_source = year_for_date(latest), "data"
    # Local tables without dates (identities) take the latest year loaded alongside, else this year.
    known = sorted({r.year for r in reads if r.year}, key=parse_year)
    fallback = known[-1] if known else year_for_date(today)
    for read in reads:
        if not read.year:
            read.year, read.year_source = fallback, "latest"
