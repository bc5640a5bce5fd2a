"""Pieces from episode histories: ageing splits, continuations, exits, censoring, exposure by hand."""

from __future__ import annotations

from datetime import date as d

import numpy as np
import polars as pl

from kinsight.forecast.model import fit
from kinsight.forecast.spells import EXIT, build_pieces
from kinsight.forecast.states import StateSpace

SPACE = StateSpace(("Fostering", "Residential", "Other"), (16,))
GROUPS = {"U4": "Fostering", "U5": "Fostering", "K2": "Residential"}


def _eps(rows):
    return pl.DataFrame(
        rows,
        schema={
            "CHILD": pl.String,
            "DECOM": pl.Date,
            "DEC": pl.Date,
            "PLACE": pl.String,
            "LS": pl.String,
            "DOB": pl.Date,
        },
        orient="row",
    )


def test_ageing_split_continuation_exit_and_short_breaks():
    episodes = _eps(
        [
            # A: U4 then U5 (same group: continuation), turns 16 on 2024-06-01 (ageing), leaves 2024-09-01
            ("A", d(2024, 1, 1), d(2024, 3, 1), "U4", "C2", d(2008, 6, 1)),
            ("A", d(2024, 3, 1), d(2024, 9, 1), "U5", "C2", d(2008, 6, 1)),
            # B: foster -> residential on 2024-05-01, still there at the cutoff
            ("B", d(2024, 2, 1), d(2024, 5, 1), "U4", "C2", d(2012, 1, 1)),
            ("B", d(2024, 5, 1), None, "K2", "C2", d(2012, 1, 1)),
            # C: a short break only: ignored
            ("C", d(2024, 2, 1), d(2024, 2, 3), "U4", "V3", d(2012, 1, 1)),
        ]
    )
    pieces = build_pieces(episodes, group_of=GROUPS, space=SPACE, cutoff=d(2025, 3, 31))
    f = pieces.frame.sort(["CHILD", "start"])
    a = f.filter(pl.col("CHILD") == "A")
    young_fost, old_fost = 0, 3
    assert a["state"].to_list() == [young_fost, young_fost, old_fost]
    assert a["outcome"].to_list() == [None, old_fost, EXIT]
    assert a["start"].to_list() == [d(2024, 1, 1), d(2024, 3, 1), d(2024, 6, 1)]
    b = f.filter(pl.col("CHILD") == "B")
    assert b["outcome"].to_list() == [1, None] and b["censored"].to_list() == [False, True]
    assert "C" not in f["CHILD"].to_list()

    rates = fit(pieces, d(2024, 1, 1), d(2025, 3, 31))
    # child-days young fostering: A 2024-01-01..2024-06-01 (152) + B 2024-02-01..2024-05-01 (90)
    assert rates.exposure[young_fost] == 152 + 90
    assert rates.moves[young_fost, old_fost] == 1 and rates.moves[young_fost, 1] == 1
    assert rates.exits[old_fost] == 1 and rates.exposure[old_fost] == 92
    assert rates.exposure[1] == (d(2025, 3, 31) - d(2024, 5, 1)).days
    assert np.isclose(rates.exit_rates[old_fost], 1 / 92)
    # entries count on (ref_start, ref_end]: A entered on the window's first day, so only B counts
    assert rates.entries.tolist() == [1, 0, 0, 0, 0, 0]
    assert fit(pieces, d(2023, 12, 31), d(2025, 3, 31)).entries.tolist() == [2, 0, 0, 0, 0, 0]


def test_stock_on_a_day_uses_the_in_care_rule():
    episodes = _eps(
        [
            ("A", d(2024, 1, 1), d(2024, 3, 31), "U4", "C2", d(2012, 1, 1)),
            ("B", d(2024, 3, 31), None, "K2", "C2", d(2012, 1, 1)),
        ]
    )
    pieces = build_pieces(episodes, group_of=GROUPS, space=SPACE, cutoff=d(2024, 12, 31))
    assert pieces.stock_on(d(2024, 3, 30)).tolist() == [1, 0, 0, 0, 0, 0]
    assert pieces.stock_on(d(2024, 3, 31)).tolist() == [0, 1, 0, 0, 0, 0]


def test_overlapping_episode_is_cut_at_the_next_start():
    episodes = _eps(
        [
            ("A", d(2024, 1, 1), None, "U4", "C2", d(2012, 1, 1)),  # left open by mistake
            ("A", d(2024, 2, 1), None, "K2", "C2", d(2012, 1, 1)),
        ]
    )
    pieces = build_pieces(episodes, group_of=GROUPS, space=SPACE, cutoff=d(2024, 12, 31))
    assert pieces.stock_on(d(2024, 6, 1)).sum() == 1
    assert pieces.frame.sort("start")["outcome"].to_list() == [1, None]
