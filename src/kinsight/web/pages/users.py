"""Users and roles: the accounts (administrators), and the role x permission matrix (everyone)."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from kinsight.domain.roles import Permission, Role, load_matrix
from kinsight.errors import KinsightError
from kinsight.services import accounts
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.security import check_csrf
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (
    NavItem("Users", "/users", Permission.USERS_VIEW, order=90),
    NavItem("Roles", "/roles", Permission.ROLES_VIEW, order=95),
)


@router.get("/roles")
def roles(request: Request, principal: Principal = Depends(require(Permission.ROLES_VIEW))) -> Response:
    return render(request, "pages/roles.html", {"title": "Roles and permissions", "matrix": load_matrix()})


def _users_page(request: Request, principal: Principal, **extra: object) -> Response:
    return render(
        request,
        "pages/users.html",
        {
            "title": "Users and roles",
            "users": accounts.list_users(get_settings(request)),
            "matrix": load_matrix(),
            "roles": list(Role),
            "can_manage": is_allowed(principal, Permission.USERS_MANAGE),
            **extra,
        },
        status_code=422 if extra.get("error") else 200,
    )


@router.get("/users")
def users(request: Request, principal: Principal = Depends(require(Permission.USERS_VIEW))) -> Response:
    return _users_page(request, principal)


@router.post("/users")
def create_user(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Permission.USERS_MANAGE)),
) -> Response:
    check_csrf(request, csrf_token)
    try:
        accounts.create_user(
            get_settings(request),
            username,
            role=role,
            password=password,
            display_name=display_name or None,
            actor=principal.username,
        )
    except KinsightError as error:
        return _users_page(request, principal, error=error)
    return RedirectResponse("/users", status_code=303)
