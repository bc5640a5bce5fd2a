"""The audit chain: hashes recomputed independently; every kind of tampering detected on both databases."""

from __future__ import annotations

import hashlib
import json
import threading

from sqlalchemy import text

from kinsight.services import audit
from kinsight.settings import Settings
from kinsight.storage.appdb import engine_for


def _fill(settings: Settings, n: int = 6) -> None:
    for i in range(n):
        audit.record(
            settings,
            actor=f"user{i % 2}",
            action="test.event",
            target=f"thing-{i}",
            details={"i": i, "text": "café"},
        )


def _execute(settings: Settings, sql: str, **params: object) -> None:
    with engine_for(settings.app_database_url).begin() as conn:
        conn.execute(text(sql), params)


def test_hash_matches_an_independent_computation(app_settings: Settings) -> None:
    _fill(app_settings, 3)
    with engine_for(app_settings.app_database_url).connect() as conn:
        rows = conn.execute(
            text(
                "SELECT seq, at, la_code, actor, action, target, outcome, details, prev_hash, hash "
                "FROM audit_records ORDER BY seq"
            )
        ).all()
    prev = "0" * 64
    for row in rows:
        at = row.at if not isinstance(row.at, str) else __import__("datetime").datetime.fromisoformat(row.at)
        payload = {
            "seq": row.seq,
            "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "la_code": row.la_code,
            "actor": row.actor,
            "action": row.action,
            "target": row.target,
            "outcome": row.outcome,
            "details": json.loads(row.details),
        }
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        expected = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
        assert row.prev_hash == prev
        assert row.hash == expected
        prev = expected
    assert [r.seq for r in rows] == [1, 2, 3]


def test_intact_log_verifies(app_settings: Settings) -> None:
    _fill(app_settings)
    report = audit.verify(app_settings)
    assert report.ok and report.records == 6


def test_edited_record_is_named(app_settings: Settings) -> None:
    _fill(app_settings)
    _execute(app_settings, "UPDATE audit_records SET target = 'something else' WHERE seq = 3")
    report = audit.verify(app_settings)
    assert not report.ok and report.broken_seq == 3


def test_edited_details_are_detected(app_settings: Settings) -> None:
    _fill(app_settings)
    _execute(
        app_settings, "UPDATE audit_records SET details = :d WHERE seq = 2", d='{"i": 99, "text": "café"}'
    )
    report = audit.verify(app_settings)
    assert not report.ok and report.broken_seq == 2


def test_edit_with_recomputed_hash_breaks_the_next_link(app_settings: Settings) -> None:
    _fill(app_settings)
    _execute(app_settings, "UPDATE audit_records SET hash = :h WHERE seq = 4", h="f" * 64)
    report = audit.verify(app_settings)
    # record 4's own hash no longer matches its content: named at 4
    assert not report.ok and report.broken_seq == 4


def test_deleted_record_is_detected(app_settings: Settings) -> None:
    _fill(app_settings)
    _execute(app_settings, "DELETE FROM audit_records WHERE seq = 3")
    report = audit.verify(app_settings)
    assert not report.ok and report.broken_seq == 3


def test_deleted_last_record_is_detected(app_settings: Settings) -> None:
    _fill(app_settings)
    _execute(app_settings, "DELETE FROM audit_records WHERE seq = 6")
    report = audit.verify(app_settings)
    assert not report.ok and report.broken_seq == 6


def test_reordered_records_are_detected(app_settings: Settings) -> None:
    _fill(app_settings)
    # swap the sequence numbers of records 2 and 3 (a move of one record past another)
    _execute(app_settings, "UPDATE audit_records SET seq = 1000 WHERE seq = 2")
    _execute(app_settings, "UPDATE audit_records SET seq = 2 WHERE seq = 3")
    _execute(app_settings, "UPDATE audit_records SET seq = 3 WHERE seq = 1000")
    report = audit.verify(app_settings)
    assert not report.ok and report.broken_seq == 2


def test_deleting_every_record_is_detected(app_settings: Settings) -> None:
    _fill(app_settings, 2)
    _execute(app_settings, "DELETE FROM audit_records")
    report = audit.verify(app_settings)
    assert not report.ok and report.records == 0


def test_concurrent_appends_keep_one_valid_chain(app_settings: Settings) -> None:
    audit.record(
        app_settings, actor="setup", action="test.event", target="start"
    )  # migrate before threads start
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                audit.record(app_settings, actor=f"w{n}", action="test.event", target=str(i))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = audit.verify(app_settings)
    assert report.ok and report.records == 61
