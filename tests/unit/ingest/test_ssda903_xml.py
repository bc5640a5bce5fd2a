"""An SSDA903 XML return is read into the same text tables as the CSVs, and bad XML is refused safely."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kinsight.errors import DataFileError
from kinsight.ingest.csv_reader import read_csv_table
from kinsight.ingest.model import FileKind, SourceFile
from kinsight.ingest.run import read_all
from kinsight.ingest.ssda903_xml import read_ssda903_xml, xml_root_name
from kinsight.services.synth import generate
from kinsight.specs import load_spec

# A hand-made return: two children, the second with its AD1 fields loose in HEADER (older exports),
# a namespace, and blank elements.  The expected rows below are worked out by hand from this text.
RETURN = """<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903 xmlns="urn:example:903">
  <CHILD>
    <HEADER>
      <CHILDID>A1</CHILDID><SEX>1</SEX><DOB>02/03/2013</DOB><ETHNIC>WBRI</ETHNIC><UPN/>
      <UASC/>
      <AREVIEW><REVIEW>28/01/2025</REVIEW><REVIEW_CODE>PN3</REVIEW_CODE></AREVIEW>
      <AREVIEW><REVIEW>14/03/2025</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
      <MOTHER/><MC_DOB/>
      <AMISSING><MISSING>M</MISSING><MIS_START>01/02/2025</MIS_START><MIS_END/></AMISSING>
    </HEADER>
    <EPISODE><DECOM>11/11/2024</DECOM><RNE>L</RNE><LS>V3</LS><PL>U1</PL><DEC/></EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>B2</CHILDID><SEX>2</SEX><DOB>19/12/2008</DOB><ETHNIC>APKN</ETHNIC>
      <UASC>1</UASC><DUC>15/12/2026</DUC>
      <DATE_INT>01/06/2024</DATE_INT><DATE_MATCH>01/08/2024</DATE_MATCH><FOSTER_CARE>0</FOSTER_CARE>
      <PERMANENCE><PREV_PERM>Z1</PREV_PERM><LA_PERM/><DATE_PERM/></PERMANENCE>
    </HEADER>
    <EPISODE><DECOM>20/01/2025</DECOM><RNE>S</RNE><LS>J1</LS><PL>K2</PL><DEC>10/03/2025</DEC></EPISODE>
    <EPISODE><DECOM>10/03/2025</DECOM><RNE>P</RNE><LS>J1</LS><PL>R1</PL><DEC/></EPISODE>
  </CHILD>
