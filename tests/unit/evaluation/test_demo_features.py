"""Demonstration model: placements, outcomes and features from small hand-made typed tables."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from kinsight.evaluation.demo import feature_matrix, placements, scores, split_by_time, train
from kinsight.evaluation.explain import contributions, explain_rows

from .synthetic_903 import make_903


def _hand_tables() -> tuple[pl.DataFrame, pl.DataFrame]:
    header = pl.DataFrame(
        {
            "CHILD": ["A", "B"],
            "SEX": ["1", "2"],
            "ETHNIC": ["WBRI", "BAFR"],
            "DOB": [date(2010, 6, 1), date(2012, 1, 1)],
        }
    )
    rows = [
        # child A: placement 1 (L change inside it) ends after 100 days: carer asked, unplanned
        ("A", date(2023, 1, 1), "S", "U4", date(2023, 2, 1), "X1", None),
        ("A", date(2023, 2, 1), "L", "U4", date(2023, 4, 11), "X1", "CREQB"),
        # placement 2 ends after 300 days (too late to count)
        ("A", date(2023, 4, 11), "P", "K2", date(2024, 2, 5), "X1", "CREQB"),
        # placement 3 still open, started long before the end of data: outcome 0
        ("A", date(2024, 2, 5), "P", "U4", None, None, None),
        # child B: ends after 50 days by plan (CARPL): outcome 0; then leaves care within 30 days: outcome 0
        ("B", date(2024, 1, 1), "S", "U1", date(2024, 2, 20), "X1", "CARPL"),
        ("B", date(2024, 2, 20), "P", "U1", date(2024, 3, 20), "E11", None),
        # B again, recent open placement: outcome unknown
        ("B", date(2025, 3, 1), "S", "U1", None, None, None),
    ]
    episodes = pl.DataFrame(
        rows, schema=["CHILD", "DECOM", "RNE", "PLACE", "DEC", "REC", "REASON_PLACE_CHANGE"], orient="row"
    ).with_columns(pl.lit("C2").alias("LS"), pl.lit("N1").alias("CIN"), pl.lit("PR1").alias("PLACE_PROVIDER"))
    return header, episodes


def test_placements_outcomes_and_history_features() -> None:
    header, episodes = _hand_tables()
    frame = placements(episodes, header)
    assert frame["CHILD"].to_list() == ["A", "A", "A", "B", "B", "B"]
    assert frame["outcome"].to_list() == [1, 0, 0, 0, 0, None]
    assert frame["previous_placements"].to_list() == [0, 1, 2, 0, 1, 2]
    assert frame["previous_unplanned_moves"].to_list() == [0, 1, 1, 0, 0, 0]
    assert frame["days_in_care_before"].to_list() == [0, 100, 400, 0, 50, 425]
    assert frame["end"][0] == date(2023, 4, 11)  # the L episode does not end the placement
    assert frame["age_at_start"][0] == pytest.approx((date(2023, 1, 1) - date(2010, 6, 1)).days / 365.25)


def test_ebm_contributions_are_exact_and_explanations_hide_the_score_by_default() -> None:
    header, episodes = make_903(250, seed=1)
    frame = placements(episodes, header)
    split = split_by_time(frame, 0.3)
    assert split.train["start"].max() < split.test["start"].min()
    model = train(split.train, seed=0)
    x = feature_matrix(split.test)
    terms, intercept = contributions(model, x)
    logit = intercept + terms.sum(axis=1)
    assert np.allclose(1 / (1 + np.exp(-logit)), scores(model, split.test))
    rows = explain_rows(model, x.head(3), {"place": "Placement type"}, top=2)
    assert all("score" not in r for r in rows)
    first = rows[0]["factors"][0]
    assert ("more likely" in first["words"]) == (first["contribution"] > 0)
    with_score = explain_rows(model, x.head(1), {}, show_score=True)
    assert with_score[0]["score"] == pytest.approx(scores(model, split.test)[0])
