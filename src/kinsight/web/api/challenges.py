"""``/api/v1/challenges``: raise, list, read and move on challenges."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.roles import Permission
from kinsight.errors import NotFoundError
from kinsight.services import challenges
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require

router = APIRouter(tags=["challenges"])


class NewChallenge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    output_ref: str = Field(min_length=1, max_length=400, description="The page path or output id challenged")
    summary: str = Field(min_length=1, max_length=challenges.MAX_SUMMARY)
    kind: challenges.ChallengeKind = challenges.ChallengeKind.CONCERN
    anonymous: bool = False


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: challenges.ChallengeStatus
    note: str | None = Field(default=None, max_length=challenges.MAX_SUMMARY)


@router.get("/challenges", summary="Challenges: all of them if you manage challenges, else your own")
def list_challenges(
    request: Request,
    status: challenges.ChallengeStatus | None = None,
    principal: Principal = Depends(require(Permission.CHALLENGE_RAISE)),
) -> list[dict[str, Any]]:
    return [c.as_dict() for c in challenges.list_for(get_settings(request), principal, status=status)]


@router.post("/challenges", status_code=201, summary="Raise a challenge about an output")
def raise_challenge(
    request: Request, body: NewChallenge, principal: Principal = Depends(require(Permission.CHALLENGE_RAISE))
) -> dict[str, Any]:
    view = challenges.create(
        get_settings(request),
        output_ref=body.output_ref,
        summary=body.summary,
        kind=body.kind,
        principal=principal,
        anonymous=body.anonymous,
    )
    return view.as_dict()


@router.get("/challenges/{reference}", summary="One challenge and its history")
def get_challenge(
    request: Request, reference: str, principal: Principal = Depends(require(Permission.CHALLENGE_RAISE))
) -> dict[str, Any]:
    settings = get_settings(request)
    if not is_allowed(principal, Permission.CHALLENGE_MANAGE):
        own = {c.reference for c in challenges.list_for(settings, principal)}
        if reference.strip().upper() not in own:
            raise NotFoundError(
                "There is no challenge of yours with that reference.", hint="GET /api/v1/challenges"
            )
    return challenges.get(settings, reference).as_dict()


@router.post("/challenges/{reference}/status", summary="Move a challenge to triage, response or resolution")
def change_status(
    request: Request,
    reference: str,
    body: StatusChange,
    principal: Principal = Depends(require(Permission.CHALLENGE_MANAGE)),
) -> dict[str, Any]:
    return challenges.update(
        get_settings(request), principal, reference, status=body.status, note=body.note
    ).as_dict()


@router.get("/challenges-counts", summary="How many challenges are at each status (for monitoring)")
def counts(
    request: Request, principal: Principal = Depends(require(Permission.MONITORING_VIEW))
) -> dict[str, int]:
    return challenges.counts(get_settings(request))
