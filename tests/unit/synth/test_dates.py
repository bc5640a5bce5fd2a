"""The generator's date helpers against Python's own calendar (``datetime``), an independent source.

They use lookup tables and integer arithmetic for speed, so every path is checked: inside the table
range, outside it (the arithmetic fallback), leap days and the missing/open sentinels.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from kinsight.synth.dates import EPOCH, NO_DATE, OPEN, add_years, age_at, from_ymd, to_text, ymd


def _days(values: list[date]) -> np.ndarray:
    return np.array([(v - EPOCH).days for v in values], dtype=np.int64)


def _sample() -> list[date]:
    rng = np.random.default_rng(3)
    inside = [date(1900, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 73_000, 400)]
    edges = [date(1900, 1, 1), date(2100, 12, 31), date(2000, 2, 29), date(2024, 2, 29), date(1970, 1, 1)]
    outside = [date(1800, 3, 1), date(1899, 12, 31), date(2101, 1, 1), date(2300, 2, 28), date(1600, 2, 29)]
    return inside + edges + outside


def test_ymd_and_back_agree_with_datetime() -> None:
    dates = _sample()
    year, month, day = ymd(_days(dates))
    assert year.tolist() == [d.year for d in dates]
    assert month.tolist() == [d.month for d in dates]
    assert day.tolist() == [d.day for d in dates]
    assert from_ymd(year, month, day).tolist() == _days(dates).tolist()


def _plus_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February in a year without one
        return d.replace(year=d.year + n, day=28)


@pytest.mark.parametrize("n", [1, 14, 16, 18, 21, -4, 100])
def test_add_years_matches_calendar(n: int) -> None:
    dates = _sample()
    expected = _days([_plus_years(d, n) for d in dates])
    assert add_years(_days(dates), n).tolist() == expected.tolist()


def test_age_at_counts_completed_years() -> None:
    dob = _days([date(2008, 2, 29), date(2010, 6, 15), date(2010, 6, 15), date(2024, 3, 31)])
    on = _days([date(2026, 2, 28), date(2026, 6, 14), date(2026, 6, 15), date(2025, 3, 31)])
    # Hand-worked: a 29 February birthday falls on 1 March in a common year, so 17 on 28 Feb 2026.
    assert age_at(dob, on).tolist() == [17, 15, 16, 1]


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%Y-%m-%d"])
def test_to_text_formats_each_date_and_nulls_sentinels(fmt: str) -> None:
    dates = _sample()
    days = np.r_[_days(dates), NO_DATE, OPEN]
    text = to_text(days, fmt).to_list()
    assert text[:-2] == [d.strftime(fmt) for d in dates]
    assert text[-2:] == [None, None]
