"""The whole ingest: find files, read them all, decide their years, then write one submission at a time.

Every file is read (and any unreadable one refused) *before* anything is written, so a refusal leaves
the store exactly as it was.  A submission is the files for one dataset and one year; all submissions of
one run are written in a single transaction, so the run is all or nothing and DuckDB writes (and
checkpoints) the data once instead of once per year: for two years of a large return this saves about a
quarter of the ingest time.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import duckdb

from kinsight.domain.years import parse_year
from kinsight.errors import DataFileError, Location, UsageError
from kinsight.ingest.cin_xml import read_cin_xml
from kinsight.ingest.csv_reader import read_csv_table
from kinsight.ingest.files import discover, sha256_of
from kinsight.ingest.model import FileKind, IngestResult, ReadTable, SourceFile, TableOutcome
from kinsight.ingest.ssda903_xml import read_ssda903_xml, ssda903_root, xml_root_name
from kinsight.ingest.writer import write_submission
from kinsight.ingest.years import assign_years
from kinsight.specs import load_spec

CIN_ROOT = "Message"

Progress = Callable[[str, int, int], None]
"""Called as ``progress(label, done_bytes, total_bytes)`` while files are read and written."""


def read_all(paths: Iterable[Path], progress: Progress | None = None) -> tuple[list[ReadTable], list[str]]:
    """Read every file (refusing any unreadable one) before anything is written.

    Progress counts each file's bytes twice, once read and once written, so the bar moves through both
    halves of the work.  CSV files are read on several threads at once (pyarrow leaves Python's lock
    while it parses, and a small file parses on one thread), and taken in order, so the first bad file in
    order is the one refused, as when they were read one by one.
    """
    sources, skipped = discover(paths)
    total = 2 * sum(s.size for s in sources) or 1
    done = 0
    reads: list[ReadTable] = []
    with ThreadPoolExecutor(max(2, os.cpu_count() or 1), thread_name_prefix="read") as pool:
        csv_reads = [
            pool.submit(_read_csv, source) if source.kind is FileKind.CSV else None for source in sources
        ]
        try:
            for source, csv_read in zip(sources, csv_reads, strict=True):
                if progress:
                    progress(f"reading {source.path.name}", done, total)
                if csv_read is not None:
                    reads.append(csv_read.result())
                else:
                    reads.extend(_read_xml(source, sha256_of(source.path)))
                done += source.size
        finally:
            for future in csv_reads:
                if future is not None:
                    future.cancel()
    return reads, skipped


def _read_csv(source: SourceFile) -> ReadTable:
    return read_csv_table(source, sha256_of(source.path))


def _read_xml(source: SourceFile, sha: str) -> list[ReadTable]:
    """An XML file is the CIN census or an SSDA903 return; its root element says which."""
    root = xml_root_name(source)
    if root == CIN_ROOT:
        return read_cin_xml(source, sha, load_spec("cin_census"))
    if root == ssda903_root():
        return read_ssda903_xml(source, sha, load_spec("ssda903"))
    raise DataFileError(
        f"this XML's root element is {root}; Kinsight reads {CIN_ROOT} (the CIN census) or "
        f"{ssda903_root()} (an SSDA903 return)",
        location=Location(source.name),
        hint="Check that this is a return file, exported from the case management system.",
    )


def _submissions(reads: list[ReadTable]) -> list[tuple[str, str, list[ReadTable]]]:
    groups: dict[tuple[str, str], list[ReadTable]] = defaultdict(list)
    for read in reads:
        assert read.year is not None
        groups[(read.dataset, read.year)].append(read)
    out = []
    for (dataset, year), group in sorted(groups.items(), key=lambda kv: (kv[0][0], parse_year(kv[0][1]))):
        seen: dict[str, str] = {}
        for read in group:
            if read.table in seen and seen[read.table] != read.source.name:
                raise UsageError(
                    f"two files hold the {dataset} {read.table} table for {year}: {seen[read.table]} and "
                    f"{read.source.name}",
                    hint="Give one file per table and year; put each year's files in a folder like 2024-25.",
                )
            seen[read.table] = read.source.name
        out.append((dataset, year, group))
    return out


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    *,
    year: str | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> IngestResult:
    """Ingest return files and folders into the store behind ``con``; see the module docstring."""
    reads, skipped = read_all(paths, progress)
    assign_years(con, reads, year, today)
    sizes = {r.source.name: r.source.size for r in reads}
    total = 2 * sum(sizes.values()) or 1
    done = sum(sizes.values())
    outcomes: list[TableOutcome] = []
    con.begin()
    try:
        for dataset, group_year, group in _submissions(reads):
            if progress:
                progress(f"writing {dataset} {group_year}", done, total)
            outcomes.extend(write_submission(con, load_spec(dataset), group_year, group, transaction=False))
            done += sum(sizes[name] for name in {r.source.name for r in group})
        con.commit()
    except BaseException:
        con.rollback()
        raise
    if progress:
        progress("done", total, total)
    return IngestResult(tuple(outcomes), tuple(skipped))
