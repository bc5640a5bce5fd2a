"""Generalisation: make values coarser so fewer records stand out, keeping what analysis needs.

Each function returns a polars expression (or a frame for the steps that need the whole column), so
an export can chain them lazily.  The choices follow regional practice: dates of birth to the first
of the month or to the year, DfE age bands at a reference date (usually 31 March), postcodes to the
sector (``M1 4``) or district (``M1``), dates shifted by a keyed per-child offset when exact dates are
not needed, and rare categories folded into "Other".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from kinsight.errors import UsageError
from kinsight.privacy.tokens import keyed_offsets

AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "Under 1"),
    (1, 4, "1 to 4"),
    (5, 9, "5 to 9"),
    (10, 15, "10 to 15"),
    (16, None, "16 and over"),
)
"""DfE age bands for children looked after: (first age, last age or None, label)."""

_POSTCODE = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9])[A-Z]{2}$"


def to_month(column: str | pl.Expr) -> pl.Expr:
    """A date truncated to the first of its month (the regional pools' degraded date of birth)."""
    return _expr(column).cast(pl.Date).dt.truncate("1mo")


def to_year(column: str | pl.Expr) -> pl.Expr:
    """The calendar year of a date, as an integer (a 1 January date would look like a real birthday)."""
    return _expr(column).cast(pl.Date).dt.year().cast(pl.Int32)


def age_in_years(dob: str | pl.Expr, reference: date | pl.Expr) -> pl.Expr:
    """Completed years of age at the reference date (null when born after it)."""
    born = _expr(dob).cast(pl.Date)
    ref = pl.lit(reference, dtype=pl.Date) if isinstance(reference, date) else reference.cast(pl.Date)
    not_yet = (ref.dt.month().cast(pl.Int32) * 100 + ref.dt.day().cast(pl.Int32)) < (
        born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    )
    age = ref.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32) - not_yet.cast(pl.Int32)
    return pl.when(age >= 0).then(age).otherwise(None)


def band_for_age(age: pl.Expr) -> pl.Expr:
    """The DfE age band label for an age in completed years."""
    expr: pl.Expr | pl.When | pl.Then | None = None
    for low, high, label in AGE_BANDS:
        cond = age >= low if high is None else age.is_between(low, high)
        expr = pl.when(cond).then(pl.lit(label)) if expr is None else expr.when(cond).then(pl.lit(label))
    assert expr is not None
    return expr.otherwise(pl.lit(None, dtype=pl.String))  # type: ignore[union-attr]


def to_age_band(dob: str | pl.Expr, reference: date | pl.Expr) -> pl.Expr:
    """DfE age band (Under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over) at the reference date."""
    return band_for_age(age_in_years(dob, reference))


def _clean_postcode(column: str | pl.Expr) -> pl.Expr:
    return _expr(column).cast(pl.String).str.to_uppercase().str.replace_all(r"\s+", " ").str.strip_chars()


def to_postcode_sector(column: str | pl.Expr) -> pl.Expr:
    """Outward code and sector digit, ``"M1 4BT"`` → ``"M1 4"``; null when not a UK postcode."""
    clean = _clean_postcode(column)
    return pl.concat_str([clean.str.extract(_POSTCODE, 1), clean.str.extract(_POSTCODE, 2)], separator=" ")


def to_postcode_district(column: str | pl.Expr) -> pl.Expr:
    """The outward code (postcode district), ``"M1 4BT"`` → ``"M1"``; null when not a UK postcode."""
    return _clean_postcode(column).str.extract(_POSTCODE, 1)


def shift_dates(
    frame: pl.DataFrame, id_column: str, date_columns: Sequence[str], key: bytes, max_days: int
) -> pl.DataFrame:
    """Move every date of a child by the same keyed offset (±``max_days``, never zero).

    Intervals within a child (episode length, time to adoption) are exactly kept; across children the
    true dates are hidden.  The offset comes from the key, so the same child shifts the same way in
    every year and table.
    """
    _require(frame, [id_column, *date_columns])
    ids = frame.get_column(id_column).cast(pl.String).drop_nulls().unique().to_list()
    offsets = pl.DataFrame(
        {"_id": ids, "_shift": keyed_offsets(key, ids, max_days)},
        schema={"_id": pl.String, "_shift": pl.Int32},
    )
    shifted = (
        frame.with_row_index("_order")
        .with_columns(pl.col(id_column).cast(pl.String).alias("_id"))
        .join(offsets, on="_id", how="left")
        .with_columns(
            (pl.col(c).cast(pl.Date) + pl.duration(days=pl.col("_shift"))).alias(c) for c in date_columns
        )
        .sort("_order")
    )
    return shifted.drop("_order", "_id", "_shift")


def group_rare(frame: pl.DataFrame, column: str, min_count: int, other: str = "Other") -> pl.DataFrame:
    """Replace categories seen fewer than ``min_count`` times by ``other`` (missing values stay missing)."""
    _require(frame, [column])
    counts = frame.get_column(column).drop_nulls().value_counts()
    rare = counts.filter(pl.col("count") < min_count).get_column(column)
    col = pl.col(column)
    return frame.with_columns(
        pl.when(col.is_in(rare.implode())).then(pl.lit(other)).otherwise(col.cast(pl.String)).alias(column)
    )


def _expr(column: str | pl.Expr) -> pl.Expr:
    return pl.col(column) if isinstance(column, str) else column


def _require(frame: pl.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError(
            f"column(s) not in the data: {', '.join(missing)}", hint=f"Columns: {', '.join(frame.columns)}."
        )
