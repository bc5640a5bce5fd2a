"""Project the population month by month, with prediction intervals by simulation.

Central forecast: the exact expected population of the fitted continuous-time Markov chain.  Over a
step of h days, children in care move with P(h) = expm(Q h), and entries arriving at a constant daily
rate lambda add lambda * integral_0^h expm(Q_in s) ds (computed with one augmented matrix exponential).

Prediction interval (``INTERVAL_METHOD``): Monte Carlo.  Each simulated path first draws every rate
from Gamma(count, 1 / exposure), the distribution of a rate given its observed count (parameter
uncertainty), then steps month by month: the children in each state move by a multinomial draw from
P(h) and new entries are Poisson, each placed by where an entrant arriving uniformly in the month
would be at its end (process noise).  Bounds are the simulated quantiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.linalg import expm
from threadpoolctl import threadpool_limits

from kinsight.errors import UsageError
from kinsight.forecast.model import FittedRates, generator

INTERVAL_METHOD = (
    "monte_carlo: {sims} simulated paths of the monthly Markov chain; each path draws every rate from "
    "Gamma(events, 1/exposure) (parameter uncertainty), then moves children by multinomial draws and adds "
    "Poisson entries (process noise); bounds are the {lo:g}th and {hi:g}th percentiles"
)


@dataclass(frozen=True)
class Adjustment:
    """Multipliers on the fitted rates for a scenario (1 = unchanged); shapes (n,), (n, n), (n,)."""

    entry: np.ndarray
    move: np.ndarray
    exit: np.ndarray

    @staticmethod
    def none(n: int) -> Adjustment:
        return Adjustment(np.ones(n), np.ones((n, n)), np.ones(n))


@dataclass(frozen=True)
class Projection:
    dates: list[date]  # origin, then one date per month
    mean: np.ndarray  # (months + 1, n) expected children by state
    group_lower: np.ndarray  # (months + 1, G)
    group_upper: np.ndarray
    total_lower: np.ndarray  # (months + 1,)
    total_upper: np.ndarray
    sim_groups: np.ndarray  # (sims, months + 1, G) simulated children by group, for costs
    level: float
    interval_method: str
    group_means: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))


def month_dates(origin: date, months: int) -> list[date]:
    out = [origin]
    for m in range(1, months + 1):
        index = origin.year * 12 + origin.month - 1 + m
        year, month0 = divmod(index, 12)
        nxt = date(year + (month0 == 11), (month0 + 1) % 12 + 1, 1)
        last_day = nxt.toordinal() - date(year, month0 + 1, 1).toordinal()
        out.append(date(year, month0 + 1, min(origin.day, last_day)))
    return out


def _step_matrices(q: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """(P(h) over n+1 states, J(h) = integral of the in-care block over n x n), batched over leading axes.

    One exponential of the block matrix [[Q h, I], [0, 0]] gives both: its top-left block is
    expm(Q h) and its top-right block, times h, the integral of expm(Q s) for s in [0, h].  (Keeping
    the identity unscaled keeps the matrix norm small, so no scaling-and-squaring is needed.)  Kept as
    the direct definition that ``_step_matrices_for`` is tested against.
    """
    m = q.shape[-1]
    n = m - 1
    aug = np.zeros(q.shape[:-2] + (2 * m, 2 * m))
    aug[..., :m, :m] = q * h
    aug[..., :m, m:] = np.eye(m)
    e = expm(aug)
    return e[..., :m, :m], e[..., :n, m : m + n] * h


def _step_matrices_for(q: np.ndarray, days: set[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """``_step_matrices(q, h)`` for every whole number of days ``h`` in ``days``, from one exponential.

    Why: the simulation needs the step matrices of 500 drawn generators for months of 28 to 31 days,
    and three or four batched matrix exponentials were half the forecast's time.  With
    B = [[Q, I], [0, 0]], expm(B h) holds expm(Q h) top-left and the integral of expm(Q s) over
    [0, h] top-right, and expm(B h) = expm(B) ** h for whole days, so one exponential and a few
    matrix products give every month length (equal to the direct form to rounding; see the tests).
    """
    m = q.shape[-1]
    n = m - 1
    aug = np.zeros(q.shape[:-2] + (2 * m, 2 * m))
    aug[..., :m, :m] = q
    aug[..., :m, m:] = np.eye(m)
    one_day = expm(aug)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    current, power = None, 0
    for h in sorted(days):
        if current is None:
            current, power = np.linalg.matrix_power(one_day, h), h
        while power < h:
            current, power = current @ one_day, power + 1
        out[h] = (current[..., :m, :m], current[..., :n, m : m + n])
    return out


def _move_and_place_probabilities(p: np.ndarray, j: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray]:
    """For one month of ``h`` days: where a child in each state is at its end (last column: left care),
    and where an entrant arriving uniformly in the month is (last column: left again), each row
    clipped at 0 and summing to 1 against rounding."""
    n = j.shape[-1]
    pv = np.clip(p[..., :n, :], 0.0, None)
    pv = pv / pv.sum(axis=-1, keepdims=True)
    where = np.clip(j / h, 0.0, None)
    stay = np.clip(1.0 - where.sum(axis=-1, keepdims=True), 0.0, None)
    pa = np.concatenate([where, stay], axis=-1)
    return pv, pa / pa.sum(axis=-1, keepdims=True)


def project(
    rates: FittedRates,
    start_counts: np.ndarray,
    origin: date,
    months: int,
    *,
    adjustment: Adjustment | None = None,
    sims: int = 500,
    level: float = 0.95,
    seed: int = 20240401,
) -> Projection:
    """Expected population by month and simulated intervals (see the module docstring).

    The work is many tiny matrix products; multi-threaded BLAS only adds contention there (measured:
    100x slower on a busy 2-core machine), so BLAS is held to one thread while projecting.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _project(
            rates, start_counts, origin, months, adjustment=adjustment, sims=sims, level=level, seed=seed
        )


