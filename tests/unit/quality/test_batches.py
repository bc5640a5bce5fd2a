"""SQL rules run in UNION ALL batches give exactly the hits each rule gives alone, and a broken or
column-less rule in a batch is reported on its own while the rest still run."""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from datetime import date, timedelta

import duckdb

from kinsight.quality import engine
from kinsight.quality.engine import check_year, hit_rows
from kinsight.quality.model import Rule, RuleStatus, Severity

YEAR = "2025-26"


def _rule(code: str, sql: str, tables: tuple[str, ...] = ("episodes",)) -> Rule:
    return Rule(
        code=code,
        message="m",
        severity=Severity.ERROR,
        years=(YEAR,),
        tables=tables,
        fields=(),
        dataset="ds",
        source="t",
        sql_text=sql,
    )


def _store(seed: int) -> tuple[duckdb.DuckDBPyConnection, list[tuple]]:
    rng = random.Random(seed)
    rows = []
    for i in range(400):
        start = date(2025, 4, 1) + timedelta(days=rng.randrange(0, 300))
        end = None if rng.random() < 0.4 else start + timedelta(days=rng.randrange(-5, 60))
        rows.append((f"C{rng.randrange(60)}", start, end, rng.choice(["S", "P", "L", None]), i + 1))
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ds_episodes (CHILD VARCHAR, DECOM DATE, DEC DATE, RNE VARCHAR, collection_year VARCHAR,"
        " _row INTEGER, _file VARCHAR)"
    )
    con.executemany(
        "INSERT INTO ds_episodes VALUES (?, ?, ?, ?, ?, ?, 'e.csv')", [(*r[:4], YEAR, r[4]) for r in rows]
    )
    return con, rows


SQL = {
    "ENDS-BEFORE": "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes WHERE DEC < DECOM",
    "NO-RNE": "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes WHERE RNE IS NULL",
    "TWO-OPEN": "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes WHERE DEC IS NULL"
    " AND CHILD IN (SELECT CHILD FROM episodes WHERE DEC IS NULL GROUP BY 1 HAVING count(*) > 1)",
}


def _python_hits(rows: list[tuple]) -> set[tuple[str, int]]:
    open_count: dict[str, int] = {}
    for child, _, end, _, _ in rows:
        if end is None:
            open_count[child] = open_count.get(child, 0) + 1
    hits = set()
    for child, start, end, rne, row in rows:
        if end is not None and end < start:
            hits.add(("ENDS-BEFORE", row))
        if rne is None:
            hits.add(("NO-RNE", row))
        if end is None and open_count[child] > 1:
            hits.add(("TWO-OPEN", row))
    return hits


def test_batched_rules_find_what_plain_python_finds(monkeypatch) -> None:
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)  # force more than one batch
    con, rows = _store(5)
    rules = [_rule(code, sql) for code, sql in SQL.items()]
    run, ctx = check_year(
        con, dataset="ds", year=YEAR, rules=rules, tables=["episodes"], present={"episodes"}
    )
    got = {(code, row) for code, _, row, _ in hit_rows(con)}
    assert got == _python_hits(rows)
    assert {o.code: o.findings for o in run.outcomes} == {
        code: sum(1 for c, _ in got if c == code) for code in SQL
    }
    ctx.close()


def test_a_broken_rule_does_not_sink_its_batch() -> None:
    con, rows = _store(6)
    rules = [
        _rule("ENDS-BEFORE", SQL["ENDS-BEFORE"]),
        _rule("NOCOL", "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes WHERE NOPE = 1"),
        _rule("NO-RNE", SQL["NO-RNE"]),
        _rule(
            "BROKEN", "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes WHERE DECOM +* 1"
        ),
        _rule("TWO-OPEN", SQL["TWO-OPEN"]),
    ]
    run, ctx = check_year(
        con, dataset="ds", year=YEAR, rules=rules, tables=["episodes"], present={"episodes"}
    )
    status = {o.code: o.status for o in run.outcomes}
    assert status == {
        "ENDS-BEFORE": RuleStatus.RUN,
        "NOCOL": RuleStatus.SKIPPED,
        "NO-RNE": RuleStatus.RUN,
        "BROKEN": RuleStatus.FAILED,
        "TWO-OPEN": RuleStatus.RUN,
    }
    assert {(code, row) for code, _, row, _ in hit_rows(con)} == _python_hits(rows)
    ctx.close()


def test_a_last_year_slice_named_only_in_the_sql_is_provided() -> None:
    con, rows = _store(7)
    sql = (
        "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes"
        " WHERE CHILD NOT IN (SELECT CHILD FROM episodes_last)"
    )
    run, ctx = check_year(
        con, dataset="ds", year=YEAR, rules=[_rule("NEW", sql)], tables=["episodes"], present={"episodes"}
    )
    assert run.outcomes[0].status is RuleStatus.RUN
    assert run.findings == len(rows)  # nothing held for last year, so every episode is a new child's
    ctx.close()


def _many_rules() -> list[Rule]:
    """Forty rules, each a copy of one of the plain rules under its own code, one broken and one column-less
    among them."""
    rules = [_rule(f"{code}-{k}", SQL[code]) for k in range(13) for code in SQL]
    rules.insert(
        7,
        _rule("NOCOL", "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes WHERE NOPE = 1"),
    )
    rules.insert(
        21,
        _rule(
            "BROKEN", "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes WHERE DECOM +* 1"
        ),
    )
    return rules


