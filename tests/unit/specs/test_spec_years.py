"""The spec in force follows the DfE's year-by-year changes."""

from __future__ import annotations

import pytest

from kinsight.errors import NotFoundError, UsageError
from kinsight.specs import load_spec


def test_903_sex_codes_change_in_2024_25() -> None:
    spec = load_spec("ssda903")
    assert spec.codes("sex", "2023-24") == ["1", "2"]
    assert spec.codes("sex", "2024-25") == ["M", "F", "U"]


def test_placement_codes_by_year() -> None:
    spec = load_spec("ssda903")
    y23, y24, y25 = (set(spec.codes("placement", y)) for y in ("2023-24", "2024-25", "2025-26"))
    assert "K3" not in y23 and "K3" in y24 and "K3" in y25
    assert {"H5", "P2", "Z1"} <= y24 and not ({"H5", "P2", "Z1"} & y25)
    assert {"Z11", "Z12", "Z13", "Z14"} <= y25 and not ({"Z11", "Z14"} & y24)
    assert y25 - y24 == {"Z11", "Z12", "Z13", "Z14"}
    assert y24 - y23 == {"K3"}


def test_old_special_guardianship_codes_are_gone() -> None:
    spec = load_spec("ssda903")
    assert "E43" not in spec.codes("reason_episode_ceased", "2024-25")
    assert "E45" in spec.codes("reason_episode_ceased", "2024-25")


def test_tables_come_and_go_with_the_years() -> None:
    spec = load_spec("ssda903")
    assert "swepisodes" not in spec.in_force("2022-23").tables
    assert "swepisodes" in spec.in_force("2023-24").tables
    assert "dolo" not in spec.in_force("2025-26").tables
    assert "dolo" in spec.in_force("2026-27").tables
    cin = load_spec("cin_census")
    assert "preproceedings" not in cin.in_force("2024-25").tables
    assert "preproceedings" in cin.in_force("2025-26").tables


def test_cin_gender_becomes_sex_in_2024_25() -> None:
    cin = load_spec("cin_census")
    old = cin.in_force("2023-24").tables["childidentifiers"].fields
    new = cin.in_force("2024-25").tables["childidentifiers"].fields
    assert "GenderCurrent" in old and "Sex" not in old
    assert "Sex" in new and "GenderCurrent" not in new
    assert cin.codes("sex", "2024-25") == ["M", "F", "U"]


def test_unspecified_abuse_factors_are_flagged_from_2024_25() -> None:
    cin = load_spec("cin_census")
    assert {"18A", "19A"} <= set(cin.codes("assessment_factors", "2023-24"))
    assert not {"18A", "19A"} & set(cin.codes("assessment_factors", "2024-25"))


def test_in_force_narrows_code_sets_and_remembers_the_year() -> None:
    spec = load_spec("ssda903").in_force("2025-26")
    assert spec.year == "2025-26"
    assert "H5" not in [c.code for c in spec.codesets["placement"].codes]
    assert spec.meaning("placement", "K2") == "Children's home"


def test_bad_year_and_unknown_names() -> None:
    spec = load_spec("ssda903")
    with pytest.raises(UsageError):
        spec.in_force("2024-26")
    with pytest.raises(NotFoundError):
        spec.codes("no_such_set", "2024-25")
    with pytest.raises(NotFoundError):
        spec.table("no_such_table")
