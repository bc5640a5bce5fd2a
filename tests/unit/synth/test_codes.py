"""Every code written is valid for its collection year (lists copied from the reference note, section 3)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from lxml import etree


def _codes(text: str) -> set[str]:
    return set(text.split())


ETHNIC = _codes(
    "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT"
)
LS = _codes("C1 C2 D1 E1 V2 V3 V4 L1 L2 L3 J1 J2 J3")
RNE = _codes("S L P T B U")
REC = _codes("X1 E11 E12 E45 E46 E47 E48 E41 E4A E4B E13 E5 E6 E17 E7 E9 E14 E15 E16 E2 E3 E8")
CIN_NEED = {f"N{i}" for i in range(1, 9)}
REVIEW_CODE = {f"PN{i}" for i in range(8)}
_PLACE_BASE = _codes("A3 A4 A5 A6 K1 K2 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6")


def place_codes(year: str) -> set[str]:
    codes = _PLACE_BASE | {"H5", "P2", "Z1"}
    if year >= "2024-25":
        codes |= {"K3"}
    if year >= "2025-26":
        codes = (codes - {"H5", "P2", "Z1"}) | {"Z11", "Z12", "Z13", "Z14"}
    return codes


def sex_codes(year: str) -> set[str]:
    return {"1", "2"} if year <= "2023-24" else {"M", "F", "U"}


def _read(folder: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{table}.csv", infer_schema=False)


def test_903_codes_valid_for_year(clean_dir: Path) -> None:
    for year in ("2022-23", "2023-24", "2024-25", "2025-26"):
        folder = clean_dir / "ssda903" / year
        header = _read(folder, "header")
        assert set(header["SEX"].to_list()) <= sex_codes(year)
        assert set(header["ETHNIC"].to_list()) <= ETHNIC
        ep = _read(folder, "episodes")
        assert set(ep["LS"].to_list()) <= LS
        assert set(ep["RNE"].to_list()) <= RNE
        assert set(ep["CIN"].to_list()) <= CIN_NEED
        assert set(ep["PLACE"].to_list()) <= place_codes(year), year
        assert set(ep["REC"].drop_nulls().to_list()) <= REC
        assert set(_read(folder, "reviews")["REVIEW_CODE"].to_list()) <= REVIEW_CODE
        assert set(_read(folder, "uasc")["SEX"].to_list()) <= sex_codes(year)
    # The year-specific codes are really used where they exist.
    used = set(_read(clean_dir / "ssda903" / "2024-25", "episodes")["PLACE"].to_list())
    assert "K3" in used
    used = set(_read(clean_dir / "ssda903" / "2025-26", "episodes")["PLACE"].to_list())
    assert used & {"Z11", "Z12", "Z13", "Z14"}


def test_cin_sex_element_by_year(clean_dir: Path) -> None:
    for year, tag, values in (
        ("2023-24", "GenderCurrent", {"0", "1", "2", "9"}),
        ("2025-26", "Sex", {"M", "F", "U"}),
    ):
        root = etree.parse(str(clean_dir / "cin_census" / year / "cin_census.xml")).getroot()
        found = {e.text for e in root.iter(tag)}
        assert found and found <= values
        other = "Sex" if tag == "GenderCurrent" else "GenderCurrent"
        assert next(root.iter(other), None) is None
        needs = {e.text for e in root.iter("PrimaryNeedCode")}
        assert needs <= CIN_NEED | {"N0", "N9"}
        assert {e.text for e in root.iter("AssessmentFactors")} <= _cin_factors()


def _cin_factors() -> set[str]:
    codes = {f"{n}{s}" for n in range(1, 7) for s in "ABC"}
    codes |= {"7A", "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18B", "18C", "19B", "19C"}
    codes |= {"8B", "8C", "8D", "8E", "8F", "20", "21", "22A", "23A", "24A"}
    return codes
