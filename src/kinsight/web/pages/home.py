"""Home: what this authority's Kinsight holds, when data was last loaded, how recent each dataset is."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from kinsight.domain.roles import Permission
from kinsight.services.auth import Principal
from kinsight.web.data import catalogue_entries, summarise
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Home", "/", None, order=0),)


@router.get("/")
def home(request: Request, principal: Principal = Depends(require(Permission.CATALOGUE_VIEW))) -> Response:
    summaries = summarise(catalogue_entries(get_settings(request)))
    loaded = [s.last_loaded for s in summaries if s.last_loaded is not None]
    return render(
        request,
        "pages/home.html",
        {"title": "Home", "summaries": summaries, "last_load": max(loaded, key=str) if loaded else None},
    )
