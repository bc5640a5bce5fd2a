"""API tokens: shown once, hash-only storage, scopes within the role, expiry and revocation."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text

from kinsight.domain.roles import Permission
from kinsight.errors import AuthenticationError, UsageError
from kinsight.services import accounts, audit, tokens
from kinsight.settings import Settings
from kinsight.storage.appdb import engine_for


@pytest.fixture
def analyst(app_settings: Settings) -> Settings:
    accounts.create_user(app_settings, "bot", role="analyst", password="paper lantern orbit 42")
    return app_settings


def test_only_the_hash_is_stored(analyst: Settings) -> None:
    issued = tokens.create(analyst, "bot", "catalogue.view,dictionary.view", days=10)
    secret = issued.token.split("_", 2)[2]
    with engine_for(analyst.app_database_url).connect() as conn:
        stored = conn.execute(text("SELECT token_hash, scopes FROM api_tokens")).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored.token_hash and stored.scopes == "catalogue.view,dictionary.view"
    principal = tokens.authenticate(analyst, issued.token)
    assert principal.username == "bot" and principal.scopes == {
        Permission.CATALOGUE_VIEW,
        Permission.DICTIONARY_VIEW,
    }


def test_wrong_secret_and_garbage_are_refused(analyst: Settings) -> None:
    issued = tokens.create(analyst, "bot", "catalogue.view")
    for bad in (issued.token[:-2] + "xx", "kns_nope_nope", "Bearer", "kns_" + issued.token_id):
        with pytest.raises(AuthenticationError):
            tokens.authenticate(analyst, bad)


def test_revoked_and_expired_tokens_are_refused(analyst: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    one = tokens.create(analyst, "bot", "catalogue.view", days=1)
    two = tokens.create(analyst, "bot", "catalogue.view", days=3)
    tokens.revoke(analyst, one.token_id)
    with pytest.raises(AuthenticationError, match="revoked"):
        tokens.authenticate(analyst, one.token)
    real_now = audit.now_utc()
    monkeypatch.setattr(audit, "now_utc", lambda: real_now + timedelta(days=3, seconds=1))
    with pytest.raises(AuthenticationError, match="expired"):
        tokens.authenticate(analyst, two.token)


def test_scopes_cannot_exceed_the_role(analyst: Settings) -> None:
    with pytest.raises(UsageError, match="audit.view"):
        tokens.create(analyst, "bot", "catalogue.view,audit.view")
    with pytest.raises(UsageError, match="Unknown scope"):
        tokens.create(analyst, "bot", "everything")
    with pytest.raises(UsageError):
        tokens.create(analyst, "bot", "catalogue.view", days=0)
