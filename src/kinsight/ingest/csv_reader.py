"""Read a return CSV: recognise which table it is from its columns, then read it as text in bulk.

Tables are recognised by their DfE column sets, tolerating column order, surrounding whitespace and the
case of header names.  Columns the spec does not know, and spec columns the file lacks, become
findings; a file whose columns match no table, or that cannot be read as UTF-8 CSV at all, is refused
with a ``DataFileError`` naming the file (and the row when it can be found).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from kinsight.domain.specs import TableSpec
from kinsight.errors import DataFileError, Location
from kinsight.ingest.model import Finding, ReadTable, Severity, SourceFile, int32_array, string_array
from kinsight.ingest.typing import RESERVED_COLUMNS
from kinsight.specs import load_spec

CSV_DATASETS = ("ssda903", "identities")
_MIN_SHARE = 0.75  # share of a table's core columns a file must have to be recognised as that table
_HEADER_PROBE = 1 << 16
# Blocks of 1 MiB let pyarrow parse a large file on every core, and the table it returns then comes in
# several batches, which DuckDB scans in parallel when it writes the rows (one block would use one core).
_BLOCK_SIZE = 1 << 20


@dataclass(frozen=True)
class Recognised:
    dataset: str
    table: TableSpec
    columns: tuple[str, ...]  # final column names, spec spelling where known
    unknown: tuple[str, ...]
    missing: tuple[str, ...]


def _core(table: TableSpec) -> set[str]:
    """Columns every year's file of this table has: not optional, not tied to some years only."""
    return {
        f.name.upper()
        for f in table.fields.values()
        if not f.optional_column and f.valid_from is None and f.valid_to is None
    }


def recognise(header: list[str], source: SourceFile) -> Recognised:
    """Which dataset table a CSV header belongs to; refuses a header that matches none or several."""
    names = [h.strip().lstrip("\ufeff").strip() for h in header]
    upper = [n.upper() for n in names]
    seen: set[str] = set()
    for n in upper:
        if n in seen:
            raise DataFileError(f"column {n} appears twice in the header", location=Location(source.name))
        seen.add(n)
    stem = source.path.stem.lower()
    ranked: list[tuple[tuple[float, int, bool], str, TableSpec]] = []
    for dataset in CSV_DATASETS:
        for table in load_spec(dataset).tables.values():
            core = _core(table)
            every = {f.upper() for f in table.fields}
            share = len(seen & core) / len(core)
            first_key = table.keys[0].upper() if table.keys else None
            if share < _MIN_SHARE or (first_key and first_key not in seen):
                continue
            ranked.append(((share, -len(seen - every), table.name == stem), dataset, table))
    if not ranked:
        raise DataFileError(
            "its columns do not match any SSDA903 table (or the identities table)",
            location=Location(source.name),
            hint="Check the header row: it must hold the DfE column names, e.g. CHILD,SEX,DOB,ETHNIC,...",
        )
    ranked.sort(key=lambda item: item[0], reverse=True)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        raise DataFileError(
            f"its columns fit both {ranked[0][2].name} and {ranked[1][2].name}",
            location=Location(source.name),
            hint="Name the file after its table (e.g. episodes.csv) or give the full DfE column set.",
        )
    _, dataset, table = ranked[0]
    by_upper = {f.upper(): f for f in table.fields}
    columns = tuple(by_upper.get(u, n) for u, n in zip(upper, names, strict=True))
    unknown = tuple(n for u, n in zip(upper, names, strict=True) if u not in by_upper)
    for name in unknown:
        if name.lower() in RESERVED_COLUMNS:
            raise DataFileError(
                f"column {name} clashes with a column Kinsight adds",
                location=Location(source.name, field=name),
            )
    missing = tuple(f for f in table.fields if f.upper() not in seen)
    return Recognised(dataset, table, columns, unknown, missing)


