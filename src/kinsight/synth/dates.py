"""Date arithmetic on arrays of day numbers (days since 1970-01-01), the generator's only date type.

Keeping dates as integers lets the whole simulation run as numpy array operations; conversion to text
happens once, when a table is written.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

EPOCH = date(1970, 1, 1)


def day_number(value: date) -> int:
    return (value - EPOCH).days


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dt = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    months = dt.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dt - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def age_at(dob: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Age in completed years on each date (a birthday counts on the day itself)."""
    y0, m0, d0 = ymd(dob)
    y1, m1, d1 = ymd(at)
    return y1 - y0 - ((m1 * 100 + d1) < (m0 * 100 + d0)).astype(np.int64)


def add_years(days: np.ndarray, years: int) -> np.ndarray:
    """The same calendar date ``years`` later (29 February becomes 28 February), as day numbers."""
    series = pl.Series(np.asarray(days, dtype=np.int64).astype("datetime64[D]")).dt.offset_by(f"{years}y")
    return series.to_numpy().astype("datetime64[D]").astype(np.int64)


def to_text(days: np.ndarray, fmt: str = "%d/%m/%Y") -> pl.Series:
    """Format day numbers; negative sentinel values (``NO_DATE``) become nulls."""
    arr = np.asarray(days, dtype=np.int64)
    missing = (arr == NO_DATE) | (arr >= OPEN)
    safe = np.where(missing, 0, arr).astype(np.int32)
    text = pl.Series(safe).cast(pl.Date).dt.strftime(fmt)
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