_PLAIN_RUN_BATCH = engine._Runner._run_batch


def _run_on(threads: int, monkeypatch) -> tuple[dict[str, RuleStatus], set[tuple[str, int]], set[str]]:
    """Hits and statuses of ``_many_rules`` with DuckDB on ``threads``, and the threads that ran batches."""
    monkeypatch.setattr(engine, "BATCH_SIZE", 3)
    ran_on: set[str] = set()

    def recording(self, batch):  # type: ignore[no-untyped-def]
        ran_on.add(threading.current_thread().name)
        _PLAIN_RUN_BATCH(self, batch)

    monkeypatch.setattr(engine._Runner, "_run_batch", recording)
    con, rows = _store(8)
    con.execute(f"SET threads = {threads}")
    run, ctx = check_year(
        con, dataset="ds", year=YEAR, rules=_many_rules(), tables=["episodes"], present={"episodes"}
    )
    hits = {(code, row) for code, _, row, _ in hit_rows(con)}
    ctx.close()
    expected = {(f"{code}-{k}", row) for code, row in _python_hits(rows) for k in range(13)}
    assert hits == expected
    return {o.code: o.status for o in run.outcomes}, hits, ran_on


def test_rules_on_several_threads_find_what_one_thread_finds(monkeypatch) -> None:
    status_one, hits_one, threads_one = _run_on(1, monkeypatch)
    status_many, hits_many, threads_many = _run_on(4, monkeypatch)
    assert hits_many == hits_one
    assert status_many == status_one
    assert status_one["BROKEN"] is RuleStatus.FAILED and status_one["NOCOL"] is RuleStatus.SKIPPED
    assert sum(s is RuleStatus.RUN for s in status_one.values()) == 39
    assert threads_one == {"MainThread"}
    assert len(threads_many) > 1 and "MainThread" not in threads_many


def test_a_rule_reading_a_listed_field_no_table_has_runs_alone_and_its_batch_once(monkeypatch) -> None:
    """UASC is a header column in some years only: a rule reading ``h.UASC`` in a year without it would
    fail its batch and make the batch run twice, so it runs on its own; a rule that lists a field only by a
    table's name (``uasc``) still runs in a batch."""
    monkeypatch.setattr(engine, "BATCH_SIZE", 10)
    batches: list[list[str]] = []

    def recording(self, batch):  # type: ignore[no-untyped-def]
        batches.append([rule.code for _, rule in batch])
        _PLAIN_RUN_BATCH(self, batch)

    monkeypatch.setattr(engine._Runner, "_run_batch", recording)
    con, rows = _store(9)
    con.execute("CREATE TABLE ds_uasc (CHILD VARCHAR, collection_year VARCHAR, _row INTEGER, _file VARCHAR)")
    reads_uasc = (
        "SELECT 'episodes' AS table_name, e._row, e.CHILD AS child FROM episodes e WHERE e.UASC = '1'"
    )
    names_table = (
        "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes"
        " WHERE CHILD IN (SELECT CHILD FROM uasc)"
    )
    rules = [_rule(code, SQL[code]) for code in SQL]
    rules.insert(1, replace(_rule("READS-UASC", reads_uasc), fields=("UASC",)))
    rules.append(replace(_rule("NAMES-UASC", names_table, ("episodes", "uasc")), fields=("UASC",)))
    run, ctx = check_year(
        con, dataset="ds", year=YEAR, rules=rules, tables=["episodes", "uasc"], present={"episodes", "uasc"}
    )
    status = {o.code: o.status for o in run.outcomes}
    assert status.pop("READS-UASC") is RuleStatus.SKIPPED
    assert set(status.values()) == {RuleStatus.RUN}
    assert batches == [["ENDS-BEFORE", "NO-RNE", "TWO-OPEN", "NAMES-UASC"]]
    assert {(code, row) for code, _, row, _ in hit_rows(con)} == _python_hits(rows)
    ctx.close()


def test_a_small_year_is_planned_without_the_dear_optimizer_passes_and_the_setting_is_restored() -> None:
    """A rule can read the setting its statement was planned under: the small year's rule sees the passes
    skipped, a large year's does not, and the connection gets its own setting back either way."""
    sees = (
        "SELECT 'episodes' AS table_name, _row, CHILD AS child FROM episodes"
        " WHERE current_setting('disabled_optimizers') LIKE '%join_order%'"
    )
    for rows, skipped in ((100, True), (engine.SMALL_YEAR_ROWS, False), (None, False)):
        con, stored = _store(10)
        con.execute("SET disabled_optimizers = 'top_n'")
        run, ctx = check_year(
            con,
            dataset="ds",
            year=YEAR,
            rules=[_rule("SEES", sees)],
            tables=["episodes"],
            present={"episodes"},
            rows=rows,
        )
        assert run.findings == (len(stored) if skipped else 0)
        ctx.close()
        assert con.execute("SELECT current_setting('disabled_optimizers')").fetchone() == ("top_n",)
