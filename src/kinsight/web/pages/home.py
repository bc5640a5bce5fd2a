"""Home: what this authority's Kinsight holds, what the signed-in person can do next, and their alerts.

A newcomer lands here first, so the page answers three questions: what data is here and how recent it
is, which pages my role lets me use (only those: a link that ends in "forbidden" teaches nothing), and
whether anything needs my attention (monitoring alerts addressed to me).
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from kinsight.domain.roles import Permission, load_matrix
from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import KinsightError
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.web.data import catalogue_entries, summarise
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.templating import TEMPLATES, render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Home", "/", None, order=0),)
NEXT_STEPS_FILE = TEMPLATES / "pages" / "next_steps.yaml"


class _NextStepsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: dict[str, str]


@dataclass(frozen=True)
class NextStep:
    label: str
    href: str
    text: str


@cache
def _step_texts(path: Path = NEXT_STEPS_FILE) -> dict[str, str]:
    return _NextStepsFile.model_validate(read_yaml(path)).steps


def next_steps(nav: tuple[NavItem, ...], principal: Principal) -> list[NextStep]:
    """The pages this person's role may open (the nav registry, filtered by permission), home excluded."""
    texts = _step_texts()
    return [
        NextStep(item.label, item.href, texts.get(item.href, ""))
        for item in nav
        if item.href != "/" and (item.permission is None or is_allowed(principal, item.permission))
    ]


def my_alerts(settings: Settings, username: str) -> list[dict[str, Any]]:
    """Open monitoring alerts addressed to this person, if the monitoring area is installed."""
    try:
        module = importlib.import_module("kinsight.services.monitoring")
    except ModuleNotFoundError:
        return []
    alerts_for = getattr(module, "alerts_for", None)
    if alerts_for is None:
        return []
    try:
        return list(alerts_for(settings, username))
    except KinsightError:
        return []


@router.get("/")
def home(request: Request, principal: Principal = Depends(require(Permission.CATALOGUE_VIEW))) -> Response:
    settings = get_settings(request)
    summaries = summarise(catalogue_entries(settings))
    loaded = [str(s.last_loaded) for s in summaries if s.last_loaded is not None]
    steps = next_steps(request.app.state.nav.items, principal)
    return render(
        request,
        "pages/home.html",
        {
            "title": "Home",
            "summaries": summaries,
            "last_load": max(loaded) if loaded else None,
            "role": load_matrix().role(principal.role),
            "next_steps": steps,
            "can_monitor": any(step.href == "/monitoring" for step in steps),
            "alerts": my_alerts(settings, principal.username),
        },
    )
