"""``/api/v1/users`` and ``/api/v1/tokens``: accounts and API tokens, for administrators."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.roles import Permission, Role
from kinsight.services import accounts, tokens
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require

router = APIRouter(tags=["users"])


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=120)
    role: Role
    password: str | None = Field(default=None, max_length=1000, description="Omit for single sign-on only")
    display_name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)


@router.get("/users", summary="Accounts and their roles in this authority")
def list_users(
    request: Request, principal: Principal = Depends(require(Permission.USERS_VIEW))
) -> list[dict[str, Any]]:
    return [u.as_dict() for u in accounts.list_users(get_settings(request))]


@router.post("/users", status_code=201, summary="Create an account")
def create_user(
    request: Request, body: NewUser, principal: Principal = Depends(require(Permission.USERS_MANAGE))
) -> dict[str, Any]:
    return accounts.create_user(
        get_settings(request),
        body.username,
        role=body.role.value,
        password=body.password,
        display_name=body.display_name,
        email=body.email,
        actor=principal.username,
    ).as_dict()


@router.get("/tokens", summary="API tokens (never the token values)")
def list_tokens(
    request: Request, principal: Principal = Depends(require(Permission.TOKENS_MANAGE))
) -> list[dict[str, Any]]:
    return [t.as_dict() for t in tokens.list_tokens(get_settings(request))]
