"""The 903 XML reader's fast path hands anything unusual to the careful path, child by child.

Most children are read by the fast path; a child holding something the layout does not allow (here a
header field with an element inside it) must still give a finding and the same rows as before, while
its neighbours stay on the fast path.  Expected rows are worked out by hand from the text.
"""

from __future__ import annotations

from pathlib import Path

from kinsight.ingest.model import FileKind, SourceFile
from kinsight.ingest.ssda903_xml import read_ssda903_xml
from kinsight.specs import load_spec

RETURN = """<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
  <INFO>exported</INFO>
  <CHILD>
    <HEADER>
      <CHILDID>A1</CHILDID><SEX>1</SEX><DOB>02/03/2013</DOB><ETHNIC>WBRI</ETHNIC>
      <AREVIEW><REVIEW>28/01/2025</REVIEW><REVIEW_CODE>PN3</REVIEW_CODE></AREVIEW>
    </HEADER>
    <EPISODE><DECOM>11/11/2024</DECOM><PL>U1</PL></EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>B2</CHILDID><SEX>2</SEX><DOB>19/12/2008</DOB><ETHNIC><CODE>APKN</CODE></ETHNIC>
      <AREVIEW><DOB>20/12/2008</DOB><REVIEW>01/02/2025</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
    </HEADER>
    <EPISODE><DECOM>20/01/2025</DECOM><PL>K2</PL></EPISODE>
  </CHILD>
  <CHILD>
    <HEADER><CHILDID>C3</CHILDID><SEX>1</SEX><DOB>05/05/2015</DOB><ETHNIC>WIRI</ETHNIC></HEADER>
    <EPISODE><DECOM>01/03/2025</DECOM><PL>R1</PL><PL_DISTANCE>4.2</PL_DISTANCE></EPISODE>
  </CHILD>
</EXPSSDA903>
"""


def _read(tmp_path: Path) -> dict:
    path = tmp_path / "return.xml"
    path.write_text(RETURN)
    source = SourceFile(path, path.name, FileKind.XML, path.stat().st_size)
    return {r.table: r for r in read_ssda903_xml(source, "sha", load_spec("ssda903"))}


def _rows(read, *columns: str) -> list[tuple]:
    return [tuple(row[c] for c in columns) for row in read.data.to_pylist()]


def test_odd_child_is_read_carefully_and_its_neighbours_normally(tmp_path: Path) -> None:
    tables = _read(tmp_path)
    # B2's ETHNIC holds an element, so it is not loaded; the rest of B2 is.
    assert _rows(tables["header"], "CHILD", "SEX", "ETHNIC", "_row") == [
        ("A1", "1", "WBRI", 1),
        ("B2", "2", None, 2),
        ("C3", "1", "WIRI", 3),
    ]
    # A review's own date of birth wins over the header's; otherwise the header's is copied.
    assert _rows(tables["reviews"], "CHILD", "DOB", "REVIEW", "_row") == [
        ("A1", "02/03/2013", "28/01/2025", 1),
        ("B2", "20/12/2008", "01/02/2025", 2),
    ]
    assert _rows(tables["episodes"], "CHILD", "DECOM", "PLACE", "_row") == [
        ("A1", "11/11/2024", "U1", 1),
        ("B2", "20/01/2025", "K2", 2),
        ("C3", "01/03/2025", "R1", 3),
    ]


def test_optional_column_appears_only_when_given(tmp_path: Path) -> None:
    tables = _read(tmp_path)
    episodes = tables["episodes"].data
    # PL_DISTANCE is optional: one record gives it, so the column is there (blank for the others);
    # PL_LOCATION is given by none, so it is absent.
    assert "PL_DISTANCE" in episodes.column_names and "PL_LOCATION" not in episodes.column_names
    assert episodes.column("PL_DISTANCE").to_pylist() == [None, None, "4.2"]


def test_stray_elements_become_findings_with_lines(tmp_path: Path) -> None:
    tables = _read(tmp_path)
    found = sorted((f.table, f.code, f.field, f.row) for r in tables.values() for f in r.findings)
    # INFO sits before the first CHILD at the top level (this used to crash the reader).
    assert found == [
        ("header", "unknown_element", "ETHNIC", 2),
        ("header", "unknown_element", "INFO", 1),
    ]
    lines = RETURN.splitlines()
    info = next(f for f in tables["header"].findings if f.field == "INFO")
    assert f"line {next(n for n, t in enumerate(lines, 1) if '<INFO>' in t)}" in info.message
    assert "exported" not in info.message
