"""Tables are recognised by their DfE column sets, tolerating order, whitespace and case."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinsight.errors import DataFileError
from kinsight.ingest.csv_reader import recognise
from kinsight.ingest.model import FileKind, SourceFile


def _source(name: str = "file.csv") -> SourceFile:
    return SourceFile(Path(name), name, FileKind.CSV, 1)


def test_exact_column_set_in_any_order_case_and_spacing() -> None:
    found = recognise([" dob", "Child ", "sex", "ETHNIC", "upn", "MOTHER", "mc_dob"], _source())
    assert (found.dataset, found.table.name) == ("ssda903", "header")
    assert found.columns == ("DOB", "CHILD", "SEX", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
    assert found.unknown == () and found.missing == ()


def test_uasc_and_header_share_columns_but_are_told_apart() -> None:
    assert recognise(["CHILD", "SEX", "DOB", "DUC"], _source()).table.name == "uasc"
    header = recognise(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER"], _source())
    assert header.table.name == "header" and header.missing == ("MC_DOB",)


def test_extra_columns_are_kept_and_named() -> None:
    found = recognise(["CHILD", "DOB", "REVIEW", "REVIEW_CODE", "Notes"], _source())
    assert found.table.name == "reviews" and found.unknown == ("Notes",)


def test_optional_episode_columns_are_not_missing() -> None:
    cols = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
    found = recognise(cols.split(","), _source())
    assert found.table.name == "episodes"
    assert set(found.missing) == {"PL_DISTANCE", "PL_LOCATION", "PL_LA"}


def test_identities_people_are_recognised() -> None:
    found = recognise(
        ["CHILD", "FORENAME", "SURNAME", "DOB", "ADDRESS", "POSTCODE", "HOUSEHOLD"], _source("people.csv")
    )
    assert (found.dataset, found.table.name) == ("identities", "people")


@pytest.mark.parametrize(
    "header",
    [["name", "age"], ["CHILD", "SOMETHING"], ["DOB", "SEX", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]],
)
def test_unrecognisable_columns_are_refused(header: list[str]) -> None:
    with pytest.raises(DataFileError, match="do not match any SSDA903 table") as caught:
        recognise(header, _source("odd.csv"))
    assert caught.value.location.file == "odd.csv"


def test_duplicate_columns_are_refused() -> None:
    with pytest.raises(DataFileError, match="appears twice"):
        recognise(["CHILD", "child", "DOB", "REVIEW", "REVIEW_CODE"], _source())
