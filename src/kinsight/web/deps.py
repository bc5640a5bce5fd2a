"""Reusable dependencies: the settings, the person asking, and ``require(permission)``.

``require`` is the only way a route checks a permission.  It records the decision in the audit log
(allowed and refused alike).  Without credentials it raises ``AuthenticationError``: the API answers
401 in the one JSON error shape; pages redirect to sign-in.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request

from kinsight.domain.roles import Permission
from kinsight.errors import AuthenticationError
from kinsight.services import access, accounts, tokens
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.web.security import CSRF_HEADER, check_csrf, session_user

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def current_principal(request: Request) -> Principal | None:
    """The bearer token's principal, else the session's; cached on the request."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    settings = get_settings(request)
    principal: Principal | None = None
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthenticationError(
                "Use an Authorization: Bearer token.", hint="kinsight token create makes one."
            )
        principal = tokens.authenticate(settings, value.strip())
    else:
        user_id, timed_out = session_user(request, settings.session_timeout_minutes)
        request.state.timed_out = timed_out
        if user_id is not None:
            principal = accounts.principal_for(settings, user_id)
    request.state.principal = principal
    return principal


async def signed_in(request: Request, principal: Principal | None = Depends(current_principal)) -> Principal:
    """The signed-in principal, or 401.  ``async`` on purpose: it does no I/O, and a sync dependency
    costs every request a hop to the thread pool and back (several milliseconds under load)."""
    if principal is None:
        timed_out = getattr(request.state, "timed_out", False)
        raise AuthenticationError(
            "Your session timed out." if timed_out else "Sign in to see this.",
            hint="Sign in again."
            if timed_out
            else "Sign in with your Kinsight account, or send an API token.",
        )
    if (
        principal.via == "session"
        and request.method not in SAFE_METHODS
        and request.url.path.startswith("/api/")
    ):
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return principal


def require(permission: Permission) -> Callable[..., Principal]:
    """A dependency that lets the request through only when the person holds ``permission``."""

    def dependency(request: Request, principal: Principal = Depends(signed_in)) -> Principal:
        access.require(
            get_settings(request), principal, permission, target=f"{request.method} {request.url.path}"
        )
        return principal

    dependency.__name__ = f"require_{permission.value.replace('.', '_')}"
    return dependency
