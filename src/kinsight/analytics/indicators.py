"""Every descriptive indicator over every year held, in one call, and its plain JSON form."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from kinsight.analytics.care_leavers import care_leaver_indicators
from kinsight.analytics.catalogue import indicator_catalogue
from kinsight.analytics.cin import cin_indicators
from kinsight.analytics.cla import cla_indicators
from kinsight.analytics.episodes import EpisodeHistory, load_history
from kinsight.analytics.groupings import Groupings, default_groupings
from kinsight.analytics.missing import missing_indicators
from kinsight.analytics.result import Indicator, IndicatorKind
from kinsight.analytics.store import table_exists


def compute_indicators(
    con: duckdb.DuckDBPyConnection, groupings: Groupings | None = None, history: EpisodeHistory | None = None
) -> list[Indicator]:
    """CLA indicators if 903 episodes are held, CIN ones if CIN details are held (either may be absent)."""
    groupings = groupings or default_groupings()
    out: list[Indicator] = []
    if history is not None or table_exists(con, "ssda903_episodes"):
        history = history or load_history(con)
        out += cla_indicators(history, groupings)
        out += missing_indicators(con, history.years)
        out += care_leaver_indicators(con)
    out += cin_indicators(con)
    return out


def _number(value: Any) -> Any:
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def indicator_to_json(indicator: Indicator) -> dict[str, Any]:
    """Plain mapping keyed by collection year.

    count → {year: n}; breakdown → {year: {group: n}}; proportion → {year: {numerator, denominator, percent}};
    summary → {year: {statistic: value}}.
    """
    frame = indicator.frame
    if indicator.kind is IndicatorKind.COUNT:
        return {r["collection_year"]: r["value"] for r in frame.iter_rows(named=True)}
    if indicator.kind is IndicatorKind.BREAKDOWN:
        out: dict[str, dict[str, Any]] = {}
        for r in frame.iter_rows(named=True):
            out.setdefault(r["collection_year"], {})[r["group"]] = r["value"]
        return out
    if indicator.kind is IndicatorKind.PROPORTION:
        return {
            r["collection_year"]: {
                "numerator": r["numerator"],
                "denominator": r["denominator"],
                "percent": round(100 * r["numerator"] / r["denominator"], 1) if r["denominator"] else None,
            }
            for r in frame.iter_rows(named=True)
        }
    return {
        r["collection_year"]: {k: _number(v) for k, v in r.items() if k != "collection_year"}
        for r in frame.iter_rows(named=True)
    }


def indicator_metadata(indicator: Indicator) -> dict[str, Any]:
    meta = indicator_catalogue().get(indicator.name)
    return {
        "name": indicator.name,
        "kind": str(indicator.kind),
        "dataset": indicator.dataset,
        "title": meta.title if meta else indicator.name,
        "unit": meta.unit if meta else "",
        "description": meta.description if meta else "",
    }


def rates_per_10000(indicator: Indicator, population: dict[str, int]) -> dict[str, float | None]:
    """Count per 10,000 children for years with a population; None where the population is unknown."""
    if indicator.kind is not IndicatorKind.COUNT:
        return {}
    out: dict[str, float | None] = {}
    for r in indicator.frame.iter_rows(named=True):
        pop = population.get(r["collection_year"])
        out[r["collection_year"]] = round(10_000 * r["value"] / pop, 1) if pop else None
    return out


def as_long_frame(indicator: Indicator) -> pl.DataFrame:
    """A tidy frame (collection_year, group, measure, value) for charts and exports."""
    frame = indicator.frame
    if indicator.kind is IndicatorKind.COUNT:
        return frame.select(
            "collection_year",
            pl.lit(None, pl.String).alias("group"),
            pl.lit("value").alias("measure"),
            pl.col("value").cast(pl.Float64),
        )
    if indicator.kind is IndicatorKind.BREAKDOWN:
        return frame.select(
            "collection_year", "group", pl.lit("value").alias("measure"), pl.col("value").cast(pl.Float64)
        )
    if indicator.kind is IndicatorKind.PROPORTION:
        pct = pl.when(pl.col("denominator") > 0).then(100 * pl.col("numerator") / pl.col("denominator"))
        return frame.select(
            "collection_year",
            pl.lit(None, pl.String).alias("group"),
            pl.lit("percent").alias("measure"),
            pct.cast(pl.Float64).alias("value"),
        )
    value_cols = [c for c in frame.columns if c != "collection_year"]
    return frame.unpivot(
        index="collection_year", on=value_cols, variable_name="measure", value_name="value"
    ).select(
        "collection_year", pl.lit(None, pl.String).alias("group"), "measure", pl.col("value").cast(pl.Float64)
    )
