"""Accounts: argon2 hashes, password policy, sign-in audit records and throttling."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from kinsight.domain.roles import Role
from kinsight.errors import AuthenticationError, ConflictError, UsageError
from kinsight.services import accounts, audit
from kinsight.settings import Settings
from kinsight.storage.appdb import engine_for

GOOD = "paper lantern orbit 42"


def _sign_ins(settings: Settings) -> list[tuple[str, str, str]]:
    rows = audit.recent(settings, limit=100, action="auth.sign_in")
    return [(r.target, r.outcome, r.details.get("reason", "")) for r in reversed(rows)]


def test_password_is_stored_as_argon2_hash(app_settings: Settings) -> None:
    accounts.create_user(app_settings, "ann", role="analyst", password=GOOD)
    with engine_for(app_settings.app_database_url).connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users WHERE username = 'ann'")).scalar_one()
    assert stored.startswith("$argon2id$") and GOOD not in stored
    assert PasswordHasher().verify(stored, GOOD)


@pytest.mark.parametrize(
    "password", ["", "   ", "short", "password123", "aaaaaaaaaaaaaaa", "my-ann-password-x"]
)
def test_weak_passwords_are_refused(sqlite_settings: Settings, password: str) -> None:
    with pytest.raises(UsageError):
        accounts.create_user(sqlite_settings, "ann", role="analyst", password=password)


def test_unknown_role_and_duplicate_name_are_refused(sqlite_settings: Settings) -> None:
    with pytest.raises(UsageError):
        accounts.create_user(sqlite_settings, "ann", role="wizard", password=GOOD)
    accounts.create_user(sqlite_settings, "ann", role="analyst", password=GOOD)
    with pytest.raises(ConflictError):
        accounts.create_user(sqlite_settings, "ann", role="analyst", password=GOOD)


def test_sign_in_success_and_failure_are_audited(app_settings: Settings) -> None:
    accounts.create_user(app_settings, "ann", role="team_manager", password=GOOD)
    principal = accounts.sign_in(app_settings, "ann", GOOD)
    assert principal.role is Role.TEAM_MANAGER and principal.la_code == app_settings.la_code
    with pytest.raises(AuthenticationError):
        accounts.sign_in(app_settings, "ann", "wrong password here")
    with pytest.raises(AuthenticationError):
        accounts.sign_in(app_settings, "nobody", GOOD)
    assert _sign_ins(app_settings) == [
        ("ann", "allowed", ""),
        ("ann", "refused", "bad_credentials"),
        ("nobody", "refused", "bad_credentials"),
    ]


def test_five_failures_lock_the_account_even_for_the_right_password(app_settings: Settings) -> None:
    accounts.create_user(app_settings, "ann", role="analyst", password=GOOD)
    accounts.create_user(app_settings, "bob", role="analyst", password=GOOD)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(app_settings, "ann", "not the password")
    with pytest.raises(AuthenticationError, match="too many failed attempts"):
        accounts.sign_in(app_settings, "ann", GOOD)
    assert _sign_ins(app_settings)[-1] == ("ann", "refused", "throttled")
    assert accounts.sign_in(app_settings, "bob", GOOD).username == "bob"  # per account, not global


def test_failures_older_than_the_window_do_not_count(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime, timedelta

    accounts.create_user(sqlite_settings, "ann", role="analyst", password=GOOD)
    start = datetime(2025, 3, 12, 10, 0)
    monkeypatch.setattr(audit, "now_utc", lambda: start)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(sqlite_settings, "ann", "not the password")
    monkeypatch.setattr(audit, "now_utc", lambda: start + timedelta(minutes=16))
    assert accounts.sign_in(sqlite_settings, "ann", GOOD).username == "ann"


def test_demo_accounts_cover_every_role_and_can_sign_in(sqlite_settings: Settings) -> None:
    created = accounts.ensure_demo_accounts(sqlite_settings)
    assert {role for _, role, _ in created} == set(Role)
    accounts.ensure_demo_accounts(sqlite_settings)  # idempotent
    for username, role, password in created:
        assert accounts.sign_in(sqlite_settings, username, password).role is role
