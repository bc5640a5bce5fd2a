"""Shortcuts taken for speed give exactly what the plain forms give.

* ``_same_child`` (a shift checked against the neighbouring CHILD) equals ``shift().over("CHILD")``;
* a backtest handed the forecast's own pieces equals one that builds them itself.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from world import GROUP_OF, simulate_world

from kinsight.forecast.backtest import run_backtest
from kinsight.forecast.spells import _same_child, build_pieces
from kinsight.forecast.states import StateSpace

SPACE = StateSpace(("Fostering", "Residential"), ())


@settings(max_examples=60, deadline=None)
@given(
    children=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c"])), max_size=25),
    offset=st.sampled_from([-2, -1, 1, 2]),
)
def test_same_child_shift_equals_the_window_shift(children: list[str | None], offset: int) -> None:
    frame = pl.DataFrame(
        {"CHILD": children, "v": list(range(len(children)))}, schema={"CHILD": pl.String, "v": pl.Int64}
    )
    frame = frame.sort("CHILD", maintain_order=True)
    got = frame.select(_same_child(pl.col("v"), offset).alias("x"))["x"]
    want = frame.select(pl.col("v").shift(offset).over("CHILD").alias("x"))["x"]
    assert got.to_list() == want.to_list()


def test_backtest_reusing_the_forecast_pieces_is_unchanged() -> None:
    rng = np.random.default_rng(11)
    entry, move, exit_ = np.array([0.1, 0.03]), np.array([[0, 0.001], [0.003, 0]]), np.array([0.002, 0.003])
    start, end = date(2016, 4, 1), date(2025, 3, 31)
    episodes = simulate_world(rng, entry=entry, move=move, exit_=exit_, start=start, end=end)
    kw = {"group_of": GROUP_OF, "space": SPACE, "at": date(2024, 3, 31), "months": 12}
    plain = run_backtest(episodes, data_start=start, data_end=end, **kw)
    pieces = build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=end)
    assert run_backtest(episodes, data_start=start, data_end=end, full_pieces=pieces, **kw) == plain
    other = build_pieces(episodes, group_of=GROUP_OF, space=SPACE, cutoff=date(2024, 12, 31))
    assert run_backtest(episodes, data_start=start, data_end=end, full_pieces=other, **kw) == plain
