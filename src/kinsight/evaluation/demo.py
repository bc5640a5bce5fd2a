"""The demonstration model: will a placement end in an unplanned move within six months?

Built from SSDA903 episodes so every evaluation page has something true to show on the synthetic
authority.  It is a demonstration of the safeguards (per-group accuracy, suppression, explanations,
thresholds, human oversight), not a recommendation to predict about children.

A *placement* is a run of episodes for one child that starts with an episode whose RNE says the placement
changed (S, P, T, B, U) and continues through legal-status-only changes (L).  It ends with the last episode
of the run.  The outcome is 1 when it ended within ``horizon_days`` of its start, the child stayed looked
after (REC X1), and the recorded reason for the change was not a planned one.  Placements that started
less than ``horizon_days`` before the end of the data and are still open have no known outcome and are
left out.  Features use only what was known on the day the placement started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import NotFoundError

DATA_FILE = Path(__file__).parent / "data" / "demo_model.yaml"
CATEGORICAL = ("place", "place_provider", "legal_status", "category_of_need")
NUMERIC = ("age_at_start", "previous_placements", "days_in_care_before", "previous_unplanned_moves")


class DemoConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    horizon_days: int
    new_placement_rne: list[str]
    still_in_care_rec: list[str]
    planned_reasons: list[str]
    test_share: float
    features: dict[str, str]
    groups: list[str]
    thresholds: dict[str, Any]


@cache
def demo_config() -> DemoConfig:
    return DemoConfig.model_validate(read_yaml(DATA_FILE))


def _latest_episodes(episodes: pl.DataFrame) -> pl.DataFrame:
    """One row per episode: an episode open across years appears in each year's return; keep the latest."""
    frame = episodes
    if "collection_year" in frame.columns:
        frame = frame.sort(["CHILD", "DECOM", "collection_year"], descending=[False, False, True])
    return frame.unique(subset=["CHILD", "DECOM"], keep="first", maintain_order=True).sort(["CHILD", "DECOM"])


def placements(
    episodes: pl.DataFrame, header: pl.DataFrame, config: DemoConfig | None = None
) -> pl.DataFrame:
    """One row per placement with features known at its start, its end, and the outcome (null if unknown)."""
    config = config or demo_config()
    eps = _latest_episodes(episodes).with_columns(
        pl.col("RNE").cast(pl.String).str.strip_chars().str.to_uppercase().alias("RNE"),
    )
    for column in ("REASON_PLACE_CHANGE", "PLACE_PROVIDER", "LS", "CIN", "PLACE", "REC"):
        if column not in eps.columns:
            eps = eps.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    first_in_child = pl.col("CHILD") != pl.col("CHILD").shift(1)
    eps = eps.with_columns(
        (first_in_child.fill_null(True) | pl.col("RNE").is_in(config.new_placement_rne)).alias("_starts")
    ).with_columns(pl.col("_starts").cast(pl.Int32).cum_sum().alias("_placement"))
    per = (
        eps.group_by("_placement")
        .agg(
            pl.col("CHILD").first(),
            pl.col("DECOM").first().alias("start"),
            pl.col("PLACE").first().alias("place"),
            pl.col("PLACE_PROVIDER").first().alias("place_provider"),
            pl.col("LS").first().alias("legal_status"),
            pl.col("CIN").first().alias("category_of_need"),
            pl.col("DEC").last().alias("end"),
            pl.col("REC").last().alias("end_rec"),
            pl.col("REASON_PLACE_CHANGE").last().alias("end_reason"),
        )
        .sort("_placement")
    )
    data_end = max(d for d in (eps["DECOM"].max(), eps["DEC"].max()) if d is not None)
    horizon = timedelta(days=config.horizon_days)
    moved = pl.col("end_rec").cast(pl.String).str.strip_chars().is_in(config.still_in_care_rec)
    planned = pl.col("end_reason").cast(pl.String).str.strip_chars().is_in(config.planned_reasons)
    ended_in_time = pl.col("end").is_not_null() & (pl.col("end") - pl.col("start") <= horizon)
    unplanned_move = (ended_in_time & moved & ~planned.fill_null(False)).fill_null(False)
    known = pl.col("end").is_not_null() | (pl.lit(data_end) - pl.col("start") >= horizon)
    per = per.with_columns(
        pl.when(known).then(unplanned_move.cast(pl.Int32)).otherwise(None).alias("outcome"),
        unplanned_move.alias("_unplanned"),
    )
    first_start = pl.col("start").min().over("CHILD")
    per = per.with_columns(
        (pl.col("_placement").rank("ordinal").over("CHILD") - 1).cast(pl.Int32).alias("previous_placements"),
        (pl.col("start") - first_start).dt.total_days().alias("days_in_care_before"),
        # earlier placements that ended (unplanned) on or before this one started
        (
            pl.col("_unplanned").cast(pl.Int32).cum_sum().over("CHILD") - pl.col("_unplanned").cast(pl.Int32)
        ).alias("previous_unplanned_moves"),
    )
    head = (
        header.select(
            pl.col("CHILD"), pl.col("DOB"), *[pl.col(c) for c in ("SEX", "ETHNIC") if c in header.columns]
        )
        .unique(subset=["CHILD"], keep="first")
        .sort("CHILD")
    )
    per = per.join(head, on="CHILD", how="left")
    age = (pl.col("start") - pl.col("DOB")).dt.total_days() / 365.25
    per = per.with_columns(age.alias("age_at_start")).drop("_unplanned")
    return per.sort(["CHILD", "start"])


@dataclass(frozen=True)
class DemoSplit:
    train: pl.DataFrame
    test: pl.DataFrame
    cutoff: date


def split_by_time(frame: pl.DataFrame, test_share: float) -> DemoSplit:
    """Train on earlier placements, test on the latest ``test_share`` of starts (as a model would be used)."""
    known = frame.filter(pl.col("outcome").is_not_null()).sort(["start", "CHILD"])
    if known.height < 20:
        raise NotFoundError(
            "too few placements with a known outcome to train the demonstration model",
            hint="Load more synthetic data (kinsight synth DIR --children 2000), then ingest it.",
        )
    cutoff = known["start"][int(known.height * (1 - test_share))]
    return DemoSplit(known.filter(pl.col("start") < cutoff), known.filter(pl.col("start") >= cutoff), cutoff)


def feature_matrix(frame: pl.DataFrame) -> Any:
    """Features as a pandas frame (categoricals as strings, blanks as 'not recorded') for the EBM."""
    table = frame.select(
        *[pl.col(c).cast(pl.String).fill_null("not recorded").alias(c) for c in CATEGORICAL],
        *[pl.col(c).cast(pl.Float64).alias(c) for c in NUMERIC],
    )
    return table.to_pandas()


def train(train_frame: pl.DataFrame, *, seed: int = 0) -> Any:
    """Fit an explainable boosting machine (exact additive contributions, no interactions)."""
    from interpret.glassbox import ExplainableBoostingClassifier

    model = ExplainableBoostingClassifier(
        interactions=0,
        outer_bags=4,
        max_rounds=2000,
        random_state=seed,
        n_jobs=1,
        feature_names=list(CATEGORICAL + NUMERIC),
    )
    model.fit(feature_matrix(train_frame), train_frame["outcome"].to_numpy())
    return model


def scores(model: Any, frame: pl.DataFrame) -> np.ndarray:
    return np.asarray(model.predict_proba(feature_matrix(frame)))[:, 1]
