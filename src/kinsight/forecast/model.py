"""Fit the multi-state model: daily rates of entry, moving between states, and leaving care.

Rates are occurrence / exposure over the reference window [ref_start, ref_end):

* rate(i -> j) = moves from state i to j ending a piece in the window / child-days spent in i in it;
* exit rate(i) = exits from i in the window / child-days in i;
* entry rate(i) = children entering care into state i in the window / days in the window.

These are the maximum-likelihood estimates of a continuous-time Markov chain with constant rates
(piecewise exponential), the statistic behind "transitions / stock" in the regional demand model,
summed over days rather than averaged day by day (which inflates rates for rarely occupied states).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from kinsight.errors import UsageError
from kinsight.forecast.spells import EXIT, Pieces
from kinsight.forecast.states import StateSpace


@dataclass(frozen=True)
class FittedRates:
    """Counts and exposures behind every rate, so uncertainty and explanations come from the same numbers."""

    space: StateSpace
    ref_start: date
    ref_end: date
    moves: np.ndarray  # (n, n) counts of i -> j
    exits: np.ndarray  # (n,) counts
    exposure: np.ndarray  # (n,) child-days
    entries: np.ndarray  # (n,) counts

    @property
    def window_days(self) -> int:
        return (self.ref_end - self.ref_start).days

    def _per_exposure(self, counts: np.ndarray) -> np.ndarray:
        exposure = self.exposure.reshape((-1,) + (1,) * (counts.ndim - 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(exposure > 0, counts / np.where(exposure > 0, exposure, 1), 0.0)

    @property
    def move_rates(self) -> np.ndarray:
        return self._per_exposure(self.moves)

    @property
    def exit_rates(self) -> np.ndarray:
        return self._per_exposure(self.exits)

    @property
    def entry_rates(self) -> np.ndarray:
        return self.entries / self.window_days


def fit(pieces: Pieces, ref_start: date, ref_end: date) -> FittedRates:
    """Count moves, exits, entries and child-days in the window; ``ref_end`` must not pass the data cutoff."""
    if ref_end <= ref_start:
        raise UsageError(
            "the reference period ends before it starts",
            hint="Give --reference-start before the forecast start.",
        )
    if ref_end > pieces.cutoff:
        raise UsageError(
            f"the reference period ends {ref_end} after the data ends ({pieces.cutoff})",
            hint="Choose a reference period inside the data held.",
        )
    n = pieces.space.size
    f = pieces.frame
    lo, hi = pl.lit(ref_start), pl.lit(ref_end)
    overlap_start = pl.max_horizontal(pl.col("start"), lo)
    overlap_end = pl.min_horizontal(pl.col("end"), hi)
    days = (overlap_end - overlap_start).dt.total_days().clip(lower_bound=0)
    exposure = np.zeros(n)
    exp_frame = f.select(pl.col("state"), days.alias("days")).group_by("state").agg(pl.col("days").sum())
    exposure[exp_frame.get_column("state").to_numpy()] = exp_frame.get_column("days").to_numpy()

    ended = f.filter(
        pl.col("outcome").is_not_null() & (pl.col("end") > ref_start) & (pl.col("end") <= ref_end)
    )
    moves = np.zeros((n, n))
    exits = np.zeros(n)
    counts = ended.group_by(["state", "outcome"]).len()
    for state, outcome, count in counts.iter_rows():
        if outcome == EXIT:
            exits[state] += count
        else:
            moves[state, outcome] += count
    entries = np.zeros(n)
    entered = (
        f.filter(pl.col("entry") & (pl.col("start") > ref_start) & (pl.col("start") <= ref_end))
        .group_by("state")
        .len()
    )
    entries[entered.get_column("state").to_numpy()] = entered.get_column("len").to_numpy()
    return FittedRates(pieces.space, ref_start, ref_end, moves, exits, exposure, entries)


def generator(move_rates: np.ndarray, exit_rates: np.ndarray) -> np.ndarray:
    """The (n+1) x (n+1) CTMC generator (rows = from), with leaving care as the last, absorbing state."""
    n = move_rates.shape[-1]
    shape = move_rates.shape[:-2] + (n + 1, n + 1)
    q = np.zeros(shape)
    q[..., :n, :n] = move_rates
    idx = np.arange(n)
    q[..., idx, idx] = 0.0
    q[..., :n, n] = exit_rates
    q[..., idx, idx] = -q[..., :n, :].sum(axis=-1)
    return q
