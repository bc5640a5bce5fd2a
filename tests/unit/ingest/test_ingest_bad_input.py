"""Unreadable files are refused with a message naming the file, and leave the store exactly as it was.

Problems inside a readable file (a broken date, an unknown code) are findings, not refusals.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from ingest_fixtures import CIN_XML, small_return, store_snapshot, write_csv

from kinsight.errors import DataFileError, UsageError
from kinsight.ingest import ingest_files


@pytest.fixture
def loaded(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A store that already holds one year, so 'unchanged' means something."""
    ingest_files(store, [small_return(tmp_path / "first" / "2023-24", sex="1", latest="15/03/2024")])
    return store


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>\n'
    "<Message><Children><Child><ChildIdentifiers><LAchildID>&lol2;</LAchildID></ChildIdentifiers></Child>"
    "</Children></Message>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<Message><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child>"
    "</Children></Message>\n"
)


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


CASES = {
    "wrong_columns": ("episodes.csv", b"NAME,AGE\nAnn,4\n", "do not match any SSDA903 table", None),
    "zero_bytes": ("header.csv", b"", "empty .0 bytes.", None),
    "empty": ("header.csv", b"\n  \n", "no header row", None),
    "binary": ("header.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data", None),
    "latin1": (
        "header.csv",
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2015,WBRI,,,\n2,F,01/01/2016,WBRI,Zoë,,\n".encode(
            "latin-1"
        ),
        "not UTF-8",
        2,
    ),
    "ragged": (
        "header.csv",
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2015,WBRI,,,\n2,F,01/01/2016\n",
        "has 3 values",
        2,
    ),
    "truncated_xml": ("cin.xml", CIN_XML[: len(CIN_XML) * 2 // 3].encode(), "broken or cut short", None),
    "billion_laughs": ("cin.xml", BILLION_LAUGHS.encode(), "DOCTYPE or entities", None),
    "external_entity": ("cin.xml", EXTERNAL_ENTITY.encode(), "DOCTYPE or entities", None),
    "empty_xml": ("cin.xml", b"", "empty", None),
    "latin1_xml": ("cin.xml", CIN_XML.replace("WBRI", "Zoë").encode("latin-1"), "broken or cut short", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unreadable_file_is_refused_and_store_unchanged(
    loaded: duckdb.DuckDBPyConnection, tmp_path: Path, case: str
) -> None:
    name, content, message, row = CASES[case]
    folder = small_return(tmp_path / "second" / "2024-25")
    bad = _write(folder / "bad" / name, content)
    before = store_snapshot(loaded)
    with pytest.raises(DataFileError, match=message) as caught:
        ingest_files(loaded, [folder])
    assert caught.value.location.file == str(bad)
    assert caught.value.location.row == row
    assert caught.value.exit_code == 3
    assert store_snapshot(loaded) == before


def test_broken_dates_are_findings_with_file_row_and_field(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = small_return(tmp_path / "2024-25")
    write_csv(
        folder / "header.csv",
        ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
        [["1", "M", "31/02/2015", "WBRI", "", "", ""], ["2", "F", "01/01/2016", "WXYZ", "", "", ""]],
    )
    result = ingest_files(store, [folder])
    header = next(t for t in result.tables if t.table == "header")
    assert header.rows == 2 and header.findings == 2
    rows = store.execute(
        'SELECT file, "row", field, code FROM _ingest_findings WHERE "table" = \'header\' ORDER BY "row"'
    ).fetchall()
    assert rows == [
        (str(folder / "header.csv"), 1, "DOB", "bad_date"),
        (str(folder / "header.csv"), 2, "ETHNIC", "unknown_code"),
    ]
    # the row is kept: NULL in the typed table, as received in the raw table
    typed = store.execute("SELECT DOB FROM ssda903_header WHERE CHILD = '1'").fetchall()
    raw = store.execute("SELECT DOB FROM raw_ssda903_header WHERE CHILD = '1'").fetchall()
    assert typed == [(None,)] and raw == [("31/02/2015",)]


def test_missing_and_unknown_columns_are_findings(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    folder = tmp_path / "2024-25"
    write_csv(
        folder / "header.csv",
        ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "Notes"],
        [["1", "M", "01/01/2015", "WBRI", "", "", "hello"]],
    )
    ingest_files(store, [folder])
    found = store.execute("SELECT field, code, severity FROM _ingest_findings ORDER BY field").fetchall()
    assert found == [("MC_DOB", "missing_column", "error"), ("Notes", "unknown_column", "warning")]
    assert store.execute('SELECT "Notes" FROM raw_ssda903_header').fetchall() == [("hello",)]


def test_two_files_for_one_table_and_year_are_refused(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    a = small_return(tmp_path / "a" / "2024-25")
    b = small_return(tmp_path / "b" / "2024-25")
    before = store_snapshot(store)
    with pytest.raises(UsageError, match="two files hold"):
        ingest_files(store, [a, b])
    assert store_snapshot(store) == before


def test_missing_path_and_other_file_kinds(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        ingest_files(store, [tmp_path / "nope"])
    notes = _write(tmp_path / "notes.txt", b"hello")
    with pytest.raises(DataFileError, match="neither a CSV nor an XML"):
        ingest_files(store, [notes])


def test_byte_order_mark_and_quoted_commas_are_read(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "2024-25" / "reviews.csv"
    path.parent.mkdir()
    path.write_bytes(b'\xef\xbb\xbfCHILD,DOB,REVIEW,REVIEW_CODE\r\n"1,a",01/01/2015,02/02/2025,pn1\r\n')
    result = ingest_files(store, [path])
    assert [(t.table, t.rows, t.findings) for t in result.tables] == [("reviews", 1, 0)]
    assert store.execute("SELECT CHILD, REVIEW_CODE FROM ssda903_reviews").fetchall() == [("1,a", "PN1")]
