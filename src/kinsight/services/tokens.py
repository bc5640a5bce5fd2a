"""API tokens for service clients: shown once, stored only as a sha256 hash, scoped, expiring, revocable.

A token reads ``kns_<id>_<secret>``.  The id finds the row; the secret is compared by hash in
constant time.  A token's permissions are its scopes, and never more than its user's role allows.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kinsight.domain.audit import AuditAction
from kinsight.domain.roles import Permission, Role
from kinsight.errors import AuthenticationError, NotFoundError, UsageError
from kinsight.services import audit
from kinsight.services.access import role_allows
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.storage import platform_repo as repo
from kinsight.storage.models_platform import ApiToken, User

PREFIX = "kns_"
MAX_DAYS = 366


@dataclass(frozen=True)
class IssuedToken:
    token_id: str
    token: str
    username: str
    scopes: tuple[str, ...]
    expires_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.token_id,
            "token": self.token,
            "user": self.username,
            "scopes": list(self.scopes),
            "expires_at": self.expires_at,
        }


@dataclass(frozen=True)
class TokenView:
    token_id: str
    username: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.token_id,
            "user": self.username,
            "scopes": list(self.scopes),
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
        }


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(text: str | list[str]) -> tuple[Permission, ...]:
    items = text if isinstance(text, list) else text.split(",")
    scopes: list[Permission] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            scopes.append(Permission(item))
        except ValueError as error:
            raise UsageError(
                f"Unknown scope {item!r}.",
                hint="Scopes are permission names: " + ", ".join(p.value for p in Permission),
            ) from error
    if not scopes:
        raise UsageError(
            "Give at least one scope.", hint="For example: --scope catalogue.view,dictionary.view"
        )
    return tuple(dict.fromkeys(scopes))


def create(
    settings: Settings, username: str, scopes: str | list[str], *, days: int = 90, actor: str = "cli"
) -> IssuedToken:
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(
            f"--days must be between 1 and {MAX_DAYS}.", hint="Tokens must expire; renew them yearly."
        )
    wanted = parse_scopes(scopes)
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    now = audit.now_utc()
    with repo.session(settings.app_database_url) as s:
        user = repo.user_by_username(s, username)
        if user is None:
            raise NotFoundError(
                f"No user called {username}.", hint="Create the account first: kinsight user create"
            )
        role = repo.role_of(s, user.id, settings.la_code)
        beyond = [p.value for p in wanted if role is None or not role_allows(Role(role), p, settings.la_code)]
        if beyond:
            raise UsageError(
                f"{username}'s role does not allow: {', '.join(beyond)}.",
                hint="A token can only carry permissions its user already has.",
            )
        s.add(
            ApiToken(
                id=token_id,
                user_id=user.id,
                token_hash=_digest(secret),
                scopes=",".join(wanted),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
    audit.record(
        settings,
        actor=actor,
        action=AuditAction.TOKEN_CREATE,
        target=token_id,
        details={"user": username, "scopes": list(wanted), "days": days},
    )
    return IssuedToken(
        token_id, f"{PREFIX}{token_id}_{secret}", username, tuple(wanted), now + timedelta(days=days)
    )


def revoke(settings: Settings, token_id: str, *, actor: str = "cli") -> TokenView:
    tid = token_id.removeprefix(PREFIX).split("_")[0]
    with repo.session(settings.app_database_url) as s:
        token = repo.token_by_id(s, tid)
        if token is None:
            raise NotFoundError(
                f"No token with id {tid}.", hint="The id is the part after kns_ and before the next _."
            )
        if token.revoked_at is None:
            token.revoked_at = audit.now_utc()
        user = s.get(User, token.user_id)
        view = TokenView(
            token.id,
            user.username if user else "?",
            tuple(token.scopes.split(",")),
            token.created_at,
            token.expires_at,
            token.revoked_at,
        )
    audit.record(settings, actor=actor, action=AuditAction.TOKEN_REVOKE, target=tid)
    return view


def list_tokens(settings: Settings) -> list[TokenView]:
    with repo.session(settings.app_database_url) as s:
        users = {u.id: u.username for u, _ in repo.users_with_roles(s, settings.la_code)}
        return [
            TokenView(
                t.id,
                users.get(t.user_id, "?"),
                tuple(t.scopes.split(",")),
                t.created_at,
                t.expires_at,
                t.revoked_at,
            )
            for t in repo.tokens_of(s)
        ]


def authenticate(settings: Settings, presented: str) -> Principal:
    """The principal of a bearer token, or ``AuthenticationError`` (unknown, wrong, expired or revoked)."""
    refused = AuthenticationError(
        "The API token is not valid.", hint="Check it, or ask for a new one: kinsight token create"
    )
    if not presented.startswith(PREFIX) or presented.count("_") < 2:
        raise refused
    token_id, secret = presented[len(PREFIX) :].split("_", 1)
    with repo.session(settings.app_database_url) as s:
        token = repo.token_by_id(s, token_id)
        if token is None or not hmac.compare_digest(token.token_hash, _digest(secret)):
            raise refused
        if token.revoked_at is not None or token.expires_at <= audit.now_utc():
            raise AuthenticationError("The API token has expired or was revoked.", hint="Ask for a new one.")
        user = s.get(User, token.user_id)
        role = repo.role_of(s, token.user_id, settings.la_code) if user else None
        if user is None or not user.active or role is None:
            raise refused
        scopes = frozenset(Permission(p) for p in token.scopes.split(",") if p)
        return Principal(
            user.id,
            user.username,
            user.display_name,
            Role(role),
            settings.la_code,
            via="token",
            scopes=scopes,
        )
