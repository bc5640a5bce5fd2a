"""Missing and away-from-placement episodes (903 Missing table), by the year the episode started.

Like episodes, a missing episode can be repeated in the next year's return; we keep one row per
(CHILD, MIS_START, MISSING), from the latest return.
"""

from __future__ import annotations

import duckdb
import polars as pl

from kinsight.analytics.exprs import years_frame
from kinsight.analytics.result import Indicator, IndicatorKind
from kinsight.analytics.store import query_frame, table_exists


def missing_indicators(con: duckdb.DuckDBPyConnection, years: tuple[str, ...]) -> list[Indicator]:
    if not table_exists(con, "ssda903_missing"):
        return []
    frame = query_frame(
        con,
        """
        SELECT CAST(CHILD AS VARCHAR) AS CHILD, MISSING, MIS_START FROM (
            SELECT *, row_number() OVER (
                PARTITION BY CHILD, MIS_START, MISSING ORDER BY collection_year DESC
            ) AS rn
            FROM ssda903_missing WHERE CHILD IS NOT NULL AND MIS_START IS NOT NULL
        ) WHERE rn = 1
        """,
    )
    yf = years_frame(years)
    dated = frame.join(yf, how="cross").filter(
        pl.col("MIS_START").is_between(pl.col("ystart"), pl.col("yend"))
    )
    agg = dated.group_by("collection_year").agg(
        (pl.col("MISSING") == "M").sum().alias("missing_episodes"),
        pl.col("CHILD").filter(pl.col("MISSING") == "M").n_unique().alias("missing_children"),
        (pl.col("MISSING") == "A").sum().alias("away_episodes"),
        pl.col("CHILD").filter(pl.col("MISSING") == "A").n_unique().alias("away_children"),
    )
    cols = ["missing_episodes", "missing_children", "away_episodes", "away_children"]
    out = (
        yf.select("collection_year")
        .join(agg, on="collection_year", how="left")
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in cols])
        .sort("collection_year")
    )
    return [Indicator("missing_episodes", IndicatorKind.SUMMARY, out)]
