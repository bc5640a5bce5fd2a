"""The collection year comes from --year, the CIN header, a folder name, or the data's latest dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from ingest_fixtures import CIN_XML, small_return

from kinsight.errors import UsageError
from kinsight.ingest import ingest_files


def _years(store: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return set(store.execute("SELECT dataset, year FROM _files").fetchall())


def test_folder_name_gives_the_year(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    ingest_files(store, [small_return(tmp_path / "returns" / "2024-25" / "903")])
    assert _years(store) == {("ssda903", "2024-25")}


def test_latest_activity_date_gives_the_year(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # latest episode date 15/03/2025 → 2024-25; a date in the future (a typo) is ignored
    folder = small_return(tmp_path / "plain", latest="15/03/2025")
    ingest_files(store, [folder], today=date(2025, 6, 1))
    assert _years(store) == {("ssda903", "2024-25")}


def test_latest_date_in_april_moves_to_the_next_year(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = small_return(tmp_path / "plain", latest="02/04/2025")
    ingest_files(store, [folder], today=date(2025, 6, 1))
    assert _years(store) == {("ssda903", "2025-26")}


def test_future_dates_are_ignored(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    folder = small_return(tmp_path / "plain", latest="02/04/2205")
    ingest_files(store, [folder], today=date(2025, 6, 1))
    # without the typo the latest date is the review on 12/12/2024
    assert _years(store) == {("ssda903", "2024-25")}


def test_given_year_wins_over_folder_and_header(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    folder = small_return(tmp_path / "2023-24")
    (folder / "cin.xml").write_text(CIN_XML)
    ingest_files(store, [folder], year="2022-23")
    assert _years(store) == {("ssda903", "2022-23"), ("cin_census", "2022-23")}
    mismatch = store.execute("SELECT \"table\" FROM _ingest_findings WHERE code = 'year_mismatch'").fetchall()
    assert mismatch == [("header",)]


def test_cin_header_wins_over_folder(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "2021-22" / "cin.xml"
    path.parent.mkdir()
    path.write_text(CIN_XML)  # ReferenceDate 2025-03-31
    ingest_files(store, [path])
    assert _years(store) == {("cin_census", "2024-25")}


def test_year_that_cannot_be_told_is_a_usage_error(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    small_return(folder)
    for name in ("episodes.csv", "reviews.csv"):
        (folder / name).unlink()
    with pytest.raises(UsageError, match="cannot tell which collection year"):
        ingest_files(store, [folder])


def test_identities_take_the_latest_year_loaded_with_them(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    small_return(tmp_path / "r" / "2023-24")
    small_return(tmp_path / "r" / "2024-25")
    people = tmp_path / "r" / "identities" / "people.csv"
    people.parent.mkdir()
    people.write_text(
        "CHILD,FORENAME,SURNAME,DOB,ADDRESS,POSTCODE,HOUSEHOLD\n"
        '101,Ann,Lee,01/06/2012,"1 High St, Town",ab1 2cd,HH1\n'
    )
    ingest_files(store, [tmp_path / "r"])
    assert ("identities", "2024-25") in _years(store)
    assert store.execute("SELECT ADDRESS, POSTCODE FROM identities_people").fetchall() == [
        ("1 High St, Town", "AB1 2CD")
    ]


def test_header_only_files_load_with_no_rows(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    folder = small_return(tmp_path / "2024-25")
    (folder / "ad1.csv").write_text(
        "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
    )
    (folder / "uasc.csv").write_text("CHILD,SEX,DOB,DUC")  # no line end at all
    result = ingest_files(store, [folder])
    empty = sorted((t.table, t.rows, t.findings) for t in result.tables if t.table in ("ad1", "uasc"))
    assert empty == [("ad1", 0, 1), ("uasc", 0, 1)]
    assert store.execute("SELECT DISTINCT code, severity FROM _ingest_findings").fetchall() == [
        ("no_rows", "info")
    ]
