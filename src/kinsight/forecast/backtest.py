"""Backtest: fit on what was known at a past date, forecast, and compare with what then happened.

The model is fitted only on episodes known at ``at`` (later starts dropped, later endings treated as
still open), over the reference window ending at ``at``.  Actual populations come from the full
history.  Errors are on month-end totals and on each placement group: MAE (children), MAPE (percent
of the actual; months with an actual of 0 are left out), and, for the model, interval coverage (share
of months whose actual lies inside the prediction interval).  The naive baselines get the same errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

from kinsight.errors import UsageError
from kinsight.forecast.baselines import last_value, linear_trend
from kinsight.forecast.model import fit
from kinsight.forecast.project import month_dates, project
from kinsight.forecast.spells import Pieces, build_pieces
from kinsight.forecast.states import StateSpace


@dataclass(frozen=True)
class BacktestSettings:
    reference_days: int = 3 * 365
    sims: int = 500
    level: float = 0.95
    seed: int = 20240401


def group_stock(pieces: Pieces, days: list[date]) -> np.ndarray:
    """(len(days), G) children by placement group on each day."""
    space = pieces.space
    onehot = np.zeros((space.size, len(space.groups)))
    onehot[np.arange(space.size), [space.group_index(i) for i in range(space.size)]] = 1
    return np.array([pieces.stock_on(d) @ onehot for d in days])


def _errors(forecast: np.ndarray, actual: np.ndarray) -> tuple[float, float | None]:
    err = np.abs(forecast - actual)
    mae = float(err.mean())
    nz = actual > 0
    mape = float((err[nz] / actual[nz]).mean() * 100) if nz.any() else None
    return round(mae, 2), None if mape is None else round(mape, 2)


def _method_summary(
    dates: list[date],
    forecast: np.ndarray,
    actual: np.ndarray,
    groups: tuple[str, ...],
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
    group_lower: np.ndarray | None = None,
    group_upper: np.ndarray | None = None,
) -> dict[str, Any]:
    """``forecast`` and ``actual`` are (months, G); totals are their row sums."""
    f_tot, a_tot = forecast.sum(axis=1), actual.sum(axis=1)
    mae, mape = _errors(f_tot, a_tot)
    rows = []
    for k, day in enumerate(dates):
        row: dict[str, Any] = {
            "horizon": k + 1,
            "month": day.isoformat(),
            "actual": int(a_tot[k]),
            "forecast": round(float(f_tot[k]), 1),
            "error": round(float(f_tot[k] - a_tot[k]), 1),
            "ape": round(abs(float(f_tot[k] - a_tot[k])) / a_tot[k] * 100, 2) if a_tot[k] else None,
        }
        if lower is not None and upper is not None:
            row.update(
                lower=float(lower[k]), upper=float(upper[k]), covered=bool(lower[k] <= a_tot[k] <= upper[k])
            )
        rows.append(row)
    by_group: dict[str, Any] = {}
    for g, name in enumerate(groups):
        g_mae, g_mape = _errors(forecast[:, g], actual[:, g])
        entry: dict[str, Any] = {"mae": g_mae, "mape": g_mape}
        if group_lower is not None and group_upper is not None:
            inside = (group_lower[:, g] <= actual[:, g]) & (actual[:, g] <= group_upper[:, g])
            entry["coverage"] = round(float(inside.mean()), 3)
        by_group[name] = entry
    out: dict[str, Any] = {"mae": mae, "mape": mape}
    if lower is not None and upper is not None:
        out["coverage"] = round(float(np.mean([r["covered"] for r in rows])), 3)
    out["by_horizon"] = rows
    out["by_placement"] = by_group
    return out


def run_backtest(
    episodes: pl.DataFrame,
    *,
    group_of: Mapping[str, str],
    space: StateSpace,
    at: date,
    months: int,
    data_start: date,
    data_end: date,
    settings: BacktestSettings = BacktestSettings(),
    short_break_legal_statuses: tuple[str, ...] = ("V3", "V4"),
    full_pieces: Pieces | None = None,
) -> dict[str, Any]:
    """Fit at ``at``, forecast ``months``, and score against the history.

    ``full_pieces`` may pass in pieces already built from the same episodes, groupings and short-break
    rule with the data's end as cutoff (a forecast starting at the data's end has them), to save
    building them twice; pieces with another cutoff or state space are ignored.
    """
    if at >= data_end or at <= data_start:
        raise UsageError(
            f"backtest date {at} must fall inside the data held ({data_start} to {data_end})",
            hint="Choose a date at least a month before the end of the data, e.g. a year before.",
        )
    dates = [d for d in month_dates(at, months)[1:] if d <= data_end]
    if not dates:
        raise UsageError(
            "no month of the backtest falls inside the data held", hint="Choose an earlier --at date."
        )
    kw = {"group_of": group_of, "space": space, "short_break_legal_statuses": short_break_legal_statuses}
    known = build_pieces(episodes, cutoff=at, **kw)
    if full_pieces is not None and full_pieces.cutoff == data_end and full_pieces.space == space:
        full = full_pieces
    else:
        full = build_pieces(episodes, cutoff=data_end, **kw)
    ref_start = max(data_start, at - timedelta(days=settings.reference_days))
    rates = fit(known, ref_start, at)
    proj = project(
        rates,
        known.stock_on(at),
        at,
        len(dates),
        sims=settings.sims,
        level=settings.level,
        seed=settings.seed,
    )
    actual = group_stock(full, dates)
    history_days = [d for d in reversed(month_dates_back(at, ref_start))]
    history = group_stock(known, history_days)
    groups = space.groups
    model = _method_summary(
        dates,
        proj.group_means[1:],
        actual,
        groups,
        proj.total_lower[1:],
        proj.total_upper[1:],
        proj.group_lower[1:],
        proj.group_upper[1:],
    )
    return {
        "at": at.isoformat(),
        "months": len(dates),
        "reference_start": ref_start.isoformat(),
        "reference_end": at.isoformat(),
        "interval_method": proj.interval_method,
        "model": model,
        "baselines": {
            "last_value": _method_summary(dates, last_value(history, len(dates)), actual, groups),
            "linear_trend": _method_summary(dates, linear_trend(history, len(dates)), actual, groups),
        },
    }


def month_dates_back(origin: date, earliest: date) -> list[date]:
    """origin, origin - 1 month, ... back to no earlier than ``earliest`` (newest first)."""
    out = [origin]
    k = 1
    while True:
        index = origin.year * 12 + origin.month - 1 - k
        year, month0 = divmod(index, 12)
        nxt = date(year + (month0 == 11), (month0 + 1) % 12 + 1, 1)
        last_day = nxt.toordinal() - date(year, month0 + 1, 1).toordinal()
        day = date(year, month0 + 1, min(origin.day, last_day))
        if day < earliest:
            return out
        out.append(day)
        k += 1
