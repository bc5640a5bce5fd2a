"""Sign in (password or single sign-on), sign out, and the account page."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from kinsight.domain.audit import AuditAction
from kinsight.errors import AuthenticationError, KinsightError
from kinsight.services import accounts, audit
from kinsight.services.auth import OidcClient, Principal
from kinsight.web.deps import current_principal, get_settings, signed_in
from kinsight.web.security import check_csrf, end_session, start_session
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Only a path on this site, never another site (open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@router.get("/sign-in")
def sign_in_page(
    request: Request, next: str = "/", principal: Principal | None = Depends(current_principal)
) -> Response:
    timed_out = getattr(request.state, "timed_out", False)
    return render(
        request, "pages/sign_in.html", {"title": "Sign in", "next": safe_next(next), "timed_out": timed_out}
    )


@router.post("/sign-in")
def sign_in(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token)
    settings = get_settings(request)
    try:
        principal = accounts.sign_in(settings, username, password)
    except AuthenticationError as error:
        return render(
            request,
            "pages/sign_in.html",
            {"title": "Sign in", "next": safe_next(next), "error": error, "username": username[:120]},
        )
    start_session(request, principal.user_id)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/sign-out")
def sign_out(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    principal: Principal | None = Depends(current_principal),
) -> Response:
    check_csrf(request, csrf_token)
    if principal is not None:
        audit.record(
            get_settings(request),
            actor=principal.username,
            action=AuditAction.SIGN_OUT,
            target=principal.username,
        )
    end_session(request)
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/account")
def account(request: Request, principal: Principal = Depends(signed_in)) -> Response:
    return render(request, "pages/account.html", {"title": "Your account"})


def _oidc(request: Request) -> OidcClient:
    if request.app.state.oidc_client is None:
        request.app.state.oidc_client = OidcClient(
            get_settings(request), transport=getattr(request.app.state, "oidc_transport", None)
        )
    return request.app.state.oidc_client


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


@router.get("/sign-in/oidc")
def oidc_start(request: Request, next: str = "/") -> Response:
    start = _oidc(request).start(_callback_url(request))
    request.session["oidc"] = {"state": start.state, "nonce": start.nonce, "next": safe_next(next)}
    return RedirectResponse(start.url, status_code=303)


@router.get("/sign-in/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request, code: str = "", state: str = "") -> Response:
    pending = request.session.pop("oidc", None)
    settings = get_settings(request)
    try:
        if not pending or not code or state != pending.get("state"):
            raise AuthenticationError(
                "Single sign-on did not complete.", hint="Start again from the sign-in page."
            )
        claims = _oidc(request).finish(code=code, redirect_uri=_callback_url(request), nonce=pending["nonce"])
        principal = accounts.sign_in_oidc(settings, claims)
    except KinsightError as error:
        return render(
            request, "pages/sign_in.html", {"title": "Sign in", "next": "/", "error": error}, status_code=401
        )
    start_session(request, principal.user_id)
    return RedirectResponse(pending.get("next") or "/", status_code=303)
