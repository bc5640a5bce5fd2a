"""Local accounts: create, list, sign in (argon2, throttled, audited), demo accounts, OIDC matching."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from kinsight.domain.audit import AuditAction, Outcome
from kinsight.domain.roles import Role
from kinsight.errors import AuthenticationError, ConflictError, NotFoundError, UsageError
from kinsight.services import audit
from kinsight.services.auth import Principal, check_password_strength, hash_password, verify_password
from kinsight.settings import Settings
from kinsight.storage import platform_repo as repo
from kinsight.storage.models_platform import User

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)

#: Demo accounts for ``kinsight serve --demo``: one per role, fixed passwords, synthetic data only.
DEMO_PASSWORD_SUFFIX = "-demo-only-pass"


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    role: Role | None
    active: bool
    email: str | None
    has_password: bool
    single_sign_on: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value if self.role else None,
            "active": self.active,
            "email": self.email,
            "has_password": self.has_password,
            "single_sign_on": self.single_sign_on,
        }


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as error:
        raise UsageError(
            f"Unknown role {value!r}.", hint="Roles: " + ", ".join(r.value for r in Role)
        ) from error


def create_user(
    settings: Settings,
    username: str,
    *,
    role: str,
    password: str | None,
    display_name: str | None = None,
    email: str | None = None,
    surname: str | None = None,
    address: str | None = None,
    actor: str = "cli",
) -> UserView:
    """Create an account with a role in this authority.  ``password=None`` means single sign-on only."""
    name = username.strip()
    if not name or len(name) > 120 or any(c.isspace() for c in name):
        raise UsageError(
            "A user name must be one word of at most 120 characters.", hint="For example: j.smith"
        )
    chosen = _role(role)
    if password is not None:
        check_password_strength(password, username=name)
    try:
        with repo.session(settings.app_database_url) as s:
            if repo.user_by_username(s, name) is not None:
                raise ConflictError(f"There is already a user called {name}.", hint="Choose another name.")
            user = User(
                username=name,
                display_name=display_name or name,
                email=email,
                surname=surname,
                address=address,
                password_hash=hash_password(password) if password is not None else None,
                active=True,
                created_at=audit.now_utc(),
            )
            s.add(user)
            s.flush()
            repo.set_role(s, user.id, settings.la_code, chosen.value)
    except IntegrityError as error:
        raise ConflictError(f"There is already a user called {name}.", hint="Choose another name.") from error
    audit.record(
        settings,
        actor=actor,
        action=AuditAction.USER_CREATE,
        target=name,
        details={"role": chosen.value, "la_code": settings.la_code},
    )
    return UserView(name, user.display_name, chosen, True, email, password is not None, False)


def set_role(settings: Settings, username: str, role: str, *, actor: str) -> None:
    chosen = _role(role)
    with repo.session(settings.app_database_url) as s:
        user = repo.user_by_username(s, username)
        if user is None:
            raise NotFoundError(
                f"No user called {username}.", hint="`kinsight user list` shows the accounts."
            )
        repo.set_role(s, user.id, settings.la_code, chosen.value)
    forget_principals()
    audit.record(
        settings, actor=actor, action=AuditAction.USER_CHANGE, target=username, details={"role": chosen.value}
    )


def list_users(settings: Settings) -> list[UserView]:
    with repo.session(settings.app_database_url) as s:
        rows = repo.users_with_roles(s, settings.la_code)
        return [
            UserView(
                u.username,
                u.display_name,
                Role(r) if r else None,
                u.active,
                u.email,
                u.password_hash is not None,
                u.oidc_subject is not None,
            )
            for u, r in rows
        ]


#: How long a signed-in person's account and role are remembered between requests, in seconds.
PRINCIPAL_TTL_SECONDS = 5.0
_PRINCIPALS: dict[tuple[str, str, int, str], tuple[float, Any, Principal]] = {}
_PRINCIPALS_GUARD = threading.Lock()


def forget_principals() -> None:
    """Drop remembered principals, so a role change made in this process applies to the next request."""
    with _PRINCIPALS_GUARD:
        _PRINCIPALS.clear()


def principal_for(settings: Settings, user_id: int, *, via: str = "session") -> Principal | None:
    """The person behind a session, read from the database at most every few seconds.

    A browsing person sends several requests a second; reading their account and role once per
    ``PRINCIPAL_TTL_SECONDS`` instead of per request keeps pages fast, and a deactivation or role
    change still applies within those seconds (at once for changes made through this process).
    Only found, active accounts are remembered.  An entry belongs to the database engine it was read
    through, so a database that is dropped and recreated at the same URL is never answered from memory.
    """
    url = settings.app_database_url
    key = (url, settings.la_code, int(user_id), via)
    eng = repo.engine(url)
    now = time.monotonic()
    with _PRINCIPALS_GUARD:
        hit = _PRINCIPALS.get(key)
    if hit is not None and hit[0] > now and hit[1] is eng:
        return hit[2]
    with repo.session(url) as s:
        user = s.get(User, user_id)
        if user is None or not user.active:
            return None
        role = repo.role_of(s, user.id, settings.la_code)
        if role is None:
            return None
        principal = Principal(
            user.id, user.username, user.display_name, Role(role), settings.la_code, via=via
        )
    with _PRINCIPALS_GUARD:
        if len(_PRINCIPALS) > 10_000:  # bounded: stale entries of people who left are dropped
            _PRINCIPALS.clear()
        _PRINCIPALS[key] = (now + PRINCIPAL_TTL_SECONDS, eng, principal)
    return principal


def sign_in(settings: Settings, username: str, password: str) -> Principal:
    """Check a password.  Five failures for one account within 15 minutes refuse further attempts for a while.

    Every attempt is audited (target = the user name typed); the message never says which part was wrong.
    """
    url = settings.app_database_url
    name = username.strip()[:120]
    now = audit.now_utc()
    with repo.session(url) as s:
        failures = repo.count_actions(
            s, action=AuditAction.SIGN_IN, target=name, outcome=Outcome.REFUSED, since=now - FAILURE_WINDOW
        )
        user = repo.user_by_username(s, name)
        role = repo.role_of(s, user.id, settings.la_code) if user else None
    if failures >= MAX_FAILURES:
        audit.record(
            settings,
            actor=name,
            action=AuditAction.SIGN_IN,
            target=name,
            outcome=Outcome.REFUSED,
            details={"reason": "throttled"},
        )
        raise AuthenticationError(
            "There have been too many failed attempts to sign in to this account.",
            hint="Wait 15 minutes and try again, or ask your administrator to check the account.",
        )
    good = verify_password(user.password_hash if user else None, password)
    if not good or user is None or not user.active or role is None:
        reason = (
            "bad_credentials" if not good or user is None else ("inactive" if not user.active else "no_role")
        )
        audit.record(
            settings,
            actor=name,
            action=AuditAction.SIGN_IN,
            target=name,
            outcome=Outcome.REFUSED,
            details={"reason": reason, "method": "password"},
        )
        raise AuthenticationError(
            "The user name or password is not right.",
            hint="Check both and try again. After 5 failed attempts the account is locked for 15 minutes.",
        )
    audit.record(
        settings, actor=name, action=AuditAction.SIGN_IN, target=name, details={"method": "password"}
    )
    return Principal(user.id, user.username, user.display_name, Role(role), settings.la_code)


def sign_in_oidc(settings: Settings, claims: dict[str, Any]) -> Principal:
    """Match verified ID-token claims to an existing account (by subject, then by email) and sign in."""
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or claims.get("preferred_username") or "")
    with repo.session(settings.app_database_url) as s:
        user = repo.user_by_oidc(s, subject) if subject else None
        if user is None and email:
            user = repo.user_by_email(s, email)
            if user is not None and user.oidc_subject is None:
                user.oidc_subject = subject
        role = repo.role_of(s, user.id, settings.la_code) if user else None
        active = bool(user and user.active)
    label = email or subject
    if user is None or role is None or not active:
        audit.record(
            settings,
            actor=label,
            action=AuditAction.SIGN_IN,
            target=label,
            outcome=Outcome.REFUSED,
            details={"reason": "no_account", "method": "oidc"},
        )
        raise AuthenticationError(
            "Your organisation account is not set up in Kinsight.",
            hint="Ask your Kinsight administrator to create an account with your work email address.",
        )
    audit.record(
        settings,
        actor=user.username,
        action=AuditAction.SIGN_IN,
        target=user.username,
        details={"method": "oidc"},
    )
    return Principal(user.id, user.username, user.display_name, Role(role), settings.la_code)


def demo_accounts() -> list[tuple[str, Role, str]]:
    """(user name, role, password) of the demo accounts: fixed, published, for synthetic data only."""
    return [
        (f"demo-{r.value.replace('_', '-')}", r, f"{r.value.replace('_', '-')}{DEMO_PASSWORD_SUFFIX}")
        for r in Role
    ]


def ensure_demo_accounts(settings: Settings) -> list[tuple[str, Role, str]]:
    """Create any missing demo account; existing ones are left as they are."""
    existing = {u.username for u in list_users(settings)}
    for username, role, password in demo_accounts():
        if username not in existing:
            create_user(
                settings,
                username,
                role=role.value,
                password=password,
                display_name=f"Demo {role.value.replace('_', ' ')}",
                actor="demo-setup",
            )
    return demo_accounts()


def prepare_database(settings: Settings) -> None:
    """Create or migrate the app database to the newest schema (run on every start of the app)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    repo.migrate(settings.app_database_url)
