"""The one shape every indicator is returned in, whatever it measures."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl


class IndicatorKind(StrEnum):
    COUNT = "count"  # frame: collection_year, value
    BREAKDOWN = "breakdown"  # frame: collection_year, group, value
    PROPORTION = "proportion"  # frame: collection_year, numerator, denominator
    SUMMARY = "summary"  # frame: collection_year, then named statistics


@dataclass(frozen=True)
class Indicator:
    """One indicator over every year held; ``frame`` is sorted by year (and group)."""

    name: str
    kind: IndicatorKind
    frame: pl.DataFrame
    dataset: str = "ssda903"
