"""One forecast run: fit, project, cost, scenarios, explanation and its backtest, as one plain result.

The starting population is the indicators' count of children looked after on the start day: both are
built from the same deduplicated episode history with the same rule (see ``spells``), so the forecast
page and the indicators page show one number for 31 March.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

from kinsight.errors import UsageError
from kinsight.forecast.backtest import BacktestSettings, run_backtest
from kinsight.forecast.costs import UnitCosts, forecast_costs
from kinsight.forecast.explain import explain_rates
from kinsight.forecast.model import fit
from kinsight.forecast.project import Projection, project
from kinsight.forecast.scenarios import Scenario
from kinsight.forecast.spells import Pieces, build_pieces
from kinsight.forecast.states import StateSpace


@dataclass(frozen=True)
class ForecastRequest:
    start: date
    months: int
    reference_start: date | None = None
    reference_end: date | None = None
    reference_days: int = 3 * 365
    sims: int = 500
    level: float = 0.95
    seed: int = 20240401
    backtest: bool = True


def _months(projection: Projection, groups: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for k, day in enumerate(projection.dates[1:], start=1):
        out.append(
            {
                "month": day.isoformat(),
                "total": round(float(projection.mean[k].sum()), 1),
                "lower": float(projection.total_lower[k]),
                "upper": float(projection.total_upper[k]),
                "by_placement": {
                    g: round(float(projection.group_means[k, i]), 1) for i, g in enumerate(groups)
                },
                "by_placement_interval": {
                    g: {
                        "lower": float(projection.group_lower[k, i]),
                        "upper": float(projection.group_upper[k, i]),
                    }
                    for i, g in enumerate(groups)
                },
            }
        )
    return out


def _costs(projection: Projection, groups: tuple[str, ...], costs: UnitCosts) -> dict[str, Any]:
    c = forecast_costs(projection, groups, costs)
    return {
        "unit_costs_weekly": costs.weekly,
        "annual_inflation": costs.annual_inflation,
        "price_year": costs.price_year,
        "sources": costs.sources,
        "total": round(float(c.total.sum()), 0),
        "months": [
            {
                "month": day.isoformat(),
                "total": round(float(c.total[k]), 0),
                "lower": round(float(c.lower[k]), 0),
                "upper": round(float(c.upper[k]), 0),
                "by_placement": {g: round(float(c.by_group[k, i]), 0) for i, g in enumerate(groups)},
            }
            for k, day in enumerate(projection.dates[1:])
        ],
    }


def run_forecast(
    episodes: pl.DataFrame,
    *,
    group_of: Mapping[str, str],
    space: StateSpace,
    request: ForecastRequest,
    data_start: date,
    data_end: date,
    costs: UnitCosts,
    scenarios: Sequence[Scenario] = (),
    short_break_legal_statuses: tuple[str, ...] = ("V3", "V4"),
) -> dict[str, Any]:
    if request.start > data_end:
        raise UsageError(
            f"the forecast start {request.start} is after the data ends ({data_end})",
            hint=f"Start on or before {data_end}: the model needs the population on the start day.",
        )
    if request.start <= data_start:
        raise UsageError(f"the forecast start {request.start} is before the data begins ({data_start})")
    ref_end = request.reference_end or request.start
    ref_start = request.reference_start or max(data_start, ref_end - timedelta(days=request.reference_days))
    kw = {"group_of": group_of, "space": space, "short_break_legal_statuses": short_break_legal_statuses}
    pieces = build_pieces(episodes, cutoff=max(request.start, ref_end), **kw)
    rates = fit(pieces, ref_start, ref_end)
    start_counts = pieces.stock_on(request.start)
    opts = {"sims": request.sims, "level": request.level, "seed": request.seed}
    base = project(rates, start_counts, request.start, request.months, **opts)
    groups = space.groups
    result: dict[str, Any] = {
        "start": request.start.isoformat(),
        "horizon_months": request.months,
        # The indicators' "children looked after" on the start day (same episodes, same in-care rule).
        "start_population": int(start_counts.sum()),
        # Of them, children with no date of birth in any return: placed in their placement group's
        # most common age band (see ``Pieces.stock_on``).
        "start_population_without_dob": pieces.undated_on(request.start),
        "level": request.level,
        "interval_method": base.interval_method,
        "months": _months(base, groups),
        "costs": _costs(base, groups, costs),
        "rates": explain_rates(rates),
    }
    if scenarios:
        result["scenarios"] = []
        for scenario in scenarios:
            alt = project(
                rates,
                start_counts,
                request.start,
                request.months,
                adjustment=scenario.adjustment(space),
                **opts,
            )
            alt_costs = forecast_costs(alt, groups, costs)
            result["scenarios"].append(
                {
                    "name": scenario.name,
                    "description": scenario.description,
                    "months": _months(alt, groups),
                    "cost_total": round(float(alt_costs.total.sum()), 0),
                    "difference_from_base": [
                        round(float(alt.mean[k].sum() - base.mean[k].sum()), 1)
                        for k in range(1, request.months + 1)
                    ],
                }
            )
    if request.backtest:
        result["backtest"] = _companion_backtest(episodes, request, data_start, data_end, kw, pieces)
    return result


def _companion_backtest(
    episodes: pl.DataFrame,
    request: ForecastRequest,
    data_start: date,
    data_end: date,
    kw: dict[str, Any],
    pieces: Pieces,
) -> dict[str, Any]:
    """The same model, fitted a year before the forecast start, scored on the year that followed."""
    at = date(
        request.start.year - 1,
        request.start.month,
        min(request.start.day, 28 if request.start.month == 2 else request.start.day),
    )
    try:
        bt = run_backtest(
            episodes,
            at=at,
            months=min(12, request.months),
            data_start=data_start,
            data_end=data_end,
            settings=BacktestSettings(request.reference_days, request.sims, request.level, request.seed),
            full_pieces=pieces,
            **kw,
        )
    except UsageError as error:
        return {"available": False, "reason": error.message}
    return {
        "available": True,
        "at": bt["at"],
        "months": bt["months"],
        "model": {k: bt["model"][k] for k in ("mae", "mape", "coverage")},
        "baselines": {name: {k: v[k] for k in ("mae", "mape")} for name, v in bt["baselines"].items()},
    }


def totals(result: dict[str, Any]) -> np.ndarray:
    return np.array([m["total"] for m in result["months"]])
