"""``/api/v1/evaluation`` and ``/api/v1/bias``: the demonstration model's evaluation and verdict, its
explanations (score hidden unless asked for), and the bias audit of a dataset table."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from kinsight.domain.roles import Permission
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require
from kinsight.web.pages.evaluation import bias_result, bias_tables, explanations, latest_evaluation, run_demo

router = APIRouter(tags=["evaluation"])

HIDDEN = ("files", "store_version")


def _public(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in HIDDEN}


@router.get(
    "/evaluation",
    summary="The last evaluation: overall and per-group metrics with intervals, gaps and the verdict",
    description="`available` is false until an analyst has run one (POST /api/v1/evaluation/demo).",
)
def latest(
    request: Request, principal: Principal = Depends(require(Permission.EVALUATION_VIEW))
) -> dict[str, Any]:
    result = latest_evaluation(get_settings(request))
    if result is None:
        return {"available": False, "reason": "No model has been evaluated yet."}
    return {"available": True, **_public(result)}


@router.post(
    "/evaluation/demo",
    summary="Train and evaluate the demonstration model on the synthetic authority",
    description="404: no 903 episodes or header held.",
)
def demo(
    request: Request, principal: Principal = Depends(require(Permission.EVALUATION_RUN))
) -> dict[str, Any]:
    return {"available": True, **_public(run_demo(get_settings(request)))}


@router.get(
    "/evaluation/explanations",
    summary="The factors behind the model's outputs in plain words; the score only with show_score=true",
)
def explain(
    request: Request,
    show_score: bool = False,
    principal: Principal = Depends(require(Permission.EVALUATION_VIEW)),
) -> dict[str, Any]:
    found = explanations(
        get_settings(request),
        show_score=show_score,
        identify=is_allowed(principal, Permission.EVALUATION_RUN),
    )
    if found is None:
        return {"available": False, "reason": "The demonstration model has not been trained."}
    return {"available": True, **found}


@router.get(
    "/bias",
    summary="Bias audit of a dataset table: representation, missingness by group, likely proxies",
    description="Without `table`, lists the tables that can be audited. 422: not a table held, or it "
    "carries no protected characteristic; 404: no rows for that year.",
)
def bias_audit(
    request: Request,
    table: str | None = None,
    year: str | None = None,
    principal: Principal = Depends(require(Permission.EVALUATION_VIEW)),
) -> dict[str, Any]:
    settings = get_settings(request)
    if not table:
        return {"tables": bias_tables(settings)}
    return bias_result(settings, table, year or None)
