"""Turn an episode history into model "pieces": time a child spent in one state, and what ended it.

Steps (each stated so the fitted rates can be checked by hand):

1. Drop short breaks (legal status V3/V4) and episodes without a DOB; keep only what was known at
   ``cutoff``: episodes starting after it are dropped, and a DEC after it is treated as still open.
2. Overlaps: an episode that is open or ends after the next episode's DECOM is cut at that DECOM.
3. Placement codes map to placement groups; a child's age band changes on the birthdays in
   ``age_breaks``, so an episode crossing one is split there (ageing becomes an observed move).
4. A piece runs from ``start`` (in care that day) to ``end`` (no longer in that state that day).  It
   ends in a *transition* when the child's next piece starts that day in another state, a
   *continuation* when it starts that day in the same state (e.g. U4 to U5, or a legal status change),
   an *exit* when nothing starts that day, or is *censored* when still open at ``cutoff``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from kinsight.forecast.states import StateSpace

EXIT = -1


@dataclass(frozen=True)
class Pieces:
    """One row per piece: CHILD, start, end, state, outcome (next state, EXIT, or None), censored, entry."""

    frame: pl.DataFrame
    space: StateSpace
    cutoff: date

    def stock_on(self, day: date) -> np.ndarray:
        """Children in each state at the end of ``day`` (in care when start <= day < end)."""
        if day > self.cutoff:
            raise ValueError("stock asked for after the data's cutoff")
        f = self.frame
        in_care = f.filter((pl.col("start") <= day) & (pl.col("censored") | (pl.col("end") > day)))
        counts = np.zeros(self.space.size, dtype=np.int64)
        states = in_care.get_column("state").to_numpy()
        np.add.at(counts, states, 1)
        return counts


def _age_at(dob: pl.Expr, day: pl.Expr) -> pl.Expr:
    before = (day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)) < (
        dob.dt.month().cast(pl.Int32) * 100 + dob.dt.day().cast(pl.Int32)
    )
    return day.dt.year().cast(pl.Int32) - dob.dt.year().cast(pl.Int32) - before.cast(pl.Int32)


def _same_child(column: pl.Expr, offset: int) -> pl.Expr:
    """``column`` from ``offset`` rows away if that row is the same child's, else null.

    The frame must be sorted by CHILD.  Why not ``shift(offset).over("CHILD")``: the window form
    groups the rows by child first, which made building the pieces of a 10-authority region (tens of
    thousands of children) take half a second; on a sorted frame a plain shift and a comparison of
    the neighbouring CHILD give the same values.
    """
    return pl.when(pl.col("CHILD").shift(offset).eq_missing(pl.col("CHILD"))).then(column.shift(offset))


def build_pieces(
    episodes: pl.DataFrame,
    *,
    group_of: Mapping[str, str],
    space: StateSpace,
    cutoff: date,
    short_break_legal_statuses: Sequence[str] = ("V3", "V4"),
) -> Pieces:
    """``episodes`` needs CHILD, DECOM, DEC, PLACE, LS, DOB (one row per episode, deduplicated)."""
    other = space.groups.index("Other") if "Other" in space.groups else len(space.groups) - 1
    group_idx = {code: space.groups.index(g) for code, g in group_of.items() if g in space.groups}
    eps = (
        episodes.select("CHILD", "DECOM", "DEC", "PLACE", "LS", "DOB")
        .filter(pl.col("DOB").is_not_null() & pl.col("DECOM").is_not_null() & (pl.col("DECOM") <= cutoff))
        .filter(pl.col("LS").is_null() | ~pl.col("LS").is_in(list(short_break_legal_statuses)))
        .with_columns(pl.when(pl.col("DEC") > cutoff).then(None).otherwise(pl.col("DEC")).alias("DEC"))
        .sort(["CHILD", "DECOM"])
    )
    next_decom = _same_child(pl.col("DECOM"), -1)
    eps = eps.with_columns(
        pl.when(next_decom.is_not_null() & (pl.col("DEC").is_null() | (pl.col("DEC") > next_decom)))
        .then(next_decom)
        .otherwise(pl.col("DEC"))
        .alias("DEC")
    )
    eps = eps.with_columns(
        pl.col("DEC").is_null().alias("censored"),
        pl.col("DEC").fill_null(cutoff).alias("end"),
        pl.col("DECOM").alias("start"),
        pl.col("PLACE").replace_strict(group_idx, default=other, return_dtype=pl.Int32).alias("group"),
    ).filter((pl.col("end") > pl.col("start")) | pl.col("censored"))
    eps = eps.select("CHILD", "DOB", "start", "end", "censored", "group")

    for years in space.age_breaks:
        bday = pl.col("DOB").dt.offset_by(f"{years}y")
        crosses = (pl.col("start") < bday) & (bday < pl.col("end"))
        crossing = eps.filter(crosses)
        if crossing.height:
            before = crossing.with_columns(bday.alias("end"), pl.lit(False).alias("censored"))
            after = crossing.with_columns(bday.alias("start"))
            eps = pl.concat([eps.filter(~crosses), before, after])
    band = pl.lit(0, dtype=pl.Int32)
    for years in space.age_breaks:
        band = band + (_age_at(pl.col("DOB"), pl.col("start")) >= years).cast(pl.Int32)
    eps = eps.with_columns((band * len(space.groups) + pl.col("group")).alias("state")).sort(
        ["CHILD", "start"]
    )

    nxt_start = _same_child(pl.col("start"), -1)
    nxt_state = _same_child(pl.col("state"), -1)
    prev_end = _same_child(pl.col("end"), 1)
    contiguous = (nxt_start == pl.col("end")).fill_null(False)
    eps = eps.with_columns(
        pl.when(pl.col("censored"))
        .then(None)
        .when(contiguous & (nxt_state != pl.col("state")))
        .then(nxt_state)
        .when(contiguous)
        .then(pl.lit(None, dtype=pl.Int32))
        .otherwise(pl.lit(EXIT, dtype=pl.Int32))
        .alias("outcome"),
        (prev_end.is_null() | (prev_end != pl.col("start"))).alias("entry"),
    )
    return Pieces(
        frame=eps.select("CHILD", "start", "end", "state", "outcome", "censored", "entry"),
        space=space,
        cutoff=cutoff,
    )
