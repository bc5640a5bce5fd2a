"""Effect of de-identification on an indicator, against hand-worked counts."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from kinsight.privacy.effect import compare, looked_after_by_age_band


def episodes(dobs: list[date]) -> pl.DataFrame:
    n = len(dobs)
    return pl.DataFrame(
        {
            "CHILD": [f"C{i}" for i in range(n)],
            "collection_year": ["2024-25"] * n,
            "DECOM": [date(2024, 6, 1)] * n,
            "DEC": [None] * (n - 1) + [date(2025, 1, 1)],  # the last child left before 31 March
            "DOB": dobs,
        }
    )


def test_indicator_counts_children_open_at_31_march_by_band() -> None:
    frame = episodes(
        [date(2024, 5, 1), date(2020, 3, 20), date(2020, 4, 2), date(2014, 1, 1), date(2008, 1, 1)]
    )
    got = looked_after_by_age_band(frame)
    # ages at 31/03/2025: 0, 5, 4, 11; the fifth child had left
    assert got == {
        "2024-25 / Under 1": 1.0,
        "2024-25 / 5 to 9": 1.0,
        "2024-25 / 1 to 4": 1.0,
        "2024-25 / 10 to 15": 1.0,
        "2024-25 / all": 4.0,
    }


def test_month_degraded_dates_move_a_child_between_bands() -> None:
    original = episodes([date(2020, 3, 20), date(2020, 4, 2), date(2010, 1, 1)])
    degraded = original.with_columns(pl.col("DOB").dt.truncate("1mo"))
    result = compare(original, degraded, looked_after_by_age_band)
    by_name = {d.name: d for d in result.differences}
    # born 20/03/2020 is 5 at census; degraded to 01/03/2020 still 5: no change for that child
    assert by_name["2024-25 / all"].absolute == 0
    assert result.max_absolute == 0
    shifted = original.with_columns(pl.lit(date(2020, 4, 1)).alias("DOB"))
    moved = compare(original, shifted, looked_after_by_age_band)
    diffs = {d.name: (d.original, d.deidentified, d.absolute, d.relative) for d in moved.differences}
    assert diffs["2024-25 / 5 to 9"] == (1.0, None, None, None)
    assert diffs["2024-25 / 1 to 4"] == (1.0, 2.0, 1.0, pytest.approx(1.0))


def test_banded_and_year_only_dates_are_accepted() -> None:
    banded = episodes([date(2020, 3, 20), date(2020, 3, 20)]).with_columns(pl.lit("5 to 9").alias("DOB"))
    assert looked_after_by_age_band(banded) == {"2024-25 / 5 to 9": 1.0, "2024-25 / all": 1.0}
    year_only = episodes([date(2020, 3, 20), date(2019, 1, 1)]).with_columns(pl.col("DOB").dt.year())
    # 2020 is placed on 1 July 2020 (age 4 at census); only the first child is still looked after
    assert looked_after_by_age_band(year_only) == {"2024-25 / 1 to 4": 1.0, "2024-25 / all": 1.0}
