"""Effect of de-identification on the tool: run the same indicator on the original and on the
de-identified data and report every difference, as the DfE guidance asks analysts to test.

An indicator is any callable from a frame to named numbers, so the analytics or evaluation parts can
pass their own; :func:`looked_after_by_age_band` is a small built-in one (children looked after at
31 March by DfE age band) that works on exact, month-degraded, year-only or already-banded dates
of birth.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from kinsight.privacy import generalise as g

Indicator = Callable[[pl.DataFrame], Mapping[str, float]]


@dataclass(frozen=True)
class Difference:
    name: str
    original: float | None
    deidentified: float | None
    absolute: float | None
    relative: float | None  # absolute / original; None when the original is 0 or missing


@dataclass(frozen=True)
class EffectResult:
    indicator: str
    differences: tuple[Difference, ...]

    @property
    def max_absolute(self) -> float:
        return max((abs(d.absolute) for d in self.differences if d.absolute is not None), default=0.0)

    @property
    def max_relative(self) -> float:
        return max((abs(d.relative) for d in self.differences if d.relative is not None), default=0.0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "max_absolute_difference": self.max_absolute,
            "max_relative_difference": self.max_relative,
            "values": [d.__dict__ for d in self.differences],
        }


def compare(
    original: pl.DataFrame, deidentified: pl.DataFrame, indicator: Indicator, name: str | None = None
) -> EffectResult:
    """Every figure of ``indicator`` on both frames, with absolute and relative differences."""
    before = dict(indicator(original))
    after = dict(indicator(deidentified))
    rows = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        absolute = None if a is None or b is None else b - a
        relative = None if absolute is None or not a else absolute / a
        rows.append(Difference(key, a, b, absolute, relative))
    return EffectResult(name or getattr(indicator, "__name__", "indicator"), tuple(rows))


def looked_after_by_age_band(frame: pl.DataFrame) -> dict[str, float]:
    """Children looked after at 31 March by age band, per collection year (``"2024-25 / 1 to 4"``).

    Needs ``CHILD``, ``DECOM``, ``DEC``, ``DOB`` and ``collection_year`` (episodes joined to the
    header).  A child counts once per year when an episode is open on 31 March.  A month-degraded
    birth date is used as given (the 1st); a year-only one is placed on 1 July, the usual midpoint.
    """
    census = pl.date(pl.col("collection_year").str.slice(0, 4).cast(pl.Int32) + 1, 3, 31)
    open_at_census = (pl.col("DECOM") <= census) & (pl.col("DEC").is_null() | (pl.col("DEC") > census))
    dtype = frame.schema["DOB"]
    if dtype == pl.String:
        band = pl.col("DOB")
    elif dtype.is_integer():
        band = g.to_age_band(pl.date(pl.col("DOB"), 7, 1), census)
    else:
        band = g.to_age_band(pl.col("DOB"), census)
    counts = (
        frame.filter(open_at_census)
        .select("collection_year", "CHILD", band.alias("band"))
        .unique(subset=["collection_year", "CHILD"])
        .group_by("collection_year", "band")
        .len()
        .sort("collection_year", "band")
    )
    out: dict[str, float] = {}
    for year, band_name, n in counts.iter_rows():
        out[f"{year} / {band_name or 'unknown'}"] = float(n)
        out[f"{year} / all"] = out.get(f"{year} / all", 0.0) + float(n)
    return out
