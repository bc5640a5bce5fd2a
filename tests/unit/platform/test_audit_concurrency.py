"""Concurrent audit appends keep one valid chain and lose nothing; the per-request caches stay correct.

Several processes (each with two threads, as a web worker has) append at once to one app database on
SQLite and on PostgreSQL; afterwards the chain is walked by hand (numbering, links, head row) and with
``kinsight audit verify``'s service, and every record each writer made is found exactly once.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections import Counter

import pytest
from sqlalchemy import text

from kinsight.settings import Settings

# The writer processes import this module afresh (spawn), so the heavier imports are made inside the
# functions that need them: each writer then starts in about a second.

PROCESSES = 3
THREADS = 2
PER_THREAD = 15


def _writer(home: str, url: str, secret: str, worker: int, start: object) -> None:
    """One process: wait for the others, then append from two threads at once."""
    from kinsight.services import audit

    settings = Settings(home=home, database_url=url, secret_key=secret)
    audit.record(settings, actor=f"p{worker}", action="test.warmup", target="connect")  # open the pool
    start.wait()  # type: ignore[attr-defined]

    def append(thread: int) -> None:
        for i in range(PER_THREAD):
            audit.record(
                settings,
                actor=f"p{worker}",
                action="test.concurrent",
                target=f"p{worker}-t{thread}-{i}",
                details={"i": i},
            )

    threads = [threading.Thread(target=append, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _rows(settings: Settings) -> list[tuple[int, str, str, str, str]]:
    from kinsight.storage.appdb import engine_for

    with engine_for(settings.app_database_url).connect() as conn:
        return [
            (int(r[0]), r[1], r[2], r[3], r[4])
            for r in conn.execute(
                text("SELECT seq, action, target, prev_hash, hash FROM audit_records ORDER BY seq")
            ).all()
        ]


def test_processes_appending_at_once_keep_one_valid_chain(app_settings: Settings) -> None:
    from kinsight.services import accounts, audit
    from kinsight.storage.appdb import engine_for

    accounts.prepare_database(app_settings)
    context = mp.get_context("spawn")  # fresh interpreters, as separate web workers are
    start = context.Event()
    procs = [
        context.Process(
            target=_writer,
            args=(
                str(app_settings.home),
                app_settings.app_database_url,
                app_settings.secret_key,
                w,
                start,
            ),
        )
        for w in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    # all four have connected (their warm-up record is written) before any is let go
    for _ in range(600):
        if sum(1 for r in _rows(app_settings) if r[1] == "test.warmup") == PROCESSES:
            break
        threading.Event().wait(0.1)
    start.set()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0, f"writer exited with {p.exitcode}"

    rows = _rows(app_settings)
    expected_total = PROCESSES * (1 + THREADS * PER_THREAD)
    assert len(rows) == expected_total
    # numbering without gaps, each record linked to the one before, the head on the last record
    assert [r[0] for r in rows] == list(range(1, expected_total + 1))
    previous = "0" * 64
    for _seq, _action, _target, prev_hash, digest in rows:
        assert prev_hash == previous
        previous = digest
    with engine_for(app_settings.app_database_url).connect() as conn:
        head = conn.execute(text("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")).one()
    assert (int(head[0]), head[1]) == (expected_total, previous)
    # nothing dropped, nothing doubled
    made = Counter(r[2] for r in rows if r[1] == "test.concurrent")
    wanted = {f"p{w}-t{t}-{i}" for w in range(PROCESSES) for t in range(THREADS) for i in range(PER_THREAD)}
    assert set(made) == wanted
    assert set(made.values()) == {1}
    report = audit.verify(app_settings)
    assert report.ok, report.problem
    assert report.records == expected_total


def test_threads_appending_at_once_then_tampering_is_still_caught(app_settings: Settings) -> None:
    from kinsight.services import audit
    from kinsight.storage.appdb import engine_for

    def append(n: int) -> None:
        for i in range(10):
            audit.record(app_settings, actor=f"t{n}", action="test.thread", target=f"{n}-{i}")

    threads = [threading.Thread(target=append, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = audit.verify(app_settings)
    assert report.ok and report.records == 60
    with engine_for(app_settings.app_database_url).begin() as conn:
        conn.execute(text("UPDATE audit_records SET target = 'edited' WHERE seq = 31"))
    broken = audit.verify(app_settings)
    assert not broken.ok
    assert broken.broken_seq == 31


# --- caches that spare per-request work ----------------------------------------------------------------


def test_cached_permissions_equal_the_matrix_file() -> None:
    """Each role's permissions, as remembered, are exactly the matrix file's rows (read independently)."""
    import yaml

    from kinsight.domain.roles import MATRIX_FILE, Permission, Role, load_matrix
    from kinsight.services import access
    from kinsight.services.auth import Principal

    raw = yaml.safe_load(MATRIX_FILE.read_text(encoding="utf-8"))
    assert load_matrix() is not None
    for role in Role:
        listed = raw["roles"][role.value]["permissions"]
        assert {p.value for p in access.allowed_permissions(role, "999")} == set(listed), role
        principal = Principal(1, "x", "x", role, "999")
        assert {p.value for p in access.permissions_of(principal)} == set(listed)
        for permission in Permission:
            assert access.role_allows(role, permission, "999") is (permission.value in listed)


def test_token_scopes_narrow_the_remembered_permissions() -> None:
    from kinsight.domain.roles import Permission, Role
    from kinsight.services import access
    from kinsight.services.auth import Principal

    role = Role.ANALYST
    scopes = frozenset({Permission.CATALOGUE_VIEW, Permission.USERS_MANAGE})
    principal = Principal(1, "x", "x", role, "999", via="token", scopes=scopes)
    granted = access.allowed_permissions(role, "999")
    assert access.permissions_of(principal) == {p for p in scopes if p in granted}
    assert access.is_allowed(principal, Permission.USERS_MANAGE) is (Permission.USERS_MANAGE in granted)
    assert access.permissions_of(None) == frozenset()


def test_principal_is_remembered_briefly_and_role_changes_apply_at_once(
    app_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinsight.domain.roles import Role
    from kinsight.services import accounts
    from kinsight.storage.appdb import engine_for

    accounts.prepare_database(app_settings)
    accounts.create_user(app_settings, "c.user", role="analyst", password=None)
    user_id = next(
        r[0]
        for r in engine_for(app_settings.app_database_url)
        .connect()
        .execute(text("SELECT id FROM users WHERE username = 'c.user'"))
    )
    first = accounts.principal_for(app_settings, user_id)
    assert first is not None and first.role is Role.ANALYST
    # a change behind the service's back (another process) is seen only once the entry expires
    with engine_for(app_settings.app_database_url).begin() as conn:
        conn.execute(text("UPDATE users SET active = :no WHERE id = :id"), {"no": False, "id": user_id})
    assert accounts.principal_for(app_settings, user_id) == first
    monkeypatch.setattr(accounts, "PRINCIPAL_TTL_SECONDS", 0.0)
    accounts.forget_principals()
    assert accounts.principal_for(app_settings, user_id) is None
    with engine_for(app_settings.app_database_url).begin() as conn:
        conn.execute(text("UPDATE users SET active = :yes WHERE id = :id"), {"yes": True, "id": user_id})
    monkeypatch.setattr(accounts, "PRINCIPAL_TTL_SECONDS", 60.0)
    assert accounts.principal_for(app_settings, user_id).role is Role.ANALYST  # type: ignore[union-attr]
    # a role change made through the service applies to the very next request
    accounts.set_role(app_settings, "c.user", "practitioner", actor="admin")
    assert accounts.principal_for(app_settings, user_id).role is Role.PRACTITIONER  # type: ignore[union-attr]
