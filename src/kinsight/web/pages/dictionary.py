"""The data dictionary, generated from the dataset specs: tables, fields, types, privacy class, codes."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from kinsight.domain.roles import Permission
from kinsight.errors import NotFoundError
from kinsight.services.access import can_see
from kinsight.services.auth import Principal
from kinsight.specs import dataset_names, load_spec
from kinsight.web.deps import require
from kinsight.web.nav import NavItem
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Data dictionary", "/dictionary", Permission.DICTIONARY_VIEW, order=20),)


def _spec(dataset: str, year: str | None):  # type: ignore[no-untyped-def]
    if dataset not in dataset_names():
        raise NotFoundError(
            f"There is no dataset called {dataset}.", hint="The dictionary lists the datasets."
        )
    spec = load_spec(dataset)
    return spec.in_force(year) if year else spec


@router.get("/dictionary")
def dictionary_index(
    request: Request, principal: Principal = Depends(require(Permission.DICTIONARY_VIEW))
) -> Response:
    specs = [load_spec(name) for name in dataset_names()]
    return render(request, "pages/dictionary_index.html", {"title": "Data dictionary", "specs": specs})


@router.get("/dictionary/{dataset}")
def dictionary(
    request: Request,
    dataset: str,
    year: str | None = None,
    principal: Principal = Depends(require(Permission.DICTIONARY_VIEW)),
) -> Response:
    spec = _spec(dataset, year)
    return render(
        request,
        "pages/dictionary.html",
        {
            "title": f"Data dictionary: {spec.title}",
            "spec": spec,
            "year": year,
            "sees": lambda privacy: can_see(principal.role, privacy),
        },
    )
