"""Write one year's synthetic SSDA903 return as a single XML file (the DfE's "expanded SSDA903").

Some authorities send the 903 return as XML rather than CSVs, so Kinsight must read both; this writer
gives tests and demos the XML form of exactly the same return.  One ``CHILD`` per header row, in
header order: its ``HEADER`` carries the header fields, the UASC flag and date, and nested records
(reviews, missing, OC2, OC3, AD1, permanence, placed for adoption); ``EPISODE`` and ``SW_EPISODE``
records follow the header.  A nested record repeats the child's date of birth only when it differs
from the header's, so such an inconsistency survives the round trip; the UASC table's sex and date of
birth have no place of their own in the XML and are the header's.  Children that appear
in other tables but not in the header get a ``HEADER`` holding only their id.  Text is written in
chunks of children, so memory stays bounded.  Values are escaped column by column in polars before
any row is touched, and each element's tags are built once per column, so the per-value work is
one string join.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from pathlib import Path

import polars as pl

ROOT = "EXPSSDA903"
_RENAMES = {"CHILD": "CHILDID", "PLACE": "PL"}
_INHERITED = ("CHILD", "DOB", "SEX")
# (table, record element) in document order; HEADER-nested records first, then CHILD-level ones.
_IN_HEADER = (
    ("reviews", "AREVIEW"),
    ("missing", "AMISSING"),
    ("oc2", "OC2"),
    ("oc3", "OC3"),
    ("ad1", "AD1"),
    ("prevperm", "PERMANENCE"),
    ("placedadoption", "AD_PLACED"),
)
_IN_CHILD = (("episodes", "EPISODE"), ("swepisodes", "SW_EPISODE"), ("dolo", "DOLO"))
_CHUNK = 5_000


class ReturnFormat(StrEnum):
    """How the synthetic SSDA903 return is written."""

    CSV = "csv"
    XML = "xml"


Row = dict[str, str | None]
# Per column of a table: (column, start tag, end tag, empty element).
Tags = tuple[tuple[str, str, str, str], ...]
_TAGS: dict[str, tuple[str, str, str]] = {}


def _tags(name: str) -> tuple[str, str, str]:
    found = _TAGS.get(name)
    if found is None:
        tag = _RENAMES.get(name, name)
        found = _TAGS[name] = (f"<{tag}>", f"</{tag}>", f"<{tag}/>")
    return found


def _escaped(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text value escaped for XML (&, <, >), in one vectorised pass."""
    text = pl.col(pl.String)
    return frame.with_columns(
        text.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _elements(row: Row) -> list[str]:
    out = []
    for name, value in row.items():
        start, end, empty = _tags(name)
        out.append(empty if value is None else f"{start}{value}{end}")
    return out


class _Table:
    """One table's rows grouped by child, with its columns' tags, ready to be written as records."""

    def __init__(self, tag: str, frame: pl.DataFrame | None) -> None:
        self.open, self.close = f"<{tag}>", f"</{tag}>"
        self.by_child: dict[str | None, list[tuple[str | None, ...]]] = defaultdict(list)
        self.columns: tuple[tuple[int, str, str, str, str], ...] = ()
        if frame is None:
            return
        self.columns = tuple(
            (i, name, *_tags(name)) for i, name in enumerate(frame.columns) if name != "CHILD"
        )
        key = frame.columns.index("CHILD")
        for row in _escaped(frame).iter_rows():
            self.by_child[row[key]].append(row)

    def records(self, child: str | None, header: Row) -> list[str]:
        """The child's records; DOB and SEX are written only where they differ from the header's."""
        out = []
        for row in self.by_child.get(child, ()):
            out.append(self.open)
            for i, name, start, end, empty in self.columns:
                value = row[i]
                if name in _INHERITED and value == header.get(name):
                    continue
                out.append(empty if value is None else f"{start}{value}{end}")
            out.append(self.close)
        return out


def _child(child: str | None, header: Row, tables: dict[str, _Table], uasc: dict[str | None, Row]) -> str:
    out = ["<CHILD><HEADER>"]
    out.extend(_elements(header))
    row = uasc.get(child)
    if row is not None:
        # The XML has no place for a UASC sex or date of birth apart from the header's.
        out.append("<UASC>1</UASC>")
        out.extend(_elements({k: v for k, v in row.items() if k not in _INHERITED}))
    for table, _ in _IN_HEADER:
        out.extend(tables[table].records(child, header))
    out.append("</HEADER>")
    for table, _ in _IN_CHILD:
        out.extend(tables[table].records(child, header))
    out.append("</CHILD>\n")
    return "".join(out)


def write_ssda903_xml(tables: dict[str, pl.DataFrame], path: Path) -> None:
    """Write the 903 tables of one year (frames of text, DfE columns) as one XML return at ``path``."""
    grouped = {name: _Table(tag, tables.get(name)) for name, tag in (*_IN_HEADER, *_IN_CHILD)}
    uasc: dict[str | None, Row] = {}
    if "uasc" in tables:
        for row in _escaped(tables["uasc"]).iter_rows(named=True):
            uasc.setdefault(row["CHILD"], row)
    headers = list(_escaped(tables["header"]).iter_rows(named=True)) if "header" in tables else []
    known = {row["CHILD"] for row in headers}
    order: list[tuple[str | None, Row]] = [(row["CHILD"], row) for row in headers]
    orphans: dict[str | None, None] = {}
    for by_child in (*(t.by_child for t in grouped.values()), uasc):
        for child in by_child:
            if child not in known:
                orphans.setdefault(child, None)
    order.extend((child, {"CHILD": child}) for child in orphans)
    nothing: dict[str, _Table] = {name: _Table(tag, None) for name, tag in (*_IN_HEADER, *_IN_CHILD)}
    done: set[str | None] = set()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<{ROOT}>\n')
        for start in range(0, len(order), _CHUNK):
            chunk = []
            for child, header in order[start : start + _CHUNK]:
                # A repeated header row still gets its own CHILD, but the records go to the first one.
                first = child not in done
                chunk.append(_child(child, header, grouped if first else nothing, uasc if first else {}))
                done.add(child)
            handle.write("".join(chunk))
        handle.write(f"</{ROOT}>\n")
