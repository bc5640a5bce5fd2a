"""Write one year's synthetic SSDA903 return as a single XML file (the DfE's "expanded SSDA903").

Some authorities send the 903 return as XML rather than CSVs, so Kinsight must read both; this writer
gives tests and demos the XML form of exactly the same return.  One ``CHILD`` per header row, in
header order: its ``HEADER`` carries the header fields, the UASC flag and date, and nested records
(reviews, missing, OC2, OC3, AD1, permanence, placed for adoption); ``EPISODE`` and ``SW_EPISODE``
records follow the header.  A nested record repeats the child's date of birth only when it differs
from the header's, so such an inconsistency survives the round trip; the UASC table's sex and date of
birth have no place of their own in the XML and are the header's.  Children that appear
in other tables but not in the header get a ``HEADER`` holding only their id.  Text is written in
chunks of children, so memory stays bounded.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from pathlib import Path
from xml.sax.saxutils import escape

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


def _element(name: str, value: str | None) -> str:
    tag = _RENAMES.get(name, name)
    return f"<{tag}/>" if value is None else f"<{tag}>{escape(value)}</{tag}>"


def _rows_by_child(frame: pl.DataFrame | None) -> dict[str | None, list[Row]]:
    grouped: dict[str | None, list[Row]] = defaultdict(list)
    if frame is not None:
        for row in frame.iter_rows(named=True):
            grouped[row["CHILD"]].append(row)
    return grouped


def _record(tag: str, row: Row, header: Row) -> str:
    parts = [
        _element(name, value)
        for name, value in row.items()
        if name not in _INHERITED or (name != "CHILD" and value != header.get(name))
    ]
    return f"<{tag}>{''.join(parts)}</{tag}>"


def _child(child: str | None, header: Row, tables: dict[str, dict[str | None, list[Row]]]) -> str:
    out = ["<CHILD><HEADER>"]
    out.extend(_element(name, value) for name, value in header.items())
    for row in tables["uasc"].get(child, ())[:1]:
        # The XML has no place for a UASC sex or date of birth apart from the header's.
        out.append("<UASC>1</UASC>")
        out.extend(_element(name, value) for name, value in row.items() if name not in _INHERITED)
    for table, tag in _IN_HEADER:
        out.extend(_record(tag, row, header) for row in tables[table].get(child, ()))
    out.append("</HEADER>")
    for table, tag in _IN_CHILD:
        out.extend(_record(tag, row, header) for row in tables[table].get(child, ()))
    out.append("</CHILD>\n")
    return "".join(out)


def write_ssda903_xml(tables: dict[str, pl.DataFrame], path: Path) -> None:
    """Write the 903 tables of one year (frames of text, DfE columns) as one XML return at ``path``."""
    grouped = {name: _rows_by_child(tables.get(name)) for name, _ in (*_IN_HEADER, *_IN_CHILD, ("uasc", ""))}
    headers = list(tables["header"].iter_rows(named=True)) if "header" in tables else []
    known = {row["CHILD"] for row in headers}
    order: list[tuple[str | None, Row]] = [(row["CHILD"], row) for row in headers]
    orphans: dict[str | None, None] = {}
    for by_child in grouped.values():
        for child in by_child:
            if child not in known:
                orphans.setdefault(child, None)
    order.extend((child, {"CHILD": child}) for child in orphans)
    done: set[str | None] = set()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<{ROOT}>\n')
        for start in range(0, len(order), _CHUNK):
            chunk = []
            for child, header in order[start : start + _CHUNK]:
                # A repeated header row still gets its own CHILD, but the records go to the first one.
                records = grouped if child not in done else defaultdict(dict)
                chunk.append(_child(child, header, records))
                done.add(child)
            handle.write("".join(chunk))
        handle.write(f"</{ROOT}>\n")
