"""The CIN census XML is flattened into the CIN tables with parent ids, and unsafe XML is refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from ingest_fixtures import CIN_XML

from kinsight.errors import DataFileError
from kinsight.ingest import ingest_files
from kinsight.ingest.cin_xml import read_cin_xml
from kinsight.ingest.model import FileKind, SourceFile
from kinsight.specs import load_spec


def _read(path: Path) -> dict[str, list[dict]]:
    source = SourceFile(path, path.name, FileKind.XML, path.stat().st_size)
    return {r.table: r.data.to_pylist() for r in read_cin_xml(source, "sha", load_spec("cin_census"))}


def test_structure_is_flattened_with_ids(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(CIN_XML)
    tables = _read(path)
    assert [r["LAchildID"] for r in tables["childidentifiers"]] == ["C1", "C2"]
    assert [r["_row"] for r in tables["childidentifiers"]] == [1, 2]
    assert [(r["LAchildID"], r["Disability"]) for r in tables["disabilities"]] == [
        ("C1", "MOB"),
        ("C1", "LD"),
        ("C2", "NONE"),
    ]
    assert [(r["LAchildID"], r["CINdetailsID"], r["ReferralSource"]) for r in tables["cindetails"]] == [
        ("C1", "1", "1A"),
        ("C1", "2", "6"),
        ("C2", "1", "3B"),
    ]
    assert [
        (r["CINdetailsID"], r["AssessmentID"], r["AssessmentFactors"]) for r in tables["assessmentfactors"]
    ] == [("1", "1", "4B"), ("1", "1", "18A"), ("2", "2", "21")]
    assert [(r["LAchildID"], r["CPPID"], r["CPPreviewDate"]) for r in tables["reviews"]] == [
        ("C1", "1", "2024-09-10"),
        ("C1", "1", "2025-01-10"),
    ]
    assert [(r["LAchildID"], r["CPPID"]) for r in tables["childprotectionplans"]] == [
        ("C1", "1"),
        ("C2", "1"),
    ]
    assert tables["cinplandates"] == [
        {
            "LAchildID": "C2",
            "CINdetailsID": "1",
            "CINPlanStartDate": "2025-02-20",
            "CINPlanEndDate": None,
            "_row": 2,
        }
    ]
    assert tables["header"][0]["LEA"] == "999" and tables["header"][0]["ReferenceDate"] == "2025-03-31"
    assert tables["preproceedings"] == []


def test_namespaced_file_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(CIN_XML.replace("<Message>", '<Message xmlns="http://www.dcsf.gov.uk/schemas/cbds">'))
    assert len(_read(path)["cindetails"]) == 3


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&lol3;</LAchildID></ChildIdentifiers></Child></Children></Message>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Message [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child></Children></Message>
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BILLION_LAUGHS, "DOCTYPE or entities"),
        (EXTERNAL_ENTITY, "DOCTYPE or entities"),
        (CIN_XML[: len(CIN_XML) // 2], "broken or cut short"),
        ("<Message><Children><Child></Children></Message>", "broken or cut short"),
        ("<?xml version='1.0'?><Return><Child/></Return>", "not a CIN census file"),
        ("", "empty"),
        ("   \n", "empty"),
    ],
)
def test_unsafe_or_broken_xml_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(DataFileError, match=message) as caught:
        _read(path)
    assert caught.value.location.file == "bad.xml"


def test_a_bad_date_in_one_of_a_childs_records_is_one_finding_naming_its_own_text(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A child's CIN records share the child's ``_row``, so the check must read each record's text beside
    its own typed value: C1's first CINdetails gets an impossible closure date, its second keeps a good
    one."""
    folder = tmp_path / "2024-25"
    folder.mkdir()
    first_referral = "<CINreferralDate>2024-05-01</CINreferralDate>"
    (folder / "cin.xml").write_text(
        CIN_XML.replace(first_referral, first_referral + "<CINclosureDate>31/02/2025</CINclosureDate>", 1)
    )
    result = ingest_files(store, [folder], year="2024-25")
    found = store.execute(
        'SELECT "row", field, code, message FROM _ingest_findings WHERE "table" = \'cindetails\''
    ).fetchall()
    message = "CINclosureDate value '31/02/2025' is not a date (write DD/MM/YYYY)"
    assert found == [(1, "CINclosureDate", "bad_date", message)]
    assert {t.table: t.findings for t in result.tables}["cindetails"] == 1
