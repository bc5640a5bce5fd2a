"""The 903 XML writer: layout, escaping, and the awkward rows a faulty return holds."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from lxml import etree

from kinsight.ingest.model import FileKind, SourceFile
from kinsight.ingest.ssda903_xml import read_ssda903_xml
from kinsight.specs import load_spec
from kinsight.synth.ssda903_xml import write_ssda903_xml


def _frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})


def _tables() -> dict[str, pl.DataFrame]:
    return {
        "header": _frame(
            [
                {"CHILD": "C1", "SEX": "1", "DOB": "01/01/2015", "ETHNIC": "WBRI", "UPN": None},
                {"CHILD": "C2", "SEX": "2", "DOB": "02/02/2016", "ETHNIC": "A&B<", "UPN": "X"},
            ]
        ),
        "episodes": _frame(
            [
                {"CHILD": "C1", "DECOM": "01/05/2024", "PLACE": "U1", "PL_POST": "ZZ1 1ZZ"},
                {"CHILD": "C9", "DECOM": "03/06/2024", "PLACE": "K2", "PL_POST": None},
            ]
        ),
        # C1's second review repeats a different date of birth (a fault): it must survive the trip.
        "reviews": _frame(
            [
                {"CHILD": "C1", "DOB": "01/01/2015", "REVIEW": "10/06/2024", "REVIEW_CODE": "PN1"},
                {"CHILD": "C1", "DOB": "09/09/2015", "REVIEW": "10/09/2024", "REVIEW_CODE": "PN2"},
            ]
        ),
        "uasc": _frame([{"CHILD": "C2", "SEX": "2", "DOB": "02/02/2016", "DUC": "01/02/2034"}]),
    }


def test_layout_follows_the_expanded_903_structure(tmp_path: Path) -> None:
    path = tmp_path / "ssda903.xml"
    write_ssda903_xml(_tables(), path)
    root = etree.parse(str(path)).getroot()
    assert root.tag == "EXPSSDA903"
    children = root.findall("CHILD")
    assert [c.findtext("HEADER/CHILDID") for c in children] == ["C1", "C2", "C9"]
    first = children[0]
    assert [e.tag for e in first] == ["HEADER", "EPISODE"]
    assert first.findtext("EPISODE/PL") == "U1"  # PLACE is PL in the XML
    assert [r.findtext("REVIEW") for r in first.findall("HEADER/AREVIEW")] == ["10/06/2024", "10/09/2024"]
    # The date of birth is written in a review only where it differs from the header's.
    assert [r.find("DOB") is not None for r in first.findall("HEADER/AREVIEW")] == [False, True]
    second = children[1]
    assert second.findtext("HEADER/ETHNIC") == "A&B<"  # escaped on write, intact on read
    assert second.findtext("HEADER/UASC") == "1" and second.findtext("HEADER/DUC") == "01/02/2034"
    # A child found only in another table gets a HEADER with its id alone.
    assert [e.tag for e in children[2].find("HEADER")] == ["CHILDID"]


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "ssda903.xml"
    tables = _tables()
    write_ssda903_xml(tables, path)
    source = SourceFile(path, path.name, FileKind.XML, path.stat().st_size)
    reads = {r.table: r for r in read_ssda903_xml(source, "sha", load_spec("ssda903"))}
    for name in ("episodes", "reviews", "uasc"):
        columns = tables[name].columns
        got = sorted(tuple(row[c] for c in columns) for row in reads[name].data.to_pylist())
        assert got == sorted(tables[name].rows()), name
    header = sorted((r["CHILD"], r["ETHNIC"]) for r in reads["header"].data.to_pylist())
    assert header == [("C1", "WBRI"), ("C2", "A&B<"), ("C9", None)]