</EXPSSDA903>
"""


def _source(path: Path) -> SourceFile:
    return SourceFile(path, path.name, FileKind.XML, path.stat().st_size)


def _read(path: Path):
    return {r.table: r for r in read_ssda903_xml(_source(path), "sha", load_spec("ssda903"))}


def _rows(read, *columns: str) -> list[tuple]:
    return [tuple(row[c] for c in columns) for row in read.data.to_pylist()]


def test_hand_made_return_is_flattened_into_the_csv_tables(tmp_path: Path) -> None:
    path = tmp_path / "return.xml"
    path.write_text(RETURN)
    tables = _read(path)
    assert _rows(tables["header"], "CHILD", "SEX", "DOB", "UPN", "_row") == [
        ("A1", "1", "02/03/2013", None, 1),
        ("B2", "2", "19/12/2008", None, 2),
    ]
    assert _rows(tables["episodes"], "CHILD", "DECOM", "PLACE", "DEC", "_row") == [
        ("A1", "11/11/2024", "U1", None, 1),
        ("B2", "20/01/2025", "K2", "10/03/2025", 2),
        ("B2", "10/03/2025", "R1", None, 2),
    ]
    # The child's date of birth is copied from HEADER onto the nested records, as the CSVs repeat it.
    assert _rows(tables["reviews"], "CHILD", "DOB", "REVIEW", "REVIEW_CODE") == [
        ("A1", "02/03/2013", "28/01/2025", "PN3"),
        ("A1", "02/03/2013", "14/03/2025", "PN1"),
    ]
    assert _rows(tables["missing"], "CHILD", "MISSING", "MIS_START", "MIS_END") == [
        ("A1", "M", "01/02/2025", None)
    ]
    assert _rows(tables["uasc"], "CHILD", "SEX", "DOB", "DUC") == [("B2", "2", "19/12/2008", "15/12/2026")]
    assert _rows(tables["ad1"], "CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR") == [
        ("B2", "19/12/2008", "01/06/2024", "01/08/2024", "0", None)
    ]
    assert _rows(tables["prevperm"], "CHILD", "PREV_PERM", "LA_PERM") == [("B2", "Z1", None)]
    assert tables["oc2"].data.num_rows == 0 and tables["oc3"].data.num_rows == 0
    # Tables tied to some years only appear when the file holds their records.
    assert "swepisodes" not in tables and "dolo" not in tables
    assert all(not r.findings for r in tables.values())
    assert all(r.year is None for r in tables.values())  # decided later, from the folder or the data


def test_columns_are_the_dfe_csv_columns(tmp_path: Path) -> None:
    path = tmp_path / "return.xml"
    path.write_text(RETURN)
    tables = _read(path)
    spec = load_spec("ssda903")
    for name, read in tables.items():
        core = [
            f.name
            for f in spec.tables[name].fields.values()
            if not f.optional_column and f.valid_from is None and f.valid_to is None
        ]
        assert read.data.column_names == [*core, "_row"], name
        assert all(str(t) == "string" for t in read.data.schema.types[:-1])


def test_unknown_elements_become_findings_not_crashes(tmp_path: Path) -> None:
    text = RETURN.replace("<MOTHER/>", "<NICKNAME>Jo</NICKNAME><MOTHER/>").replace(
        "<RNE>S</RNE>", "<RNE>S</RNE><COLOUR>red</COLOUR>"
    )
    text = text.replace("</EXPSSDA903>", "<FOOTER><COUNT>2</COUNT></FOOTER></EXPSSDA903>")
    text = text.replace("<DEC/></EPISODE>", "<DEC><WHEN>x</WHEN></DEC></EPISODE>", 1)
    path = tmp_path / "return.xml"
    path.write_text(text)
    tables = _read(path)
    found = sorted((f.table, f.code, f.field, f.row) for r in tables.values() for f in r.findings)
    assert found == [
        ("episodes", "unknown_element", "COLOUR", 2),
        ("episodes", "unknown_element", "DEC", 1),
        ("header", "unknown_element", "FOOTER", 2),
        ("header", "unknown_element", "NICKNAME", 1),
    ]
    nickname = next(f for f in tables["header"].findings if f.field == "NICKNAME")
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "<NICKNAME>" in t)
    assert f"line {line}" in nickname.message
    assert "Jo" not in nickname.message  # findings never carry child-level values
    assert tables["header"].data.num_rows == 2 and tables["episodes"].data.num_rows == 3


def test_broken_xml_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    lines = RETURN.splitlines()
    cut = next(n for n, t in enumerate(lines, start=1) if "PERMANENCE" in t)
    path = tmp_path / "cut.xml"
    path.write_text("\n".join(lines[:cut]).replace("</PERMANENCE>", "</PERMANENCEX>"))
    with pytest.raises(DataFileError) as caught:
        _read(path)
    message = caught.value.message
    assert message.startswith("cut.xml: ") and "not well-formed" in message and f"line {cut}" in message
    assert caught.value.details["file"] == "cut.xml"


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [\n <!ENTITY a "lol">\n'
        + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
        + "]>\n<EXPSSDA903><CHILD><HEADER><CHILDID>&i;</CHILDID></HEADER></CHILD></EXPSSDA903>\n"
    )
    path = tmp_path / "laughs.xml"
    path.write_text(laughs)
    with pytest.raises(DataFileError, match="DOCTYPE or entities"):
        _read(path)
    with pytest.raises(DataFileError, match="DOCTYPE or entities"):
        read_all([path])


def test_xml_dispatch_by_root_element(tmp_path: Path) -> None:
    path = tmp_path / "return.xml"
    path.write_text(RETURN)
    assert xml_root_name(_source(path)) == "EXPSSDA903"
    reads, _ = read_all([path])
    assert {r.dataset for r in reads} == {"ssda903"}
    other = tmp_path / "other.xml"
    other.write_text("<?xml version='1.0'?>\n<!-- a note -->\n<Invoice><Line/></Invoice>\n")
    with pytest.raises(DataFileError) as caught:
        read_all([other])
    message = caught.value.message
    assert "Invoice" in message and "Message" in message and "EXPSSDA903" in message


def test_empty_return_is_read_with_an_info_finding(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text("<EXPSSDA903></EXPSSDA903>")
    tables = _read(path)
    assert all(r.data.num_rows == 0 for r in tables.values())
    assert [f.code for f in tables["header"].findings] == ["no_rows"]


# --- the same synthetic return written as CSVs and as XML reads into the same text tables ----------


@pytest.fixture(scope="module", params=[0.0, 0.05], ids=["clean", "faulty"])
def both_forms(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    csv_dir = tmp_path_factory.mktemp("synth_csv")
    xml_dir = tmp_path_factory.mktemp("synth_xml")
    options = {"children": 150, "years": "2025-2025", "seed": 5, "datasets": ("ssda903",)}
    generate(csv_dir, faults=request.param, **options)
    generate(xml_dir, faults=request.param, ssda903_format="xml", **options)
    return request.param, csv_dir / "ssda903" / "2024-25", xml_dir / "ssda903" / "2024-25" / "ssda903.xml"


def _csv_rows(path: Path, columns: list[str]) -> list[tuple]:
    """Rows straight from the csv module: blank cells are None, as in the readers."""
    with path.open(newline="", encoding="utf-8") as handle:
        return sorted(
            tuple(None if row[c] == "" else row[c] for c in columns) for row in csv.DictReader(handle)
        )


def test_csv_and_xml_forms_read_identically(both_forms) -> None:
    faults, csv_dir, xml_path = both_forms
    assert sorted(p.name for p in xml_path.parent.iterdir()) == ["ssda903.xml"]
    from_xml = _read(xml_path)
    csv_files = sorted(csv_dir.glob("*.csv"))
    assert {p.stem for p in csv_files} == set(from_xml)
    for path in csv_files:
        from_csv = read_csv_table(SourceFile(path, path.name, FileKind.CSV, path.stat().st_size), "sha")
        xml_read = from_xml[path.stem]
        columns = [c for c in from_csv.data.column_names if c != "_row"]
        assert [c for c in xml_read.data.column_names if c != "_row"] == columns, path.stem
        if faults and path.stem == "uasc":
            # A faulty UASC sex or date of birth has no place in the XML: there they are the header's.
            columns = ["CHILD", "DUC"]
        got = sorted(tuple(r[c] for c in columns) for r in xml_read.data.to_pylist())
        assert got == _csv_rows(path, columns), path.stem
        assert not xml_read.findings, path.stem
