"""Placement costs of a forecast: children by group x weekly unit cost, with annual inflation.

Cost of month k = children in each group at the end of month k x days in the month x weekly cost / 7,
uprated by (1 + inflation) for each whole year since the forecast start.  Intervals come from the same
simulated paths as the population intervals, so they carry the same uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.yamlfiles import parse_yaml
from kinsight.errors import ConfigurationError
from kinsight.forecast.project import Projection


class UnitCostsModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    price_year: str = ""
    annual_inflation: float = Field(default=0.0, ge=-0.5, le=1.0)
    weekly: dict[str, float]
    sources: dict[str, str] = {}


@dataclass(frozen=True)
class UnitCosts:
    weekly: dict[str, float]
    annual_inflation: float
    price_year: str
    sources: dict[str, str]


def load_unit_costs(path: Path | None = None, inflation: float | None = None) -> UnitCosts:
    """The built-in editable defaults, or an authority's own YAML of the same shape."""
    if path is None:
        text = resources.files("kinsight.forecast").joinpath("unit_costs.yaml").read_text(encoding="utf-8")
        source = "built-in unit_costs.yaml"
    else:
        if not path.exists():
            raise ConfigurationError(
                f"unit costs file {path} does not exist", hint="Give a YAML file like the built-in one."
            )
        text, source = path.read_text(encoding="utf-8"), str(path)
    try:
        model = UnitCostsModel.model_validate(parse_yaml(text))
    except Exception as error:
        raise ConfigurationError(
            f"{source} is not valid: {error}", hint="Keys: price_year, annual_inflation, weekly, sources."
        ) from error
    return UnitCosts(
        weekly=dict(model.weekly),
        annual_inflation=model.annual_inflation if inflation is None else inflation,
        price_year=model.price_year,
        sources=dict(model.sources),
    )


@dataclass(frozen=True)
class CostForecast:
    by_group: np.ndarray  # (months, G) expected cost per month
    total: np.ndarray  # (months,)
    lower: np.ndarray
    upper: np.ndarray


def forecast_costs(projection: Projection, groups: tuple[str, ...], costs: UnitCosts) -> CostForecast:
    missing = [g for g in groups if g not in costs.weekly]
    if missing:
        raise ConfigurationError(
            f"no weekly unit cost for {', '.join(missing)}",
            hint="Add them under 'weekly:' in the costs file.",
        )
    weekly = np.array([costs.weekly[g] for g in groups])
    dates = projection.dates
    days = np.array([(b - a).days for a, b in zip(dates, dates[1:], strict=False)], dtype=float)
    years = np.array([(d - dates[0]).days // 365 for d in dates[1:]])
    uplift = (1 + costs.annual_inflation) ** years
    factor = (days * uplift)[:, None] * weekly[None, :] / 7.0  # (months, G)
    by_group = projection.group_means[1:] * factor
    sim_cost = (projection.sim_groups[:, 1:, :] * factor[None]).sum(axis=-1)
    lo_q = (1 - projection.level) / 2
    return CostForecast(
        by_group=by_group,
        total=by_group.sum(axis=-1),
        lower=np.quantile(sim_cost, lo_q, axis=0),
        upper=np.quantile(sim_cost, 1 - lo_q, axis=0),
    )
