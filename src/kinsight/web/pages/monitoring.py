"""Monitoring pages: tools in use, their drift and accuracy over time, alerts, reviews and retirement.

When the home's monitoring settings give ``schedule_minutes``, the router's lifespan starts an APScheduler
BackgroundScheduler that runs monitoring for every deployment at that interval (and stops it on exit).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from starlette.responses import RedirectResponse, Response

from kinsight.domain.roles import Permission
from kinsight.errors import KinsightError, UsageError
from kinsight.services import monitoring
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require, signed_in
from kinsight.web.nav import NavItem
from kinsight.web.security import check_csrf
from kinsight.web.templating import render

log = logging.getLogger(__name__)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    scheduler = None
    try:
        scheduler = monitoring.start_scheduler(app.state.settings)
    except KinsightError as error:
        log.warning("monitoring schedule not started: %s", error.message)
    app.state.monitoring_scheduler = scheduler
    try:
        yield
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


router = APIRouter(include_in_schema=False, lifespan=_lifespan)
NAV = (NavItem("Monitoring", "/monitoring", Permission.MONITORING_VIEW, order=75),)


def actor_of(principal: Principal) -> monitoring.Actor:
    return monitoring.Actor(principal.username, principal.role.value)


@router.get("/monitoring")
def overview(
    request: Request, principal: Principal = Depends(require(Permission.MONITORING_VIEW))
) -> Response:
    settings = get_settings(request)
    return render(
        request,
        "monitoring/overview.html",
        {
            "title": "Monitoring",
            "deployments": monitoring.status(settings, actor_of(principal)),
            "my_alerts": monitoring.alerts_for(settings, principal.username),
        },
    )


@router.get("/monitoring/alerts")
def my_alerts(request: Request, principal: Principal = Depends(signed_in)) -> Response:
    items = monitoring.alerts_for(get_settings(request), principal.username, open_only=False)
    return render(request, "monitoring/alerts.html", {"title": "Your monitoring alerts", "alerts": items})


def _detail_context(request: Request, principal: Principal, name: str) -> dict[str, Any]:
    settings = get_settings(request)
    actor = actor_of(principal)
    return {
        "title": f"Monitoring: {name}",
        "d": monitoring.detail(settings, actor, name),
        "charts": monitoring.charts(settings, actor, name),
        "checklist": monitoring.review_checklist(),
        "can_manage": is_allowed(principal, Permission.MONITORING_MANAGE),
        "can_retire": is_allowed(principal, Permission.MONITORING_RETIRE),
    }


@router.get("/monitoring/deployments/{name}")
def deployment(
    request: Request, name: str, principal: Principal = Depends(require(Permission.MONITORING_VIEW))
) -> Response:
    return render(request, "monitoring/deployment.html", _detail_context(request, principal, name))


def _after(request: Request, principal: Principal, name: str, action: Any) -> Response:
    try:
        action()
    except KinsightError as error:
        context = _detail_context(request, principal, name)
        return render(request, "monitoring/deployment.html", {**context, "error": error}, status_code=422)
    return RedirectResponse(f"/monitoring/deployments/{name}", status_code=303)


@router.post("/monitoring/deployments/{name}/run")
def run_now(
    request: Request,
    name: str,
    csrf_token: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Permission.MONITORING_MANAGE)),
) -> Response:
    check_csrf(request, csrf_token)
    return _after(
        request, principal, name, lambda: monitoring.run(get_settings(request), actor_of(principal), name)
    )


@router.post("/monitoring/deployments/{name}/review")
async def review(
    request: Request, name: str, principal: Principal = Depends(require(Permission.MONITORING_MANAGE))
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    answers = {
        q["id"]: {"answer": str(form.get(f"q_{q['id']}", "")), "notes": str(form.get(f"n_{q['id']}", ""))}
        for q in monitoring.review_checklist()
    }
    return _after(
        request,
        principal,
        name,
        lambda: monitoring.record_review(
            get_settings(request),
            actor_of(principal),
            name,
            answers=answers,
            decision=str(form.get("decision", "")),
            notes=str(form.get("notes", "")),
            scope_description=str(form.get("scope", "")),
        ),
    )


def _unknown_step() -> None:
    raise UsageError("Choose a retirement step.", hint="Deprecate, decommission, reinstate or restore.")


@router.post("/monitoring/deployments/{name}/lifecycle")
def lifecycle(
    request: Request,
    name: str,
    csrf_token: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Permission.MONITORING_RETIRE)),
) -> Response:
    check_csrf(request, csrf_token)
    steps = {
        "deprecate": monitoring.deprecate,
        "decommission": monitoring.decommission,
        "reinstate": monitoring.reinstate,
        "restore": monitoring.restore,
    }
    if action not in steps:
        return _after(request, principal, name, _unknown_step)
    return _after(
        request,
        principal,
        name,
        lambda: steps[action](get_settings(request), actor_of(principal), name, reason=reason),
    )


@router.post("/monitoring/alerts/{alert_id}/acknowledge")
def acknowledge(
    request: Request,
    alert_id: int,
    csrf_token: Annotated[str, Form()] = "",
    principal: Principal = Depends(signed_in),
) -> Response:
    check_csrf(request, csrf_token)
    monitoring.acknowledge(get_settings(request), actor_of(principal), alert_id)
    return RedirectResponse(request.headers.get("referer") or "/monitoring/alerts", status_code=303)
