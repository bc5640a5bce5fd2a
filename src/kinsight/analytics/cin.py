"""Children in need indicators from the CIN census, by the DfE's published methodology.

Each census repeats the CIN episodes open during the year, so records are deduplicated across
returns by child and start date (referral, assessment start, s47 start, plan start), keeping the
latest return's version.  Rules:

* Referrals: CINdetails records with CINreferralDate in the year (each referral counts).
* Re-referrals: referrals in the year for a child with an earlier referral in the 12 months before
  (earlier date >= the referral date minus 12 calendar months).
* Assessments: completed in the year (AssessmentAuthorisationDate in the year).
* Section 47 enquiries: S47ActualStartDate in the year.
* Child protection plans starting: CPPstartDate in the year; at 31 March: plans started on or before
  31 March and not ended by then (CPPendDate missing or after 31 March); children are counted.
* CIN at 31 March: children with a referral on or before 31 March whose episode was not closed by then.
"""

from __future__ import annotations

import duckdb
import polars as pl

from kinsight.analytics.exprs import years_frame
from kinsight.analytics.result import Indicator, IndicatorKind
from kinsight.analytics.store import columns, query_frame, table_exists


def _dedup(con: duckdb.DuckDBPyConnection, table: str, key: str, cols: list[str]) -> pl.DataFrame | None:
    if not table_exists(con, table):
        return None
    present = columns(con, table)
    if key.upper() not in present:
        return None
    select = ", ".join(c if c.upper() in present else f"CAST(NULL AS DATE) AS {c}" for c in cols)
    return query_frame(
        con,
        f"""
        SELECT CAST(LAchildID AS VARCHAR) AS child, {select} FROM (
            SELECT *, row_number() OVER (PARTITION BY LAchildID, {key} ORDER BY collection_year DESC) AS rn
            FROM {table} WHERE LAchildID IS NOT NULL AND {key} IS NOT NULL
        ) WHERE rn = 1
        """,
    )


def cin_years(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    if not table_exists(con, "cin_census_cindetails"):
        return ()
    return tuple(
        r[0]
        for r in con.sql("SELECT DISTINCT collection_year FROM cin_census_cindetails ORDER BY 1").fetchall()
    )


def _events(
    frame: pl.DataFrame | None, date_col: str, yf: pl.DataFrame, name: str, by_child: bool
) -> Indicator | None:
    if frame is None:
        return None
    dated = frame.join(yf, how="cross").filter(pl.col(date_col).is_between(pl.col("ystart"), pl.col("yend")))
    value = pl.col("child").n_unique() if by_child else pl.len()
    agg = dated.group_by("collection_year").agg(value.alias("value"))
    out = (
        yf.select("collection_year")
        .join(agg, on="collection_year", how="left")
        .with_columns(pl.col("value").fill_null(0).cast(pl.Int64))
        .sort("collection_year")
    )
    return Indicator(name, IndicatorKind.COUNT, out, dataset="cin_census")


def _open_at(
    frame: pl.DataFrame | None, start: str, end: str, yf: pl.DataFrame, name: str
) -> Indicator | None:
    if frame is None:
        return None
    open_ = frame.join(yf, how="cross").filter(
        (pl.col(start) <= pl.col("yend")) & (pl.col(end).is_null() | (pl.col(end) > pl.col("yend")))
    )
    agg = open_.group_by("collection_year").agg(pl.col("child").n_unique().alias("value"))
    out = (
        yf.select("collection_year")
        .join(agg, on="collection_year", how="left")
        .with_columns(pl.col("value").fill_null(0).cast(pl.Int64))
        .sort("collection_year")
    )
    return Indicator(name, IndicatorKind.COUNT, out, dataset="cin_census")


def _rereferrals(referrals: pl.DataFrame | None, yf: pl.DataFrame) -> Indicator | None:
    if referrals is None:
        return None
    refs = referrals.select("child", "CINreferralDate").unique().sort(["child", "CINreferralDate"])
    refs = refs.with_columns(pl.col("CINreferralDate").shift(1).over("child").alias("previous"))
    refs = refs.with_columns(
        (
            pl.col("previous").is_not_null()
            & (pl.col("previous") >= pl.col("CINreferralDate").dt.offset_by("-12mo"))
        ).alias("re_referral")
    )
    dated = refs.join(yf, how="cross").filter(
        pl.col("CINreferralDate").is_between(pl.col("ystart"), pl.col("yend"))
    )
    # Referrals are counted per record in the deduplicated table; two on the same day count once here.
    agg = dated.group_by("collection_year").agg(
        pl.col("re_referral").sum().alias("numerator"), pl.len().alias("denominator")
    )
    out = (
        yf.select("collection_year")
        .join(agg, on="collection_year", how="left")
        .with_columns(
            pl.col("numerator").fill_null(0).cast(pl.Int64), pl.col("denominator").fill_null(0).cast(pl.Int64)
        )
        .sort("collection_year")
    )
    return Indicator("cin_re_referrals_within_12_months", IndicatorKind.PROPORTION, out, dataset="cin_census")


def cin_indicators(con: duckdb.DuckDBPyConnection) -> list[Indicator]:
    years = cin_years(con)
    if not years:
        return []
    yf = years_frame(years)
    details = _dedup(con, "cin_census_cindetails", "CINreferralDate", ["CINreferralDate", "CINclosureDate"])
    assessments = _dedup(
        con,
        "cin_census_assessments",
        "AssessmentActualStartDate",
        ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
    )
    s47 = _dedup(con, "cin_census_section47", "S47ActualStartDate", ["S47ActualStartDate"])
    cpp = _dedup(con, "cin_census_childprotectionplans", "CPPstartDate", ["CPPstartDate", "CPPendDate"])
    found = [
        _events(details, "CINreferralDate", yf, "cin_referrals", by_child=False),
        _rereferrals(details, yf),
        _open_at(details, "CINreferralDate", "CINclosureDate", yf, "cin_at_31_march"),
        _events(assessments, "AssessmentAuthorisationDate", yf, "cin_assessments_completed", by_child=False),
        _events(s47, "S47ActualStartDate", yf, "section47_enquiries", by_child=False),
        _events(cpp, "CPPstartDate", yf, "cpp_starting", by_child=False),
        _open_at(cpp, "CPPstartDate", "CPPendDate", yf, "cpp_at_31_march"),
    ]
    return [i for i in found if i is not None]
