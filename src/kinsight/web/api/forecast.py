"""``/api/v1/forecast``: the monthly placement forecast with intervals, costs, scenarios, fitted rates
and its backtest (the companion summary and the month-by-month detail against the naive baselines)."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from kinsight.domain.roles import Permission
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require
from kinsight.web.pages.forecast import DEFAULT_MONTHS, forecast_result

router = APIRouter(tags=["forecast"])


@router.get(
    "/forecast",
    summary="The placement-demand forecast with its backtest",
    description="`available` is false when no data is loaded. 422: the data cannot support a forecast.",
)
def get_forecast(
    request: Request,
    months: int = Query(default=DEFAULT_MONTHS, description="How many months ahead: 12, 24 or 36"),
    principal: Principal = Depends(require(Permission.FORECAST_VIEW)),
) -> dict[str, Any]:
    result = forecast_result(get_settings(request), months)
    if result is None:
        return {"available": False, "reason": "No data has been loaded yet."}
    shown = {k: v for k, v in result["forecast"].items() if k != "exported"}  # no server paths
    return {"available": True, "forecast": shown, "backtest": result["backtest_detail"]}
