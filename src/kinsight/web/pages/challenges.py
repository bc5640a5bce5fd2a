"""Challenge and feedback pages.

``/challenge`` is the public form (no sign-in, optionally anonymous) every output page links to with
``?output=<reference>``; ``/challenge/status`` lets anyone check a challenge by its reference.  Signed-in
people see their own challenges at ``/challenges``; those who manage challenges see all of them and move
them through triage, response and resolution.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from kinsight.domain.roles import Permission
from kinsight.errors import KinsightError, NotFoundError
from kinsight.services import challenges
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.web.deps import current_principal, get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.security import check_csrf
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Challenges", "/challenges", Permission.CHALLENGE_RAISE, order=60),)


@router.get("/challenge")
def challenge_form(
    request: Request, output: str = "", principal: Principal | None = Depends(current_principal)
) -> Response:
    return render(
        request,
        "pages/challenge_form.html",
        {"title": "Challenge a result", "output": output[:400], "kinds": list(challenges.ChallengeKind)},
    )


@router.post("/challenge")
def challenge_submit(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    output: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "concern",
    summary: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    anonymous: Annotated[str, Form()] = "",
    principal: Principal | None = Depends(current_principal),
) -> Response:
    check_csrf(request, csrf_token)
    try:
        view = challenges.create(
            get_settings(request),
            output_ref=output or "/",
            summary=summary,
            kind=kind,
            principal=principal,
            name=name,
            contact=contact,
            anonymous=anonymous == "yes",
        )
    except KinsightError as error:
        return render(
            request,
            "pages/challenge_form.html",
            {
                "title": "Challenge a result",
                "output": output[:400],
                "kinds": list(challenges.ChallengeKind),
                "error": error,
                "summary": summary,
                "name": name,
                "contact": contact,
            },
            status_code=422,
        )
    return render(request, "pages/challenge_done.html", {"title": "Challenge received", "challenge": view})


@router.get("/challenge/status")
def challenge_status(
    request: Request, reference: str = "", principal: Principal | None = Depends(current_principal)
) -> Response:
    view, error = None, None
    if reference:
        try:
            view = challenges.get(get_settings(request), reference)
        except NotFoundError as missing:
            error = missing
    return render(
        request,
        "pages/challenge_status.html",
        {"title": "Check a challenge", "challenge": view, "error": error, "reference": reference[:20]},
    )


@router.get("/challenges")
def challenge_list(
    request: Request,
    status: str | None = None,
    principal: Principal = Depends(require(Permission.CHALLENGE_RAISE)),
) -> Response:
    items = challenges.list_for(get_settings(request), principal, status=status or None)
    return render(
        request,
        "pages/challenges.html",
        {
            "title": "Challenges",
            "items": items,
            "manages": is_allowed(principal, Permission.CHALLENGE_MANAGE),
            "statuses": list(challenges.ChallengeStatus),
            "status": status,
        },
    )


@router.get("/challenges/{reference}")
def challenge_detail(
    request: Request, reference: str, principal: Principal = Depends(require(Permission.CHALLENGE_MANAGE))
) -> Response:
    view = challenges.get(get_settings(request), reference)
    return render(
        request,
        "pages/challenge_detail.html",
        {
            "title": f"Challenge {view.reference}",
            "challenge": view,
            "next_statuses": challenges.NEXT[view.status],
        },
    )


@router.post("/challenges/{reference}")
def challenge_update(
    request: Request,
    reference: str,
    csrf_token: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Permission.CHALLENGE_MANAGE)),
) -> Response:
    check_csrf(request, csrf_token)
    try:
        challenges.update(get_settings(request), principal, reference, status=status, note=note)
    except KinsightError as error:
        view = challenges.get(get_settings(request), reference)
        return render(
            request,
            "pages/challenge_detail.html",
            {
                "title": f"Challenge {view.reference}",
                "challenge": view,
                "error": error,
                "next_statuses": challenges.NEXT[view.status],
            },
            status_code=422,
        )
    return RedirectResponse(f"/challenges/{reference}", status_code=303)
