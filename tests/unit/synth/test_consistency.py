"""Internal consistency of clean (fault-free) returns: episode chains, ages, adoption and UPNs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _episodes(folder: Path) -> pl.DataFrame:
    df = pl.read_csv(folder / "episodes.csv", infer_schema=False)
    return df.with_columns(
        pl.col("DECOM").str.to_date("%d/%m/%Y"),
        pl.col("DEC").str.to_date("%d/%m/%Y"),
        pl.int_range(pl.len()).alias("i"),
    )


def _birthday(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return date(dob.year + years, 2, 28)


def test_episode_chains(clean_dir: Path) -> None:
    for year in ("2022-23", "2023-24", "2024-25", "2025-26"):
        folder = clean_dir / "ssda903" / year
        ep = _episodes(folder)
        header = pl.read_csv(folder / "header.csv", infer_schema=False).with_columns(
            pl.col("DOB").str.to_date("%d/%m/%Y")
        )
        dob = dict(zip(header["CHILD"], header["DOB"], strict=True))
        previous: dict | None = None
        for row in ep.iter_rows(named=True):
            if row["DEC"] is not None:
                assert row["DEC"] > row["DECOM"]
            assert (row["DECOM"] - dob[row["CHILD"]]).days >= 0
            assert row["DECOM"] < _birthday(dob[row["CHILD"]], 18)
            if row["DEC"] is not None:
                assert row["DEC"] <= _birthday(dob[row["CHILD"]], 18)
            if previous is not None and previous["CHILD"] == row["CHILD"]:
                assert previous["DEC"] is not None and previous["DEC"] <= row["DECOM"], (year, row["CHILD"])
                if previous["REC"] == "X1":
                    assert previous["DEC"] == row["DECOM"]
                    assert row["RNE"] != "S"
                else:
                    assert row["RNE"] == "S"
            previous = row


def test_carried_episode_is_in_both_years(clean_dir: Path) -> None:
    last = _episodes(clean_dir / "ssda903" / "2023-24")
    this = _episodes(clean_dir / "ssda903" / "2024-25")
    open_last = last.filter(pl.col("DEC").is_null()).select("CHILD", "DECOM", "PLACE", "LS")
    assert open_last.height > 100
    found = open_last.join(this.select("CHILD", "DECOM", "PLACE", "LS"), on=["CHILD", "DECOM"], how="inner")
    assert found.height == open_last.height
    assert (found["LS"] == found["LS_right"]).all()


def test_age_18_ends_care(clean_dir: Path) -> None:
    folder = clean_dir / "ssda903" / "2024-25"
    ep = _episodes(folder)
    header = pl.read_csv(folder / "header.csv", infer_schema=False).with_columns(
        pl.col("DOB").str.to_date("%d/%m/%Y")
    )
    joined = ep.join(header.select("CHILD", "DOB"), on="CHILD")
    eighteenth_in_year = [
        (r["DEC"], _birthday(r["DOB"], 18))
        for r in joined.iter_rows(named=True)
        if date(2024, 4, 1) <= _birthday(r["DOB"], 18) <= date(2025, 3, 31)
        and r["DECOM"] < _birthday(r["DOB"], 18)
    ]
    assert eighteenth_in_year
    assert all(dec is not None and dec <= b for dec, b in eighteenth_in_year)


def test_adopted_children_have_ad1_and_were_placed(clean_dir: Path) -> None:
    adopted_total = 0
    for year in ("2022-23", "2023-24", "2024-25", "2025-26"):
        folder = clean_dir / "ssda903" / year
        ep = _episodes(folder)
        ad1 = pl.read_csv(folder / "ad1.csv", infer_schema=False)
        adopted = ep.filter(pl.col("REC").is_in(["E11", "E12"]))
        adopted_total += adopted.height
        assert set(adopted["CHILD"]) == set(ad1["CHILD"])
        for child in adopted["CHILD"]:
            rows = ep.filter(pl.col("CHILD") == child).sort("DECOM")
            assert rows["REC"][-1] in ("E11", "E12")
            assert rows["PLACE"][-1] in ("A3", "A4", "A5", "A6")
            if rows["PLACE"][-1] in ("A5", "A6"):
                assert rows["LS"][-1] == "E1"
        for r in ad1.iter_rows(named=True):
            assert r["NB_ADOPTR"] == ("1" if r["SEX_ADOPTR"] in ("M1", "F1") else "2")
            assert (r["LS_ADOPTR"] == "L0") == (r["NB_ADOPTR"] == "1")
    assert adopted_total > 5


def _check_letter(upn: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(upn[1:13], range(2, 14), strict=True))
    return LETTERS[total % 23]


def test_upns_have_valid_check_letter_and_la_code(clean_dir: Path) -> None:
    header = pl.read_csv(clean_dir / "ssda903" / "2024-25" / "header.csv", infer_schema=False)
    upns = [u for u in header["UPN"] if not u.startswith("UN")]
    assert len(upns) > 100
    for upn in upns:
        assert len(upn) == 13 and upn[1:4] == "801" and upn[1:].isdigit()
        assert upn[0] == _check_letter(upn)
    assert len(set(upns)) == len(upns)


def test_same_child_same_id_across_returns(clean_dir: Path) -> None:
    from lxml import etree

    header = pl.read_csv(clean_dir / "ssda903" / "2024-25" / "header.csv", infer_schema=False)
    root = etree.parse(str(clean_dir / "cin_census" / "2024-25" / "cin_census.xml")).getroot()
    cin_ids = {e.text for e in root.iter("LAchildID")}
    ep = pl.read_csv(clean_dir / "ssda903" / "2024-25" / "episodes.csv", infer_schema=False)
    assert set(ep["CHILD"]) <= cin_ids
    assert set(ep["CHILD"]) <= set(header["CHILD"])
