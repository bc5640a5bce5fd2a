"""``/api/v1/monitoring``: deployments, their runs and figures, and alerts (read-only)."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from kinsight.domain.roles import Permission
from kinsight.services import monitoring
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require, signed_in

router = APIRouter(tags=["monitoring"])


def _actor(principal: Principal) -> monitoring.Actor:
    return monitoring.Actor(principal.username, principal.role.value)


@router.get("/monitoring/deployments", summary="Tools in use: status, live version, next review, open alerts")
def deployments(
    request: Request, principal: Principal = Depends(require(Permission.MONITORING_VIEW))
) -> list[dict[str, Any]]:
    return monitoring.status(get_settings(request), _actor(principal))


@router.get(
    "/monitoring/deployments/{name}", summary="One tool: versions, runs, alerts, reviews, retirement steps"
)
def deployment(
    request: Request, name: str, principal: Principal = Depends(require(Permission.MONITORING_VIEW))
) -> dict[str, Any]:
    return monitoring.detail(get_settings(request), _actor(principal), name)


@router.get("/monitoring/deployments/{name}/series", summary="One figure over the runs (e.g. drift psi)")
def series(
    request: Request,
    name: str,
    section: str = "drift",
    metric: str = "psi",
    principal: Principal = Depends(require(Permission.MONITORING_VIEW)),
) -> list[dict[str, Any]]:
    return monitoring.series(get_settings(request), _actor(principal), name, section, metric)


@router.get("/monitoring/alerts", summary="Alerts addressed to you")
def my_alerts(request: Request, principal: Principal = Depends(signed_in)) -> list[dict[str, Any]]:
    return monitoring.alerts_for(get_settings(request), principal.username, open_only=False)
