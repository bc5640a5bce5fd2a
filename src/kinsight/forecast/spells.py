"""Turn an episode history into model "pieces": time a child spent in one state, and what ended it.

Steps (each stated so the fitted rates can be checked by hand):

1. Drop short breaks (legal status V3/V4); keep only what was known at ``cutoff``: episodes starting
   after it are dropped, and a DEC after it is treated as still open.
2. How an episode ends.  With a DEC: on that day.  Without one, the history's ``end_eff`` decides:
   an episode last reported open in a return before the latest one *vanished* (the next return did
   not repeat it, e.g. the DECOM was corrected or the episode was withdrawn); the authority no longer
   states that the child is in care under it, so it stops counting at ``end_eff`` (the day after the
   31 March of the last return holding it), exactly as the indicators do.  That ending is censored,
   not an exit: nobody recorded the child leaving.  An episode still open at ``cutoff`` is *open*.
3. Overlaps: on each day the child is in the state of the latest-starting episode in force that day
   (the indicators' rule for describing a child), so an earlier episode resumes if a later one ends
   first.  A child's in-care days are therefore exactly the indicators' ones.
4. Placement codes map to placement groups; a child's age band changes on the birthdays in
   ``age_breaks``, so a piece crossing one is split there (ageing becomes an observed move).
5. A piece runs from ``start`` (in care that day) to ``end`` (no longer in that state that day).  It
   ends in a *transition* when the child's next piece starts that day in another state, a
   *continuation* when it starts that day in the same state (e.g. U4 to U5, or a legal status change),
   an *exit* when nothing starts that day, or is *censored* when still open at ``cutoff`` (``open``)
   or vanished with nothing following.

Children without a date of birth cannot be given an age band, so their pieces stay out of the fitted
rates; they are still children in care, so ``stock_on`` counts them, in the age band most common
that day among the children of their placement group (see ``Pieces.stock_on``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from kinsight.forecast.states import StateSpace

EXIT = -1

# How a resolved piece ends (column ``kind`` while building).
_DEC, _VANISHED, _OPEN, _CUT = 0, 1, 2, 3


@dataclass(frozen=True)
class Pieces:
    """Pieces of children with a date of birth, and the in-care spans of those without one.

    ``frame``: one row per piece: CHILD, start, end, state, outcome (next state, EXIT, or None),
    censored, entry, open (still in care at ``cutoff``; ``end`` is then ``cutoff``).
    ``undated``: CHILD, start, end, group, open for children with no date of birth.
    """

    frame: pl.DataFrame
    space: StateSpace
    cutoff: date
    undated: pl.DataFrame | None = None

    def stock_on(self, day: date) -> np.ndarray:
        """Children in each state at the end of ``day`` (in care when start <= day < end, or open).

        A child without a date of birth is counted in the age band holding most children of the same
        placement group that day (the lowest such band on a tie; the band most common over all groups
        when the group is empty), so the total equals the number of children in care.
        """
        if day > self.cutoff:
            raise ValueError("stock asked for after the data's cutoff")
        counts = np.zeros(self.space.size, dtype=np.int64)
        np.add.at(counts, _in_care(self.frame, day).get_column("state").to_numpy(), 1)
        if self.undated is None or self.undated.height == 0:
            return counts
        groups = _in_care(self.undated, day).get_column("group").to_numpy()
        if groups.size == 0:
            return counts
        n_groups = len(self.space.groups)
        by_band = counts.reshape(-1, n_groups)  # (bands, groups)
        overall = int(np.argmax(by_band.sum(axis=1)))
        imputed = counts.copy()
        for group in groups:
            column = by_band[:, group]
            band = int(np.argmax(column)) if column.any() else overall
            imputed[band * n_groups + group] += 1
        return imputed

    def undated_on(self, day: date) -> int:
        """Children in care on ``day`` whose age band was assigned for want of a date of birth."""
        if self.undated is None:
            return 0
        return _in_care(self.undated, day).get_column("CHILD").n_unique()


def _in_care(frame: pl.DataFrame, day: date) -> pl.DataFrame:
    return frame.filter((pl.col("start") <= day) & (pl.col("open") | (pl.col("end") > day)))


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


def _episode_ends(episodes: pl.DataFrame, cutoff: date, short_breaks: Sequence[str]) -> pl.DataFrame:
    """Care episodes known at ``cutoff`` with ``end_x`` (first day not in care under it) and ``kind``.

    An open episode gets ``end_x`` = the day after ``cutoff`` (in care through the cutoff).
    """
    after = cutoff + timedelta(days=1)
    eff = pl.col("end_eff") if "end_eff" in episodes.columns else pl.lit(None, dtype=pl.Date)
    eps = (
        episodes.select("CHILD", "DECOM", "DEC", "PLACE", "LS", "DOB", eff.alias("end_eff"))
        .filter(pl.col("DECOM").is_not_null() & (pl.col("DECOM") <= cutoff))
        .filter(pl.col("LS").is_null() | ~pl.col("LS").is_in(list(short_breaks)))
    )
    dec_known = pl.col("DEC").is_not_null() & (pl.col("DEC") <= cutoff)
    vanished = ~dec_known & pl.col("end_eff").is_not_null() & (pl.col("end_eff") <= cutoff)
    return eps.with_columns(
        pl.when(dec_known)
        .then(pl.col("DEC"))
        .when(vanished)
        .then(pl.col("end_eff"))
        .otherwise(pl.lit(after))
        .alias("end_x"),
        pl.when(dec_known)
        .then(pl.lit(_DEC))
        .when(vanished)
        .then(pl.lit(_VANISHED))
        .otherwise(pl.lit(_OPEN))
        .cast(pl.Int8)
        .alias("kind"),
    ).filter(pl.col("end_x") > pl.col("DECOM"))


def _resolve_overlaps(eps: pl.DataFrame) -> pl.DataFrame:
    """One row per stretch of care in one episode: on each day, the latest-starting episode in force.

    Every DECOM and end of a child's episodes cuts time into segments; each segment takes the
    covering episode with the latest DECOM; neighbouring segments of the same episode are merged.
    """
    eps = eps.sort(["CHILD", "DECOM"])
    # Most children have no overlap at all; only the others need the segment work below.
    overlaps = (_same_child(pl.col("DECOM"), -1) < pl.col("end_x")).fill_null(False)
    tangled_children = eps.filter(overlaps).select("CHILD").unique()
    tangled = eps.join(tangled_children, on="CHILD", how="semi")
    plain = eps.join(tangled_children, on="CHILD", how="anti").select(
        "CHILD", "DOB", pl.col("DECOM").alias("start"), pl.col("end_x").alias("end"), "kind", "PLACE"
    )
    if tangled.height == 0:
        return plain
    return pl.concat([plain, _segments(tangled)]).sort(["CHILD", "start"])


def _segments(eps: pl.DataFrame) -> pl.DataFrame:
    eps = eps.with_row_index("ep")
    points = (
        pl.concat(
            [
                eps.select("CHILD", pl.col("DECOM").alias("t")),
                eps.select("CHILD", pl.col("end_x").alias("t")),
            ]
        )
        .unique()
        .sort(["CHILD", "t"])
    )
    segments = points.with_columns(_same_child(pl.col("t"), -1).alias("seg_end")).filter(
        pl.col("seg_end").is_not_null()
    )
    chosen = (
        segments.join(eps.select("CHILD", "ep", "DECOM", "end_x"), on="CHILD")
        .filter((pl.col("DECOM") <= pl.col("t")) & (pl.col("end_x") >= pl.col("seg_end")))
        .sort(["CHILD", "t", "DECOM", "ep"])
        .unique(subset=["CHILD", "t"], keep="last", maintain_order=True)
    )
    new_piece = (
        _same_child(pl.col("ep"), 1).ne_missing(pl.col("ep"))
        | _same_child(pl.col("seg_end"), 1).ne_missing(pl.col("t"))
    ).fill_null(True)
    pieces = (
        chosen.with_columns(new_piece.cast(pl.Int64).cum_sum().alias("piece"))
        .group_by("piece")
        .agg(
            pl.col("CHILD").first(),
            pl.col("ep").first(),
            pl.col("t").min().alias("start"),
            pl.col("seg_end").max().alias("end"),
        )
        .join(eps.select("ep", "PLACE", "DOB", "end_x", "kind"), on="ep")
    )
    kind = pl.when(pl.col("end") == pl.col("end_x")).then(pl.col("kind")).otherwise(pl.lit(_CUT))
    return pieces.with_columns(kind.cast(pl.Int8).alias("kind")).select(
        "CHILD", "DOB", "start", "end", "kind", "PLACE"
    )


def build_pieces(
    episodes: pl.DataFrame,
    *,
    group_of: Mapping[str, str],
    space: StateSpace,
    cutoff: date,
    short_break_legal_statuses: Sequence[str] = ("V3", "V4"),
) -> Pieces:
    """``episodes`` needs CHILD, DECOM, DEC, PLACE, LS, DOB (one row per episode, deduplicated);
    ``end_eff`` from the episode history is used when present (without it no episode vanishes)."""
    other = space.groups.index("Other") if "Other" in space.groups else len(space.groups) - 1
    group_idx = {code: space.groups.index(g) for code, g in group_of.items() if g in space.groups}
    spans = _resolve_overlaps(_episode_ends(episodes, cutoff, short_break_legal_statuses))
    spans = spans.with_columns(
        pl.col("PLACE").replace_strict(group_idx, default=other, return_dtype=pl.Int32).alias("group")
    )
    is_open = (pl.col("kind") == _OPEN).alias("open")
    until_cutoff = pl.when(pl.col("kind") == _OPEN).then(pl.lit(cutoff)).otherwise(pl.col("end"))
    undated = (
        spans.filter(pl.col("DOB").is_null())
        .select("CHILD", "start", until_cutoff.alias("end"), "group", is_open)
        .sort(["CHILD", "start"])
    )
    eps = spans.filter(pl.col("DOB").is_not_null()).select("CHILD", "DOB", "start", "end", "kind", "group")

    for years in space.age_breaks:
        bday = pl.col("DOB").dt.offset_by(f"{years}y")
        crosses = (pl.col("start") < bday) & (bday < pl.col("end"))
        crossing = eps.filter(crosses)
        if crossing.height:
            before = crossing.with_columns(bday.alias("end"), pl.lit(_CUT, dtype=pl.Int8).alias("kind"))
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
    censored = (pl.col("kind") == _OPEN) | ((pl.col("kind") == _VANISHED) & ~contiguous)
    eps = eps.with_columns(
        pl.when(censored)
        .then(None)
        .when(contiguous & (nxt_state != pl.col("state")))
        .then(nxt_state)
        .when(contiguous)
        .then(pl.lit(None, dtype=pl.Int32))
        .otherwise(pl.lit(EXIT, dtype=pl.Int32))
        .alias("outcome"),
        censored.alias("censored"),
        (prev_end.is_null() | (prev_end != pl.col("start"))).alias("entry"),
        is_open,
    ).with_columns(until_cutoff.alias("end"))
    return Pieces(
        frame=eps.select("CHILD", "start", "end", "state", "outcome", "censored", "entry", "open"),
        space=space,
        cutoff=cutoff,
        undated=undated,
    )
