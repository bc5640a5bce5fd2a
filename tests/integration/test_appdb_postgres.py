"""PostgreSQL specifics: migrations apply to an empty schema, and appends through separate engines
(as separate web worker processes would have) serialise on the head row's lock."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect

from kinsight.services import audit
from kinsight.storage import appdb


@pytest.fixture
def pg_settings(app_settings):  # type: ignore[no-untyped-def]
    if not app_settings.app_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL case only")
    return app_settings


def test_schema_is_migrated(pg_settings) -> None:  # type: ignore[no-untyped-def]
    audit.record(pg_settings, actor="a", action="test.event", target="t")
    tables = set(inspect(appdb.engine_for(pg_settings.app_database_url)).get_table_names())
    assert {
        "users",
        "memberships",
        "api_tokens",
        "audit_records",
        "audit_head",
        "audit_flags",
        "challenges",
        "challenge_events",
        "alembic_version",
    } <= tables


def test_appends_through_separate_engines_keep_one_chain(pg_settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = pg_settings.app_database_url
    audit.record(pg_settings, actor="setup", action="test.event", target="start")
    engines = [appdb.make_engine(url) for _ in range(4)]
    local = threading.local()
    real_engine_for = appdb.engine_for

    def per_thread_engine(u: str):  # type: ignore[no-untyped-def]
        return getattr(local, "engine", None) or real_engine_for(u)

    monkeypatch.setattr("kinsight.storage.platform_repo.ensure_db", per_thread_engine)

    def worker(n: int) -> None:
        local.engine = engines[n]
        for i in range(15):
            audit.record(pg_settings, actor=f"w{n}", action="test.event", target=str(i))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    report = audit.verify(pg_settings)
    assert report.ok and report.records == 61
