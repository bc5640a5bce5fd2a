"""The dataset catalogue: every table and year held, with rows, owner and field completeness."""

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
NAV = (NavItem("Catalogue", "/catalogue", Permission.CATALOGUE_VIEW, order=10),)


@router.get("/catalogue")
def catalogue(
    request: Request, principal: Principal = Depends(require(Permission.CATALOGUE_VIEW))
) -> Response:
    entries = catalogue_entries(get_settings(request))
    by_dataset: dict[str, list[dict]] = {}
    for entry in entries:
        by_dataset.setdefault(str(entry.get("dataset")), []).append(entry)
    return render(
        request,
        "pages/catalogue.html",
        {"title": "Dataset catalogue", "by_dataset": by_dataset, "summaries": summarise(entries)},
    )
