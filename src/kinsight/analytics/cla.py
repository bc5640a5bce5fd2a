"""Children looked after indicators from the 903 history, by the DfE's published methodology.

Rules (stated once, tested against hand-worked cases):

* Short breaks are excluded everywhere: episodes with legal status V3 or V4 are dropped first, so a
  child whose only episodes are short breaks is never counted.
* Looked after on day d: an episode with DECOM <= d and (DEC missing or DEC > d).  An episode that
  ends on 31 March does not count at 31 March; one starting that day does.  Children, not episodes,
  are counted; a child's characteristics are those of the latest episode open on the day.
* Starts in the year: children with an episode with RNE = S starting in the year, counted once;
  breakdowns describe the first such episode (age on its DECOM).
* Ceased in the year: children with an episode ending in the year with a REC other than X1, counted
  once; breakdowns describe the last such episode (age on its DEC).
* Three or more placements: children looked after at 31 March with 3+ placements during the year.  The
  first placement in the year counts, then each episode with RNE S, P, B, T or U.  Temporary
  placements (T0-T4) do not count, nor does a return to the same placement (PLACE, provider and URN)
  straight after a temporary one.
* Long-term stability: children under 16 at 31 March, looked after continuously for 2.5 years or
  more, who have been in the same placement for 2 years or more or are placed for adoption.
"""

from __future__ import annotations

import polars as pl

from kinsight.analytics.episodes import EpisodeHistory, age_at, with_periods
from kinsight.analytics.exprs import add_months, age_band, group_of, sex_label, years_frame
from kinsight.analytics.groupings import Groupings
from kinsight.analytics.result import Indicator, IndicatorKind


