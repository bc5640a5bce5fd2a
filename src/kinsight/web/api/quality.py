"""``/api/v1/quality``: the last data-quality audit, its findings page by page, and running a new one."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.roles import Permission
from kinsight.services import quality
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require
from kinsight.web.pages.quality import SEVERITIES, findings_page, latest_run, run_audit

router = APIRouter(tags=["quality"])

HIDDEN = ("charts", "outcomes")


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: str | None = Field(
        default=None, max_length=7, description="Only this collection year, e.g. 2024-25"
    )
    dataset: str | None = Field(
        default=None, max_length=40, description="Only this dataset: ssda903 or cin_census"
    )


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in run.items() if k not in HIDDEN}


@router.get(
    "/quality",
    summary="The last audit run here: scores, counts by rule and severity, rules run, skipped and failed",
    description="`available` is false until an audit has run; `latest_scores` holds the newest score per "
    "dataset and year from any run (web or `kinsight quality`). `stale` says data changed since.",
)
def latest(
    request: Request, principal: Principal = Depends(require(Permission.QUALITY_VIEW))
) -> dict[str, Any]:
    settings = get_settings(request)
    run = latest_run(settings)
    scores = quality.latest_scores(settings)
    if run is None:
        return {"available": False, "latest_scores": scores}
    return {"available": True, **_summary(run), "latest_scores": scores}


@router.get("/quality/findings", summary="The last audit's findings, filtered and a page at a time")
def findings(
    request: Request,
    rule: str | None = None,
    severity: str | None = Query(default=None, description="error, query or warning"),
    year: str | None = None,
    dataset: str | None = None,
    offset: int = Query(default=0, ge=0, le=100_000_000),
    limit: int = Query(default=100, ge=1, le=1000),
    principal: Principal = Depends(require(Permission.QUALITY_VIEW)),
) -> dict[str, Any]:
    return findings_page(
        get_settings(request),
        rule=rule or None,
        severity=severity if severity in SEVERITIES else None,
        year=year or None,
        dataset=dataset or None,
        offset=offset,
        limit=limit,
    )


@router.post(
    "/quality/run",
    summary="Run the audit now (every year held, or one) and keep its result",
    description="404: no data loaded (or none for that year); 422: the year is not a collection year.",
)
def run(
    request: Request, body: RunRequest, principal: Principal = Depends(require(Permission.QUALITY_RUN))
) -> dict[str, Any]:
    return _summary(run_audit(get_settings(request), year=body.year, dataset=body.dataset))
