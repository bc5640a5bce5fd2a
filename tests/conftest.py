"""Shared fixtures: a fresh app database per test on SQLite and (when available) PostgreSQL.

``KINSIGHT_TEST_POSTGRES_URL`` points at a PostgreSQL database; each test gets its own schema, dropped
afterwards.  Without it the postgres cases are skipped, unless ``KINSIGHT_TEST_REQUIRE_SERVICES=1``
(CI), where a missing service is a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kinsight.settings import Settings

POSTGRES_ENV = "KINSIGHT_TEST_POSTGRES_URL"
REQUIRE_ENV = "KINSIGHT_TEST_REQUIRE_SERVICES"


def require_services() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def missing_service(what: str) -> None:
    """Skip locally; fail in CI (KINSIGHT_TEST_REQUIRE_SERVICES=1)."""
    if require_services():
        pytest.fail(f"{what} is required ({REQUIRE_ENV}=1) but not available")
    pytest.skip(f"{what} not available")


@pytest.fixture(autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """argon2's default cost is ~0.4 s here; tests use the minimum so the suite stays fast."""
    from kinsight.services import auth

    previous = auth.password_hasher()
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    auth.use_password_hasher(previous)


def _postgres_schema_url() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    from kinsight.storage.appdb import dispose_engine

    base = os.environ.get(POSTGRES_ENV)
    if not base:
        missing_service(f"PostgreSQL ({POSTGRES_ENV})")
    url = make_url(base)
    schema = f"t_{secrets.token_hex(6)}"
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as error:
        missing_service(f"PostgreSQL at {url.host}:{url.port} ({error})")
    test_url = url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    try:
        yield test_url
    finally:
        dispose_engine(test_url)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty app database URL for one test, on each backend."""
    if request.param == "sqlite":
        from kinsight.storage.appdb import dispose_engine

        url = f"sqlite:///{tmp_path / 'app.db'}"
        yield url
        dispose_engine(url)
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def app_settings(app_db_url: str, tmp_path: Path) -> Settings:
    """Settings for a fresh Kinsight home whose app database is ``app_db_url``."""
    home = tmp_path / "home"
    home.mkdir()
    return Settings(home=home, database_url=app_db_url, secret_key="test-secret-" + "x" * 32)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings on SQLite only, for tests whose subject does not depend on the database."""
    from kinsight.storage.appdb import dispose_engine

    home = tmp_path / "home"
    home.mkdir()
    settings = Settings(home=home, secret_key="test-secret-" + "x" * 32)
    yield settings
    dispose_engine(settings.app_database_url)