def _prepare(history: EpisodeHistory, groupings: Groupings) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(all care episodes incl. temporary, settled episodes with ``new_placement``)."""
    eps = history.episodes.filter(
        pl.col("LS").is_null() | ~pl.col("LS").is_in(list(groupings.short_break_legal_statuses))
    )
    eps = with_periods(eps)
    temporary = pl.col("PLACE").is_in(list(groupings.temporary_placements)).fill_null(False)
    eps = eps.with_columns(temporary.alias("temporary"))
    eps = eps.with_columns(
        pl.col("temporary").shift(1).over("CHILD").fill_null(False).alias("after_temporary")
    )
    settled = eps.filter(~pl.col("temporary")).sort(["CHILD", "DECOM"])
    prev = {c: pl.col(c).shift(1).over("CHILD") for c in ("PLACE", "PLACE_PROVIDER", "URN", "period")}
    same_as_before = (
        pl.col("PLACE").eq_missing(prev["PLACE"])
        & pl.col("PLACE_PROVIDER").eq_missing(prev["PLACE_PROVIDER"])
        & pl.col("URN").eq_missing(prev["URN"])
    )
    first_in_period = prev["period"].is_null() | (prev["period"] != pl.col("period"))
    is_new_reason = pl.col("RNE").is_in(list(groupings.new_placement_reasons)).fill_null(False)
    settled = settled.with_columns(
        (first_in_period | (is_new_reason & ~(pl.col("after_temporary") & same_as_before))).alias(
            "new_placement"
        )
    )
    return eps, settled


def _describe(frame: pl.DataFrame, day: str, groupings: Groupings) -> pl.DataFrame:
    """Add the breakdown columns for records described on date column ``day``."""
    age = age_at(pl.col("DOB"), pl.col(day))
    uasc = pl.when(pl.col("uasc_until").is_not_null() & (pl.col("uasc_until") > pl.col(day)))
    return frame.with_columns(
        age_band(age, groupings).alias("age_band"),
        sex_label().alias("sex"),
        group_of("ETHNIC", groupings.ethnicity_group_of).alias("ethnicity"),
        group_of("LS", groupings.legal_status_group_of).alias("legal_status"),
        group_of("PLACE", groupings.placement_group_of).alias("placement"),
        pl.col("CIN").fill_null("Not recorded").alias("category_of_need"),
        uasc.then(pl.lit("UASC")).otherwise(pl.lit("Not UASC")).alias("uasc"),
        group_of("REC", groupings.reason_group_of, unknown="Other reason").alias("reason"),
    )


def _count(frame: pl.DataFrame, years: pl.DataFrame, name: str) -> Indicator:
    counts = frame.group_by("collection_year").agg(pl.col("CHILD").n_unique().alias("value"))
    out = (
        years.select("collection_year")
        .join(counts, on="collection_year", how="left")
        .with_columns(pl.col("value").fill_null(0).cast(pl.Int64))
    )
    return Indicator(name, IndicatorKind.COUNT, out.sort("collection_year"))


def _breakdown(frame: pl.DataFrame, by: str, name: str) -> Indicator:
    out = (
        frame.group_by(["collection_year", by])
        .agg(pl.col("CHILD").n_unique().alias("value"))
        .rename({by: "group"})
        .with_columns(pl.col("value").cast(pl.Int64))
        .sort(["collection_year", "group"])
    )
    return Indicator(name, IndicatorKind.BREAKDOWN, out)


def at_31_march(eps: pl.DataFrame, years: pl.DataFrame) -> pl.DataFrame:
    """One row per child looked after at each 31 March: their latest episode open that day."""
    return (
        eps.join(years, how="cross")
        .filter((pl.col("DECOM") <= pl.col("yend")) & (pl.col("end_eff") > pl.col("yend")))
        .sort(["CHILD", "collection_year", "DECOM"])
        .group_by(["CHILD", "collection_year"], maintain_order=True)
        .last()
    )


BREAKDOWNS_AT_31_MARCH = (
    "age_band",
    "sex",
    "ethnicity",
    "legal_status",
    "placement",
    "category_of_need",
    "uasc",
)
BREAKDOWNS_STARTS = ("age_band", "sex", "ethnicity", "legal_status", "placement", "category_of_need", "uasc")
BREAKDOWNS_CEASED = ("reason", "age_band", "sex", "uasc")


def cla_indicators(history: EpisodeHistory, groupings: Groupings) -> list[Indicator]:
    """Every children-looked-after indicator for every year held."""
    years = years_frame(history.years)
    eps, settled = _prepare(history, groupings)
    out: list[Indicator] = []

    at31 = _describe(at_31_march(eps, years), "yend", groupings)
    out.append(_count(at31, years, "cla_at_31_march"))
    out += [_breakdown(at31, b, f"cla_by_{b}") for b in BREAKDOWNS_AT_31_MARCH]

    starts = (
        eps.filter(pl.col("RNE") == "S")
        .join(years, how="cross")
        .filter(pl.col("DECOM").is_between(pl.col("ystart"), pl.col("yend")))
        .sort(["CHILD", "collection_year", "DECOM"])
        .group_by(["CHILD", "collection_year"], maintain_order=True)
        .first()
    )
    starts = _describe(starts, "DECOM", groupings)
    out.append(_count(starts, years, "starts"))
    out += [_breakdown(starts, b, f"starts_by_{b}") for b in BREAKDOWNS_STARTS]

    ceased = (
        eps.filter(pl.col("DEC").is_not_null() & pl.col("REC").is_not_null() & (pl.col("REC") != "X1"))
        .join(years, how="cross")
        .filter(pl.col("DEC").is_between(pl.col("ystart"), pl.col("yend")))
        .sort(["CHILD", "collection_year", "DEC"])
        .group_by(["CHILD", "collection_year"], maintain_order=True)
        .last()
    )
    ceased = _describe(ceased, "DEC", groupings)
    out.append(_count(ceased, years, "ceased"))
    out += [_breakdown(ceased, b, f"ceased_by_{b}") for b in BREAKDOWNS_CEASED]

    out.append(_three_or_more(settled, at31, years))
    out.append(_long_term(settled, at31, years, groupings))
    out.append(_duration_ceased(ceased))
    return out


def _three_or_more(settled: pl.DataFrame, at31: pl.DataFrame, years: pl.DataFrame) -> Indicator:
    in_year = (
        settled.join(years, how="cross")
        .filter((pl.col("DECOM") <= pl.col("yend")) & (pl.col("end_eff") > pl.col("ystart")))
        .sort(["CHILD", "collection_year", "DECOM"])
    )
    first = pl.col("DECOM") == pl.col("DECOM").min().over(["CHILD", "collection_year"])
    placements = (
        in_year.with_columns((first | pl.col("new_placement")).cast(pl.Int32).alias("counts"))
        .group_by(["CHILD", "collection_year"])
        .agg(pl.col("counts").sum().alias("placements"))
    )
    joined = at31.select("CHILD", "collection_year").join(
        placements, on=["CHILD", "collection_year"], how="left"
    )
    agg = joined.group_by("collection_year").agg(
        (pl.col("placements").fill_null(0) >= 3).sum().alias("numerator"), pl.len().alias("denominator")
    )
    frame = _fill_years(agg, years, ["numerator", "denominator"])
    return Indicator("placement_stability_3_or_more", IndicatorKind.PROPORTION, frame)


def _long_term(
    settled: pl.DataFrame, at31: pl.DataFrame, years: pl.DataFrame, groupings: Groupings
) -> Indicator:
    cutoffs = years.with_columns(
        pl.col("yend").map_elements(lambda d: add_months(d, -30), return_dtype=pl.Date).alias("care_cutoff"),
        pl.col("yend")
        .map_elements(lambda d: add_months(d, -24), return_dtype=pl.Date)
        .alias("placement_cutoff"),
    ).select("collection_year", "care_cutoff", "placement_cutoff")
    eligible = at31.join(cutoffs, on="collection_year").filter(
        (age_at(pl.col("DOB"), pl.col("yend")) < 16) & (pl.col("period_start") <= pl.col("care_cutoff"))
    )
    placement_starts = (
        settled.filter(pl.col("new_placement"))
        .join(years.select("collection_year", "yend"), how="cross")
        .filter(pl.col("DECOM") <= pl.col("yend"))
        .group_by(["CHILD", "collection_year"])
        .agg(pl.col("DECOM").max().alias("placement_start"))
    )
    eligible = eligible.join(placement_starts, on=["CHILD", "collection_year"], how="left")
    stable = (pl.col("placement_start") <= pl.col("placement_cutoff")).fill_null(False) | pl.col(
        "PLACE"
    ).is_in(list(groupings.adoption_placements)).fill_null(False)
    agg = eligible.group_by("collection_year").agg(
        stable.sum().alias("numerator"), pl.len().alias("denominator")
    )
    frame = _fill_years(agg, years, ["numerator", "denominator"])
    return Indicator("long_term_stability", IndicatorKind.PROPORTION, frame)


def _duration_ceased(ceased: pl.DataFrame) -> Indicator:
    """Length of the period of care that ended, for children ceasing (days, last cessation in the year)."""
    days = (pl.col("DEC") - pl.col("period_start")).dt.total_days()
    frame = (
        ceased.group_by("collection_year")
        .agg(
            pl.len().alias("children"),
            days.median().alias("median_days"),
            days.mean().round(1).alias("mean_days"),
        )
        .sort("collection_year")
    )
    return Indicator("duration_of_care_ceased", IndicatorKind.SUMMARY, frame)


def _fill_years(frame: pl.DataFrame, years: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    return (
        years.select("collection_year")
        .join(frame, on="collection_year", how="left")
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in cols])
        .sort("collection_year")
    )
