"""Generalisation against hand-worked examples and plain Python."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from kinsight.privacy import generalise as g

KEY = bytes(range(32))


def test_month_and_year() -> None:
    frame = pl.DataFrame({"DOB": [date(2010, 5, 17), date(2024, 12, 31), None]})
    out = frame.select(m=g.to_month("DOB"), y=g.to_year("DOB"))
    assert out["m"].to_list() == [date(2010, 5, 1), date(2024, 12, 1), None]
    assert out["y"].to_list() == [2010, 2024, None]


def _band(age: int) -> str:
    if age < 1:
        return "Under 1"
    if age <= 4:
        return "1 to 4"
    if age <= 9:
        return "5 to 9"
    if age <= 15:
        return "10 to 15"
    return "16 and over"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 3, 31)))
def test_age_band_matches_plain_python(dob: date) -> None:
    ref = date(2025, 3, 31)
    age = ref.year - dob.year - ((ref.month, ref.day) < (dob.month, dob.day))
    got = pl.DataFrame({"DOB": [dob]}).select(g.to_age_band("DOB", ref)).item()
    assert got == _band(age)


def test_age_band_edges() -> None:
    ref = date(2025, 3, 31)
    dobs = [
        date(2024, 4, 1),
        date(2024, 3, 31),
        date(2020, 4, 1),
        date(2020, 3, 31),
        date(2009, 3, 31),
        date(2025, 4, 1),
    ]
    out = pl.DataFrame({"DOB": dobs}).select(g.to_age_band("DOB", ref)).to_series().to_list()
    assert out == ["Under 1", "1 to 4", "1 to 4", "5 to 9", "16 and over", None]


def test_postcode_sector_and_district() -> None:
    frame = pl.DataFrame({"pc": ["M1 4BT", "sw1a1aa", " EC1A  1BB ", "B33 8TH", "nonsense", None]})
    out = frame.select(s=g.to_postcode_sector("pc"), d=g.to_postcode_district("pc"))
    assert out["s"].to_list() == ["M1 4", "SW1A 1", "EC1A 1", "B33 8", None, None]
    assert out["d"].to_list() == ["M1", "SW1A", "EC1A", "B33", None, None]


def test_shift_keeps_intervals_within_a_child_and_moves_dates() -> None:
    frame = pl.DataFrame(
        {
            "CHILD": ["a", "a", "b", "B", "c"],
            "DECOM": [
                date(2024, 1, 1),
                date(2024, 3, 1),
                date(2024, 5, 5),
                date(2024, 6, 5),
                date(2024, 7, 7),
            ],
            "DEC": [date(2024, 2, 1), None, date(2024, 5, 20), date(2024, 7, 1), date(2024, 8, 1)],
        }
    )
    out = g.shift_dates(frame, "CHILD", ["DECOM", "DEC"], KEY, 30)
    assert out["CHILD"].to_list() == frame["CHILD"].to_list()  # order kept
    shifts = [(n - o).days for n, o in zip(out["DECOM"], frame["DECOM"], strict=True)]
    assert shifts[0] == shifts[1] and shifts[2] == shifts[3]  # same child (ids normalised)
    assert all(1 <= abs(s) <= 30 for s in shifts)
    for n_dec, o_dec, s in zip(out["DEC"], frame["DEC"], shifts, strict=True):
        assert (o_dec is None and n_dec is None) or n_dec - o_dec == timedelta(days=s)


def test_group_rare_matches_counter() -> None:
    values = ["WBRI"] * 6 + ["AIND"] * 2 + ["BAFR"] * 5 + ["MOTH"] + [None]
    counts = Counter(v for v in values if v is not None)
    out = g.group_rare(pl.DataFrame({"ETHNIC": values}), "ETHNIC", 5)["ETHNIC"].to_list()
    assert out == [None if v is None else (v if counts[v] >= 5 else "Other") for v in values]
