"""``/api/v1/search`` and ``/api/v1/children/{child}/timeline``: the practitioner view for service clients.

A case-management system or a partner's portal calls these with a bearer token whose scopes include
``child.search`` (search) or ``child.view`` (timeline), made for a named Kinsight user: the user's role
decides which fields come back and their caseload decides which children, exactly as on the pages.
Every call is an audit record with its terms, the reason and ``via: token``.

Search terms are names and dates of birth: a client should not log the URLs it calls.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from kinsight.domain.roles import Permission
from kinsight.services import practitioner
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require

router = APIRouter(tags=["practitioner"])

REASON_HELP = (
    "Why you need this, recorded in the audit log (at least 10 characters).  Needed to search beyond the "
    "user's caseload and to open a child who is not on it."
)


@router.get(
    "/search",
    summary="Find children by name, date of birth, postcode or ID; each result says why it matched",
    responses={
        403: {
            "description": "The token's scopes or the user's role do not allow searching, the role may "
            "not search by a kind of term (e.g. names), or a reason is needed and was not given."
        },
        404: {"description": "No data has been loaded into Kinsight yet."},
        422: {"description": "Nothing to search for, or the reason is too short to be reviewed."},
    },
)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=300, description="What to search for")],
    reason: Annotated[str | None, Query(max_length=500, description=REASON_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Most results to return")] = 10,
    principal: Principal = Depends(require(Permission.CHILD_SEARCH)),
) -> dict[str, Any]:
    return practitioner.search(get_settings(request), principal, q, reason=reason, limit=limit)


@router.get(
    "/children/{child}/timeline",
    summary="A child's timeline in plain words, newest first, with sources and last contact per service",
    responses={
        403: {
            "description": "The token's scopes or the user's role do not allow viewing, or the child is "
            "not on the user's caseload and no reason was given."
        },
        404: {"description": "No child with this ID is held (or no data has been loaded yet)."},
        422: {"description": "The reason is too short to be reviewed."},
    },
)
def child_timeline(
    request: Request,
    child: Annotated[str, Path(min_length=1, max_length=64, description="The authority's child ID")],
    reason: Annotated[str | None, Query(max_length=500, description=REASON_HELP)] = None,
    principal: Principal = Depends(require(Permission.CHILD_VIEW)),
) -> dict[str, Any]:
    return practitioner.child_page(get_settings(request), principal, child, reason=reason)
