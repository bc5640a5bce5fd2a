"""One error shape: ``{"error": {"code", "message", "hint"?}}`` for the API, a plain page otherwise."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from kinsight.errors import (
    AuthenticationError,
    KinsightError,
    NotFoundError,
    PermissionDeniedError,
    UsageError,
)
from kinsight.web.templating import render

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    hint: str | None = None
    details: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


def _described(text: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": text}


#: Documented on every API operation.
API_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _described("No valid credentials: sign in or send a bearer token."),
    403: _described("Signed in, but your role or token scopes do not allow this."),
    404: _described("Not found."),
    409: _described("The request clashes with the current state (for example a duplicate name)."),
    422: _described("The request is not valid."),
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page_for(request: Request, error: KinsightError, status: int) -> Response:
    if isinstance(error, AuthenticationError):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)
    return render(request, "pages/error.html", {"error": error, "status": status}, status_code=status)


def _respond(request: Request, error: KinsightError, status: int) -> Response:
    if _is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error.to_dict(), status_code=status, headers=headers)
    return _page_for(request, error, status)


def install(app: FastAPI) -> None:
    @app.exception_handler(KinsightError)
    async def kinsight_error(request: Request, error: KinsightError) -> Response:
        return _respond(request, error, error.http_status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        status = error.status_code
        if status == 404:
            wrapped: KinsightError = NotFoundError(
                "There is no page here.", hint="Check the address, or go to the home page."
            )
        elif status == 401:
            wrapped = AuthenticationError("Sign in to see this.")
        elif status == 403:
            wrapped = PermissionDeniedError("You cannot do this.")
        else:
            wrapped = KinsightError(str(error.detail))
            wrapped.code = "http_error"  # type: ignore[misc]
        return _respond(request, wrapped, status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))}
            for e in error.errors()
        ]
        wrapped = UsageError(
            "The request is not valid: " + "; ".join(f"{p['where']}: {p['problem']}" for p in problems[:5]),
            hint="Check the fields named against the API documentation at /docs.",
            details={"errors": problems},
        )
        return _respond(request, wrapped, 422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        wrapped = KinsightError(
            "Something went wrong on our side.",
            hint="Try again; if it happens again, tell your administrator.",
        )
        wrapped.code = "internal_error"  # type: ignore[misc]
        if _is_api(request):
            return JSONResponse(wrapped.to_dict(), status_code=500)
        return render(request, "pages/error.html", {"error": wrapped, "status": 500}, status_code=500)