def _header(source: SourceFile) -> tuple[list[str], bool]:
    """The header row's names, and whether anything follows the header."""
    with source.path.open("rb") as handle:
        probe = handle.read(_HEADER_PROBE)
    if not probe:
        raise DataFileError("the file is empty (0 bytes)", location=Location(source.name))
    if b"\x00" in probe:
        raise DataFileError(
            "the file holds binary data, not CSV text",
            location=Location(source.name),
            hint="Export it as CSV.",
        )
    if not probe.removeprefix(b"\xef\xbb\xbf").strip():
        raise DataFileError("the file is empty: it has no header row", location=Location(source.name))
    first_line, _, rest = probe.partition(b"\n")
    has_rows = len(probe) == _HEADER_PROBE or bool(rest.strip())
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(
            "the header row is not UTF-8 text",
            location=Location(source.name),
            hint="Save the file as UTF-8 CSV.",
        ) from None
    return next(csv.reader([text.rstrip("\r")])), has_rows


def _locate_problem(source: SourceFile, width: int) -> DataFileError:
    """Find the first row that is not UTF-8 or has the wrong number of values (only run on failure)."""
    with source.path.open("rb") as handle:
        handle.readline()
        for row, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return DataFileError(
                    "this row is not UTF-8 text",
                    location=Location(source.name, row=row),
                    hint="Save the file as UTF-8 CSV.",
                )
            if not text.strip():
                continue
            values = next(csv.reader(io.StringIO(text)), [])
            if len(values) != width:
                return DataFileError(
                    f"this row has {len(values)} values but the header has {width} columns",
                    location=Location(source.name, row=row),
                    hint="The file may be cut short or have an unquoted comma.",
                )
    return DataFileError("the file cannot be read as CSV", location=Location(source.name))


def read_csv_table(source: SourceFile, sha256: str) -> ReadTable:
    """Read one return CSV into text columns named as the DfE names them, plus ``_row``."""
    header, has_rows = _header(source)
    found = recognise(header, source)
    if not has_rows:
        empty = [string_array([]) for _ in found.columns]
        data = pa.Table.from_arrays(empty, names=list(found.columns))
        return _finish(source, sha256, found, data)
    try:
        data = pacsv.read_csv(
            source.path,
            read_options=pacsv.ReadOptions(
                column_names=list(found.columns), skip_rows=1, block_size=_BLOCK_SIZE
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in found.columns},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        raise _locate_problem(source, len(found.columns)) from None
    return _finish(source, sha256, found, data)


def _row_numbers(data: pa.Table) -> pa.ChunkedArray:
    """``_row`` (1, 2, ...) cut into the same batches as the table's other columns, so a scan of the table
    stays in those batches."""
    lengths = [len(chunk) for chunk in data.column(0).chunks] if data.num_columns else [data.num_rows]
    bounds = np.cumsum([0, *lengths])
    numbers = np.arange(1, data.num_rows + 1)
    return pa.chunked_array(
        [int32_array(numbers[start:stop]) for start, stop in zip(bounds[:-1], bounds[1:], strict=True)],
        type=pa.int32(),
    )


def _finish(source: SourceFile, sha256: str, found: Recognised, data: pa.Table) -> ReadTable:
    data = data.append_column("_row", _row_numbers(data))
    findings = [
        Finding(
            source.name,
            found.table.name,
            "unknown_column",
            f"column {name} is not part of the {found.dataset} {found.table.name} table;"
            " kept in the raw table only",
            Severity.WARNING,
            field=name,
        )
        for name in found.unknown
    ]
    if data.num_rows == 0:
        findings.append(
            Finding(
                source.name, found.table.name, "no_rows", "the file has a header but no rows", Severity.INFO
            )
        )
    return ReadTable(found.dataset, found.table.name, source, sha256, data, findings=findings)


def missing_columns(read: ReadTable, table: TableSpec) -> list[Finding]:
    """Findings for columns of the table in force that the file lacks (optional columns excepted)."""
    have = {c.upper() for c in read.data.column_names}
    return [
        Finding(
            read.source.name,
            table.name,
            "missing_column",
            f"column {f.name} is missing; its values are treated as blank",
            Severity.ERROR,
            field=f.name,
        )
        for f in table.fields.values()
        if f.name.upper() not in have and not f.optional_column
    ]
