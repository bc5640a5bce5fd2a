"""``/api/v1/dictionary``: the data dictionary generated from the specs, with field-level visibility."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from kinsight.domain.roles import Permission
from kinsight.errors import NotFoundError
from kinsight.services.access import can_see
from kinsight.services.auth import Principal
from kinsight.specs import dataset_names, load_spec
from kinsight.web.deps import require

router = APIRouter(tags=["dictionary"])


@router.get("/dictionary", summary="The datasets described by the dictionary")
def datasets(principal: Principal = Depends(require(Permission.DICTIONARY_VIEW))) -> list[dict[str, str]]:
    return [
        {"name": s.name, "title": s.title, "description": s.description}
        for s in map(load_spec, dataset_names())
    ]


@router.get(
    "/dictionary/{dataset}", summary="Tables and fields of one dataset (optionally as in force in a year)"
)
def dictionary(
    dataset: str,
    year: str | None = Query(
        default=None, pattern=r"^\d{4}-\d{2}$", description="Collection year, e.g. 2024-25"
    ),
    principal: Principal = Depends(require(Permission.DICTIONARY_VIEW)),
) -> dict[str, Any]:
    if dataset not in dataset_names():
        raise NotFoundError(
            f"There is no dataset called {dataset}.", hint="GET /api/v1/dictionary lists them."
        )
    spec = load_spec(dataset)
    if year:
        spec = spec.in_force(year)
    return {
        "name": spec.name,
        "title": spec.title,
        "year": year,
        "tables": [
            {
                "name": name,
                "description": table.description,
                "fields": [
                    {
                        "name": f.name,
                        "type": str(f.type),
                        "required": f.required,
                        "codeset": f.codeset,
                        "privacy": str(f.privacy),
                        "description": f.description,
                        "valid_from": f.valid_from,
                        "valid_to": f.valid_to,
                        "visible_to_you": can_see(principal.role, f.privacy),
                    }
                    for f in table.fields.values()
                ],
            }
            for name, table in spec.tables.items()
        ],
    }
