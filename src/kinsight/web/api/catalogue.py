"""``/api/v1/catalogue``: the dataset catalogue as JSON."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from kinsight.domain.roles import Permission
from kinsight.services.auth import Principal
from kinsight.web.data import catalogue_json
from kinsight.web.deps import get_settings, require

router = APIRouter(tags=["catalogue"])


@router.get(
    "/catalogue",
    summary="Every dataset table and year held, with rows and field completeness",
    response_model=list[dict[str, Any]],
)
def catalogue(
    request: Request, principal: Principal = Depends(require(Permission.CATALOGUE_VIEW))
) -> Response:
    return Response(catalogue_json(get_settings(request)), media_type="application/json")