def _project(
    rates: FittedRates,
    start_counts: np.ndarray,
    origin: date,
    months: int,
    *,
    adjustment: Adjustment | None = None,
    sims: int = 500,
    level: float = 0.95,
    seed: int = 20240401,
) -> Projection:
    if months < 1 or months > 120:
        raise UsageError(
            f"{months} months is outside 1-120",
            hint="Forecast horizons are given in months, e.g. --months 24.",
        )
    space = rates.space
    n, n_groups = space.size, len(space.groups)
    adj = adjustment or Adjustment.none(n)
    dates = month_dates(origin, months)
    steps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]

    move, exit_, entry = (
        rates.move_rates * adj.move,
        rates.exit_rates * adj.exit,
        rates.entry_rates * adj.entry,
    )
    q = generator(move, exit_)
    cache = _step_matrices_for(q, set(steps))
    mean = np.zeros((months + 1, n))
    mean[0] = start_counts
    for k, h in enumerate(steps, start=1):
        p, j = cache[h]
        mean[k] = mean[k - 1] @ p[:n, :n] + entry @ j

    rng = np.random.default_rng(seed)
    exposure = rates.exposure
    safe = np.where(exposure > 0, exposure, 1.0)
    move_draw = rng.gamma(np.maximum(rates.moves, 0) + 0.0, 1.0, size=(sims, n, n)) / safe[None, :, None]
    move_draw = np.where(rates.moves[None] > 0, move_draw, 0.0) * adj.move[None]
    exit_draw = np.where(
        rates.exits > 0, rng.gamma(np.maximum(rates.exits, 1e-12), 1.0, size=(sims, n)) / safe, 0.0
    )
    exit_draw = exit_draw * adj.exit[None]
    entry_draw = (
        np.where(
            rates.entries > 0,
            rng.gamma(np.maximum(rates.entries, 1e-12), 1.0, size=(sims, n)) / rates.window_days,
            0.0,
        )
        * adj.entry[None]
    )
    q_sims = generator(move_draw, exit_draw)
    sim_cache = _step_matrices_for(q_sims, set(steps))

    counts = np.broadcast_to(np.asarray(start_counts, dtype=np.int64), (sims, n)).copy()
    group_of_state = np.array([space.group_index(i) for i in range(n)])
    onehot = np.zeros((n, n_groups))
    onehot[np.arange(n), group_of_state] = 1.0
    sim_groups = np.zeros((sims, months + 1, n_groups))
    sim_groups[:, 0] = counts @ onehot
    # The move and placement probabilities depend only on the month's length: build them once per
    # length (at most four), not once per month.
    probabilities = {h: _move_and_place_probabilities(p, j, h) for h, (p, j) in sim_cache.items()}
    for k, h in enumerate(steps, start=1):
        pv, pa = probabilities[h]
        moved = rng.multinomial(counts, pv)  # (sims, n, n+1)
        new = moved[:, :, :n].sum(axis=1)
        arrivals = rng.poisson(entry_draw * h)  # (sims, n)
        placed = rng.multinomial(arrivals, pa)
        counts = new + placed[:, :, :n].sum(axis=1)
        sim_groups[:, k] = counts @ onehot

    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    totals = sim_groups.sum(axis=-1)
    method = INTERVAL_METHOD.format(sims=sims, lo=100 * lo_q, hi=100 * hi_q)
    return Projection(
        dates=dates,
        mean=mean,
        group_lower=np.quantile(sim_groups, lo_q, axis=0),
        group_upper=np.quantile(sim_groups, hi_q, axis=0),
        total_lower=np.quantile(totals, lo_q, axis=0),
        total_upper=np.quantile(totals, hi_q, axis=0),
        sim_groups=sim_groups,
        level=level,
        interval_method=method,
        group_means=mean @ onehot,
    )
