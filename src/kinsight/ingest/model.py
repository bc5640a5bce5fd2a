"""Values passed between the steps of an ingest: files found, tables read, findings, outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
import pyarrow as pa


def int32_array(values: np.ndarray | list[int]) -> pa.Array:
    """An Arrow int32 array straight from numpy memory.

    ``pa.array`` on numpy input probes for pandas, and importing pandas costs seconds; building the
    array from its buffer avoids that.
    """
    data = np.ascontiguousarray(values, dtype=np.int32)
    return pa.Array.from_buffers(pa.int32(), len(data), [None, pa.py_buffer(data)])


def string_array(values: list[str | None]) -> pa.Array:
    """An Arrow string array built from its buffers (UTF-8 bytes, offsets, validity), for the same reason."""
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    count = len(encoded)
    offsets = np.zeros(count + 1, dtype=np.int32)
    np.cumsum(np.fromiter((len(e) for e in encoded), dtype=np.int64, count=count), out=offsets[1:])
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=count)
    validity = np.packbits(valid, bitorder="little")
    nulls = count - int(valid.sum())
    return pa.Array.from_buffers(
        pa.string(),
        count,
        [pa.py_buffer(validity) if nulls else None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))],
        null_count=nulls,
    )


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FileKind(StrEnum):
    CSV = "csv"
    XML = "xml"


class Outcome(StrEnum):
    """What happened to one dataset table for one year."""

    LOADED = "loaded"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    name: str  # the file name as given (path as typed or found under a folder)
    kind: FileKind
    size: int


@dataclass(frozen=True)
class Finding:
    """A structural problem in a file: kept, reported, never silently dropped."""

    file: str
    table: str
    code: str
    message: str
    severity: Severity = Severity.ERROR
    row: int | None = None
    field: str | None = None


@dataclass
class ReadTable:
    """One dataset table read from one file: raw text columns (DfE names) with ``_row``, before typing."""

    dataset: str
    table: str
    source: SourceFile
    sha256: str
    data: pa.Table
    year: str | None = None
    year_source: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class TableOutcome:
    dataset: str
    table: str
    year: str
    file: str
    outcome: Outcome
    rows: int
    findings: int
    previous_rows: int | None = None


@dataclass(frozen=True)
class IngestResult:
    tables: tuple[TableOutcome, ...]
    skipped: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "tables": [
                {
                    "dataset": t.dataset,
                    "table": t.table,
                    "year": t.year,
                    "file": t.file,
                    "outcome": str(t.outcome),
                    "rows": t.rows,
                    "findings": t.findings,
                    "previous_rows": t.previous_rows,
                }
                for t in self.tables
            ],
            "skipped": list(self.skipped),
        }
