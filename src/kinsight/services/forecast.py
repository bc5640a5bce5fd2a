"""Use cases for the placement-demand forecast: forecast (with costs, scenarios, export), backtest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kinsight.analytics.episodes import EpisodeHistory, load_history
from kinsight.analytics.groupings import Groupings, load_groupings
from kinsight.domain.years import year_start
from kinsight.forecast.backtest import BacktestSettings, run_backtest
from kinsight.forecast.costs import load_unit_costs
from kinsight.forecast.export import ExportFormat, write_forecast
from kinsight.forecast.run import ForecastRequest, run_forecast
from kinsight.forecast.scenarios import load_scenarios
from kinsight.forecast.states import StateSpace
from kinsight.settings import Settings
from kinsight.storage.analytical import open_store


@dataclass(frozen=True)
class ModelOptions:
    """Options shared by forecast and backtest."""

    reference_days: int = 3 * 365
    sims: int = 500
    level: float = 0.95
    seed: int = 20240401
    groupings_file: Path | None = None


def _load(settings: Settings, options: ModelOptions) -> tuple[EpisodeHistory, Groupings, StateSpace]:
    groupings = load_groupings(options.groupings_file)
    with open_store(settings.store_path, read_only=True) as con:
        history = load_history(con)
    space = StateSpace(groupings.forecast_groups, groupings.forecast_age_breaks)
    return history, groupings, space


def forecast(
    settings: Settings,
    *,
    start: date | None,
    months: int,
    options: ModelOptions = ModelOptions(),
    reference_start: date | None = None,
    costs_file: Path | None = None,
    inflation: float | None = None,
    scenarios_file: Path | None = None,
    export_formats: list[ExportFormat] | None = None,
    export_dir: Path | None = None,
    backtest: bool = True,
) -> dict[str, Any]:
    """Fit on the reference period ending at ``start`` (default: the end of the data) and project."""
    history, groupings, space = _load(settings, options)
    request = ForecastRequest(
        start=start or history.data_end,
        months=months,
        reference_start=reference_start,
        reference_days=options.reference_days,
        sims=options.sims,
        level=options.level,
        seed=options.seed,
        backtest=backtest,
    )
    result = run_forecast(
        history.episodes,
        group_of=groupings.forecast_group_of,
        space=space,
        request=request,
        data_start=year_start(history.years[0]),
        data_end=history.data_end,
        costs=load_unit_costs(costs_file, inflation),
        scenarios=load_scenarios(scenarios_file) if scenarios_file else (),
        short_break_legal_statuses=groupings.short_break_legal_statuses,
    )
    if export_formats:
        out_dir = export_dir or settings.reports_dir
        written = write_forecast(
            result, out_dir, export_formats, stem=f"forecast-{request.start.isoformat()}"
        )
        result["exported"] = [str(p) for p in written]
    return result


def backtest(
    settings: Settings, *, at: date, months: int, options: ModelOptions = ModelOptions()
) -> dict[str, Any]:
    """Fit on what was known at ``at``, forecast ``months`` ahead, score against what happened."""
    history, groupings, space = _load(settings, options)
    return run_backtest(
        history.episodes,
        group_of=groupings.forecast_group_of,
        space=space,
        at=at,
        months=months,
        data_start=year_start(history.years[0]),
        data_end=history.data_end,
        settings=BacktestSettings(options.reference_days, options.sims, options.level, options.seed),
        short_break_legal_statuses=groupings.short_break_legal_statuses,
    )
