"""One episode history per child, built from every 903 return held.

Each year's return repeats the episodes that were open on 1 April, so the same episode appears in
several returns, open in the earlier ones and closed in a later one.  We keep one row per
(CHILD, DECOM): the version from the latest collection year, which knows the most.  Child
characteristics come from the latest header row for the child, except that a date of birth left
blank there is taken from the latest return that gave one (a date of birth does not change, and
without it the forecast cannot place the child in an age band); UASC status from the UASC table.

``end_eff`` is the day the child stopped being looked after under the episode, for counting: DEC
when known, otherwise the day after the 31 March of the last return that held the episode (an open
episode is open at the end of that return and unknown after it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from kinsight.analytics.store import column_or_null, columns, query_frame, table_exists
from kinsight.domain.years import year_end
from kinsight.errors import UsageError

EPISODE_FIELDS = ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE", "URN")


@dataclass(frozen=True)
class EpisodeHistory:
    """Deduplicated episodes joined to child characteristics, and the collection years they came from."""

    episodes: pl.DataFrame
    years: tuple[str, ...]

    @property
    def data_end(self) -> date:
        """31 March of the latest collection year held: nothing is known after it."""
        return year_end(self.years[-1])


def _year_end_sql(column: str) -> str:
    return f"make_date(CAST(substr({column}, 1, 4) AS INTEGER) + 1, 3, 31)"


def load_history(con: duckdb.DuckDBPyConnection) -> EpisodeHistory:
    """Read ``ssda903_episodes`` (+ header, uasc) and build the history; refuse if no episodes are held."""
    if not table_exists(con, "ssda903_episodes"):
        raise UsageError(
            "no SSDA903 episodes are held in the store",
            hint="Load 903 returns first: kinsight ingest FOLDER (or kinsight synth then ingest).",
        )
    present = columns(con, "ssda903_episodes")
    fields = ", ".join(column_or_null(present, f) for f in EPISODE_FIELDS)
    order_row = ", _row DESC" if "_ROW" in present else ""
    header_join = ""
    header_cols = "CAST(NULL AS DATE) AS DOB, CAST(NULL AS VARCHAR) AS SEX, CAST(NULL AS VARCHAR) AS ETHNIC"
    if table_exists(con, "ssda903_header"):
        hpresent = columns(con, "ssda903_header")
        horder = ", _row DESC" if "_ROW" in hpresent else ""
        header_join = f"""
        LEFT JOIN (
            SELECT CHILD, DOB, CAST(SEX AS VARCHAR) AS SEX, {column_or_null(hpresent, "ETHNIC")}
            FROM (SELECT * REPLACE (first_value(DOB IGNORE NULLS) OVER latest AS DOB),
                         row_number() OVER latest AS rn
                  FROM ssda903_header WHERE CHILD IS NOT NULL
                  WINDOW latest AS (PARTITION BY CHILD ORDER BY collection_year DESC{horder}
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
            WHERE rn = 1
        ) h USING (CHILD)"""
        header_cols = "h.DOB, h.SEX, h.ETHNIC"
    uasc_join = ""
    uasc_col = "CAST(NULL AS DATE) AS uasc_until"
    if table_exists(con, "ssda903_uasc"):
        uasc_join = """
        LEFT JOIN (
            SELECT CHILD, max(coalesce(DUC, DATE '9999-12-31')) AS uasc_until
            FROM ssda903_uasc WHERE CHILD IS NOT NULL GROUP BY CHILD
        ) u USING (CHILD)"""
        uasc_col = "u.uasc_until"
    query = f"""
        WITH ranked AS (
            SELECT CAST(CHILD AS VARCHAR) AS CHILD, DECOM, DEC, {fields}, collection_year,
                   row_number() OVER (
                       PARTITION BY CHILD, DECOM ORDER BY collection_year DESC{order_row}
                   ) AS rn
            FROM ssda903_episodes
            WHERE CHILD IS NOT NULL AND DECOM IS NOT NULL
        )
        SELECT e.CHILD, e.DECOM, e.DEC, {", ".join("e." + f for f in EPISODE_FIELDS)},
               e.collection_year AS last_year,
               coalesce(e.DEC, {_year_end_sql("e.collection_year")} + INTERVAL 1 DAY)::DATE AS end_eff,
               {header_cols}, {uasc_col}
        FROM ranked e {header_join} {uasc_join}
        WHERE e.rn = 1
    """
    frame = query_frame(con, query).sort(["CHILD", "DECOM"])
    years = tuple(
        r[0] for r in con.sql("SELECT DISTINCT collection_year FROM ssda903_episodes ORDER BY 1").fetchall()
    )
    if not years:
        raise UsageError("the SSDA903 episodes table is empty", hint="Load at least one 903 return.")
    return EpisodeHistory(episodes=frame, years=years)


def age_at(dob: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Age in completed years on ``day`` (a birthday counts on the day itself)."""
    before_birthday = (day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)) < (
        dob.dt.month().cast(pl.Int32) * 100 + dob.dt.day().cast(pl.Int32)
    )
    return day.dt.year().cast(pl.Int32) - dob.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)


def with_periods(episodes: pl.DataFrame) -> pl.DataFrame:
    """Number the periods of care: an episode starts a new period unless it begins the day the last one ended.

    Adds ``period`` (per child, from 1) and ``period_start`` (DECOM of the period's first episode).
    Short-break episodes should be removed before calling, as the DfE does.
    """
    frame = episodes.sort(["CHILD", "DECOM"])
    prev_end = pl.col("end_eff").shift(1).over("CHILD")
    new_period = prev_end.is_null() | (prev_end != pl.col("DECOM"))
    frame = frame.with_columns(new_period.cast(pl.Int32).cum_sum().over("CHILD").alias("period"))
    return frame.with_columns(pl.col("DECOM").min().over(["CHILD", "period"]).alias("period_start"))
