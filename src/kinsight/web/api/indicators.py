"""``/api/v1/indicators``: the published indicators (small cells suppressed) and two-year comparisons."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from kinsight.domain.roles import Permission
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require
from kinsight.web.pages.indicators import compare_view, indicator_names, published_indicators, years_of

router = APIRouter(tags=["indicators"])

NO_DATA = {"available": False, "reason": "No data has been loaded yet."}


@router.get(
    "/indicators",
    summary="Every indicator by collection year, as published: counts from 1 to the threshold show as c",
)
def indicators(
    request: Request, principal: Principal = Depends(require(Permission.ANALYTICS_VIEW))
) -> dict[str, Any]:
    data = published_indicators(get_settings(request))
    if data is None:
        return NO_DATA
    return {"available": True, **data}


@router.get(
    "/indicators/compare",
    summary="Compare one indicator between two years, with confidence intervals",
    description=(
        "Without `indicator`, lists the indicators and years that can be compared. A comparison that "
        "would reveal a suppressed (small) figure is withheld and says so. 404: no such indicator; "
        "422: the years or group cannot be compared."
    ),
)
def compare(
    request: Request,
    indicator: str | None = None,
    first: str | None = None,
    second: str | None = None,
    group: str | None = None,
    principal: Principal = Depends(require(Permission.ANALYTICS_VIEW)),
) -> dict[str, Any]:
    settings = get_settings(request)
    data = published_indicators(settings)
    if data is None:
        return NO_DATA
    if not indicator or not first or not second:
        return {"available": True, "indicators": indicator_names(data), "years": years_of(data)}
    result = compare_view(settings, data, indicator=indicator, first=first, second=second, group=group)
    return {"available": True, **result}
