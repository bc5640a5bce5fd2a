"""The practitioner view in the browser: find a child, read their history, review break-glass access.

- ``/search``: one box.  The search is sent by POST (with the CSRF token) so that names and dates of
  birth never appear in addresses, browser history or access logs.  With JavaScript on, htmx swaps
  the results in place; without it the form posts and the whole page comes back.
- ``/children/{child}``: the child's page.  Children on one's caseload (or opened with a reason in
  the last day) open at once; anyone else gets a form asking for the reason, with a break-glass
  option for emergencies.  The form posts the reason and the page comes back straight away.
- ``/practitioner/break-glass``: information governance marks each break-glass access justified or not.

Every decision and every record is made by ``kinsight.services.practitioner``; these handlers only
pick the template and say which field an error belongs to.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from kinsight.domain.roles import Permission
from kinsight.errors import KinsightError, PermissionDeniedError
from kinsight.services import practitioner
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.security import check_csrf
from kinsight.web.templating import render as render_page

router = APIRouter(include_in_schema=False)
NAV = (
    NavItem("Find a child", "/search", Permission.CHILD_SEARCH, order=5),
    NavItem("Break-glass review", "/practitioner/break-glass", Permission.AUDIT_VIEW, order=82),
)


def long_date(value: str | date | None) -> str:
    """An ISO date in words ("4 March 2023"): easier to read than 2023-03-04 or 04/03/2023."""
    if not value:
        return "not known"
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def render(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    return render_page(
        request,
        template,
        {**context, "long_date": long_date, "today_words": long_date(date.today())},
        status_code=status_code,
    )


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _field_of(error: KinsightError) -> str:
    """Which form field an error is about, so the message can sit next to it."""
    return "reason" if "reason" in error.message.lower() else "q"


def _caseload_size(request: Request, principal: Principal) -> int:
    view = practitioner.caseload_of(get_settings(request), principal, principal.username)
    return len(view.children)


def _search_context(request: Request, principal: Principal, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Find a child",
        "caseload_size": _caseload_size(request, principal),
        "q": "",
        "reason": "",
        "body": None,
        "error": None,
        "error_field": None,
        **extra,
    }


@router.get("/search")
def search_page(
    request: Request, principal: Principal = Depends(require(Permission.CHILD_SEARCH))
) -> Response:
    return render(request, "practitioner/search.html", _search_context(request, principal))


@router.post("/search")
def search_submit(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    q: Annotated[str, Form(max_length=300)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    principal: Principal = Depends(require(Permission.CHILD_SEARCH)),
) -> Response:
    check_csrf(request, csrf_token)
    status = 200
    context = _search_context(request, principal, q=q, reason=reason)
    try:
        context["body"] = practitioner.search(get_settings(request), principal, q, reason=reason or None)
    except KinsightError as error:
        if error.http_status >= 500:
            raise
        context.update(error=error, error_field=_field_of(error))
        status = error.http_status
    if _is_htmx(request):
        # htmx swaps only successful answers; the error is part of the fragment it swaps in
        return render(request, "practitioner/_results.html", context)
    return render(request, "practitioner/search.html", context, status_code=status)


def _reason_needed(error: PermissionDeniedError) -> bool:
    return "reason" in error.message.lower()


def _child_response(
    request: Request,
    principal: Principal,
    child: str,
    *,
    reason: str | None = None,
    break_glass: bool = False,
    show_score: bool = False,
) -> Response:
    settings = get_settings(request)
    try:
        page = practitioner.child_page(settings, principal, child, reason=reason, break_glass=break_glass)
    except PermissionDeniedError as error:
        if not _reason_needed(error):
            raise
        return _reason_form(request, child, error=error if reason is not None else None, status=403)
    except KinsightError as error:
        if error.http_status != 422:
            raise
        return _reason_form(request, child, error=error, status=422, reason=reason or "", glass=break_glass)
    explanation = practitioner.child_explanation(settings, page["child"], show_score=show_score)
    return render(
        request,
        "practitioner/child.html",
        {
            "title": page["name"] or f"Child {page['child']}",
            "page": page,
            "explanation": explanation,
            "hidden_labels": HIDDEN_LABELS,
        },
    )


HIDDEN_LABELS = {
    "forename": "First name",
    "surname": "Surname",
    "address": "Address",
    "postcode": "Postcode",
    "upn": "Unique pupil number (UPN)",
    "date_of_birth": "Date of birth",
}


def _reason_form(
    request: Request,
    child: str,
    *,
    error: KinsightError | None,
    status: int,
    reason: str = "",
    glass: bool = False,
) -> Response:
    return render(
        request,
        "practitioner/reason.html",
        {
            "title": "Why do you need this record?",
            "child": child.strip(),
            "error": error,
            "reason": reason,
            "glass": glass,
        },
        status_code=status,
    )


@router.get("/children/{child}")
def child_view(
    request: Request,
    child: str,
    score: str = "",
    principal: Principal = Depends(require(Permission.CHILD_VIEW)),
) -> Response:
    return _child_response(request, principal, child[:64], show_score=score == "show")


@router.post("/children/{child}")
def child_open(
    request: Request,
    child: str,
    csrf_token: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    break_glass: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Permission.CHILD_VIEW)),
) -> Response:
    check_csrf(request, csrf_token)
    return _child_response(request, principal, child[:64], reason=reason, break_glass=break_glass == "yes")


@router.get("/practitioner/break-glass")
def break_glass_review(
    request: Request, done: int | None = None, principal: Principal = Depends(require(Permission.AUDIT_VIEW))
) -> Response:
    return _review_page(request, principal, done=done)


def _review_page(
    request: Request,
    principal: Principal,
    *,
    done: int | None = None,
    error: KinsightError | None = None,
    status: int = 200,
) -> Response:
    every = practitioner.break_glass_queue(get_settings(request), principal, pending_only=False)
    return render(
        request,
        "practitioner/break_glass.html",
        {
            "title": "Break-glass review",
            "pending": [g for g in every if g["reviewed_at"] is None],
            "reviewed": [g for g in every if g["reviewed_at"] is not None],
            "done": done,
            "error": error,
        },
        status_code=status,
    )


@router.post("/practitioner/break-glass/{grant_id}")
def break_glass_decide(
    request: Request,
    grant_id: int,
    csrf_token: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=1000)] = "",
    principal: Principal = Depends(require(Permission.AUDIT_VIEW)),
) -> Response:
    check_csrf(request, csrf_token)
    try:
        practitioner.review_break_glass(
            get_settings(request), principal, grant_id, outcome=outcome, note=note
        )
    except KinsightError as error:
        if error.http_status != 422:
            raise
        return _review_page(request, principal, error=error, status=422)
    return RedirectResponse(f"/practitioner/break-glass?done={grant_id}", status_code=303)
