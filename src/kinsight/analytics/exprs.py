"""Polars expressions shared by the indicator modules: code-to-group lookups and age bands."""

from __future__ import annotations

from datetime import date

import polars as pl

from kinsight.analytics.groupings import Groupings
from kinsight.domain.years import year_end, year_start


def group_of(column: str, mapping: dict[str, str], unknown: str = "Not recorded") -> pl.Expr:
    """Map a code column to its group label; codes outside the mapping read ``unknown``."""
    return pl.col(column).replace_strict(mapping, default=unknown, return_dtype=pl.String)


def age_band(age: pl.Expr, groupings: Groupings) -> pl.Expr:
    expr: pl.Expr = pl.lit("Unknown", dtype=pl.String)
    for band in reversed(groupings.age_bands):
        expr = pl.when(age.is_between(band.min, band.max)).then(pl.lit(band.label)).otherwise(expr)
    return expr


SEX_LABELS = {
    "1": "Male",
    "M": "Male",
    "2": "Female",
    "F": "Female",
    "U": "Unknown",
    "0": "Unknown",
    "9": "Unknown",
}


def sex_label(column: str = "SEX") -> pl.Expr:
    return (
        pl.col(column)
        .cast(pl.String)
        .str.strip_chars()
        .replace_strict(SEX_LABELS, default="Not recorded", return_dtype=pl.String)
    )


def years_frame(years: tuple[str, ...] | list[str]) -> pl.DataFrame:
    """One row per collection year with its first and last day, to cross-join onto records."""
    return pl.DataFrame(
        {
            "collection_year": list(years),
            "ystart": [year_start(y) for y in years],
            "yend": [year_end(y) for y in years],
        },
        schema={"collection_year": pl.String, "ystart": pl.Date, "yend": pl.Date},
    )


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last = (next_first.toordinal() - 1) - date(year, month, 1).toordinal() + 1
    return date(year, month, min(day.day, last))
