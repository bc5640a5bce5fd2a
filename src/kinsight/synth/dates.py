"""Date arithmetic on arrays of day numbers (days since 1970-01-01), the generator's only date type.

Keeping dates as integers lets the whole simulation run as numpy array operations; conversion to text
happens once, when a table is written.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import polars as pl

EPOCH = date(1970, 1, 1)
# Calendar parts and date text come from lookup tables of every day in this range, built once.
_TABLE_FIRST = date(1900, 1, 1)
_TABLE_LAST = date(2100, 12, 31)


def day_number(value: date) -> int:
    return (value - EPOCH).days


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each day number.

    Days between 1900 and 2100 are looked up in a table computed once (``_ymd_table``): indexing is
    several times cheaper than the arithmetic, and the generator asks for millions of dates.
    """
    arr = np.asarray(days, dtype=np.int64)
    year, month, day = _ymd_table()
    idx = arr - day_number(_TABLE_FIRST)
    if arr.size and (idx.min() < 0 or idx.max() >= year.size):
        return _civil(arr)
    return year[idx], month[idx], day[idx]


@lru_cache(maxsize=1)
def _ymd_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _civil(np.arange(day_number(_TABLE_FIRST), day_number(_TABLE_LAST) + 1, dtype=np.int64))


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day by integer arithmetic (the proleptic Gregorian "civil from days" method):
    numpy's datetime64 unit conversions cost far more per element."""
    z = np.asarray(days, dtype=np.int64) + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day numbers of calendar dates (the inverse of ``ymd``; the day must exist in the month)."""
    y = np.asarray(year, dtype=np.int64) - (np.asarray(month) <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (np.asarray(month, dtype=np.int64) + 9) % 12
    doy = (153 * mp + 2) // 5 + np.asarray(day, dtype=np.int64) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def age_at(dob: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Age in completed years on each date (a birthday counts on the day itself)."""
    y0, m0, d0 = ymd(dob)
    y1, m1, d1 = ymd(at)
    return y1 - y0 - ((m1 * 100 + d1) < (m0 * 100 + d0)).astype(np.int64)


def add_years(days: np.ndarray, years: int) -> np.ndarray:
    """The same calendar date ``years`` later (29 February becomes 28 February), as day numbers.

    Pure numpy: the OC3 and UASC rules ask for birthdays of every period in every year, so this runs
    on millions of dates.
    """
    y, m, d = ymd(days)
    y2 = y + years
    leap = (y2 % 4 == 0) & ((y2 % 100 != 0) | (y2 % 400 == 0))
    d2 = np.where((m == 2) & (d == 29) & ~leap, 28, d)
    return from_ymd(y2, m, d2)


@lru_cache(maxsize=4)
def _date_table(fmt: str) -> pl.Series:
    first, last = day_number(_TABLE_FIRST), day_number(_TABLE_LAST)
    return pl.Series(np.arange(first, last + 1, dtype=np.int32)).cast(pl.Date).dt.strftime(fmt)


def to_text(days: np.ndarray, fmt: str = "%d/%m/%Y") -> pl.Series:
    """Format day numbers; negative sentinel values (``NO_DATE``) become nulls.

    Each distinct day is formatted once (``_date_table``) and rows pick their text by index: a
    per-row ``strftime`` over millions of rows was one of the generator's largest costs.
    """
    arr = np.asarray(days, dtype=np.int64)
    missing = (arr == NO_DATE) | (arr >= OPEN)
    idx = np.where(missing, 0, arr - day_number(_TABLE_FIRST))
    table = _date_table(fmt)
    if idx.size and (idx.min() < 0 or idx.max() >= table.len()):
        safe = np.where(missing, 0, arr).astype(np.int32)
        text = pl.Series(safe).cast(pl.Date).dt.strftime(fmt)
    else:
        text = table.gather(pl.Series(idx.astype(np.uint32)))
    if missing.any():
        text = text.scatter(np.flatnonzero(missing), None)
    return text


NO_DATE = np.iinfo(np.int64).min  # sentinel for "no date" in day-number arrays
OPEN = np.iinfo(np.int64).max // 4  # sentinel for "still open" end dates


def text_series(values: object, name: str = "") -> pl.Series:
    """A text column from a numpy array (object arrays holding None become nulls).

    Goes through a Python list: polars converts a numpy text array several times more slowly.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "OU":
        values = values.tolist()
    return pl.Series(name, values, dtype=pl.String)


def weekday_on_or_after(days: np.ndarray) -> np.ndarray:
    """The same day if it is Monday to Friday, otherwise the following Monday (meetings are not held
    at weekends, and the CIN census rules 8870Q and 8875 say so)."""
    arr = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return np.busday_offset(arr, 0, roll="forward").astype(np.int64)


def add_working_days(days: np.ndarray, n: int) -> np.ndarray:
    """``n`` working days (Monday to Friday) after each date, counted from the next working day."""
    arr = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return np.busday_offset(arr, n, roll="forward").astype(np.int64)
