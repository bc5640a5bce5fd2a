"""Care leavers' outcomes (903 OC3): each year's return is its own cohort (care leavers aged 17-21)."""

from __future__ import annotations

import duckdb
import polars as pl

from kinsight.analytics.result import Indicator, IndicatorKind
from kinsight.analytics.store import column_or_null, columns, query_frame, table_exists

EET_ACTIVITIES = ("F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5")
NEET_ACTIVITIES = ("G4", "G5", "G6")


def care_leaver_indicators(con: duckdb.DuckDBPyConnection) -> list[Indicator]:
    """Cohort size, in touch, in education/employment/training, NEET, and accommodation coded suitable.

    ``accommodation_suitable`` counts ACCOM codes ending in 1; the DfE meaning of the digit is believed
    to be suitable (1) / not suitable (2) but was not confirmed in the sources held.
    """
    if not table_exists(con, "ssda903_oc3"):
        return []
    present = columns(con, "ssda903_oc3")
    frame = query_frame(
        con,
        f"SELECT CAST(CHILD AS VARCHAR) AS CHILD, {column_or_null(present, 'IN_TOUCH')}, "
        f"{column_or_null(present, 'ACTIV')}, {column_or_null(present, 'ACCOM')}, "
        "collection_year FROM ssda903_oc3",
    )
    agg = (
        frame.group_by("collection_year")
        .agg(
            pl.col("CHILD").n_unique().alias("care_leavers"),
            pl.col("CHILD").filter(pl.col("IN_TOUCH") == "YES").n_unique().alias("in_touch"),
            pl.col("CHILD")
            .filter(pl.col("ACTIV").is_in(EET_ACTIVITIES))
            .n_unique()
            .alias("in_education_employment_training"),
            pl.col("CHILD").filter(pl.col("ACTIV").is_in(NEET_ACTIVITIES)).n_unique().alias("neet"),
            pl.col("CHILD")
            .filter(pl.col("ACCOM").str.ends_with("1"))
            .n_unique()
            .alias("accommodation_suitable"),
        )
        .sort("collection_year")
    )
    return [Indicator("care_leavers", IndicatorKind.SUMMARY, agg)]
