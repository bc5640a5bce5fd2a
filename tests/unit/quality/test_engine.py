"""The engine: compiled checks agree with a plain Python evaluation; bad and absent rules never sink a run."""

from __future__ import annotations

from datetime import date

import duckdb

from kinsight.quality.engine import check_year, hit_rows
from kinsight.quality.findings import score
from kinsight.quality.model import Rule, RuleStatus, Severity


def _rule(code: str, **kw: object) -> Rule:
    base = dict(
        message="m",
        severity=Severity.ERROR,
        years=("2025-26",),
        tables=("header",),
        fields=(),
        dataset="ds",
        source="t",
    )
    return Rule(code=code, **{**base, **kw})  # type: ignore[arg-type]


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ds_header (CHILD VARCHAR, SEX VARCHAR, DOB DATE, collection_year VARCHAR, _row"
        " INTEGER, _file VARCHAR)"
    )
    rows = [
        ("1", "M", date(2010, 4, 1)),
        ("2", "X", date(2012, 3, 31)),
        ("3", None, date(2015, 4, 2)),
        ("4", "F", None),
    ]
    con.executemany(
        "INSERT INTO ds_header VALUES (?, ?, ?, '2025-26', ?, 'h.csv')",
        [(*r, i + 1) for i, r in enumerate(rows)],
    )
    con.execute("CREATE TABLE raw_ds_header AS SELECT * FROM ds_header")
    return con


def test_compiled_checks_match_python_and_age_on_matches_birthdays() -> None:
    con = _store()
    rules = [
        _rule("A", check_table="header", fails_when="SEX IS NULL OR SEX NOT IN ('M', 'F')"),
        _rule("B", check_table="header", fails_when="age_on(DOB, DATE '2025-04-01') >= 15"),
    ]
    run, ctx = check_year(
        con, dataset="ds", year="2025-26", rules=rules, tables=["header"], present={"header"}
    )
    got = {(code, row) for code, _, row, _ in hit_rows(con)}
    data = con.execute("SELECT _row, SEX, DOB FROM ds_header").fetchall()
    expected = {("A", r) for r, sex, _ in data if sex not in ("M", "F")}
    on = date(2025, 4, 1)
    expected |= {
        ("B", r)
        for r, _, dob in data
        if dob and on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day)) >= 15
    }
    assert got == expected
    assert [o.status for o in run.outcomes] == [RuleStatus.RUN, RuleStatus.RUN]
    ctx.close()


def test_failing_missing_and_absent_rules_are_reported_not_raised() -> None:
    con = _store()
    rules = [
        _rule("OK", check_table="header", fails_when="SEX = 'X'"),
        _rule("BAD", check_table="header", fails_when="SEX +* 1"),
        _rule("NOCOL", check_table="header", fails_when="NOPE = 1"),
        _rule(
            "NOTABLE",
            tables=("episodes",),
            sql_text="SELECT 'episodes' AS table_name, 1 AS _row, '1' AS child",
        ),
        _rule("SQLBAD", sql_text="SELECT table_name FROM nowhere"),
    ]
    run, ctx = check_year(
        con, dataset="ds", year="2025-26", rules=rules, tables=["header"], present={"header"}
    )
    status = {o.code: o.status for o in run.outcomes}
    assert status == {
        "OK": RuleStatus.RUN,
        "BAD": RuleStatus.FAILED,
        "NOCOL": RuleStatus.SKIPPED,
        "NOTABLE": RuleStatus.SKIPPED,
        "SQLBAD": RuleStatus.FAILED,
    }
    assert [(c, r) for c, _, r, _ in hit_rows(con)] == [("OK", 2)]
    ctx.close()


def test_score_by_hand() -> None:
    # 10 records, 2 with an error, 3 with only a query: 100 * (1 - (2 + 1.5) / 10) = 65
    assert score(10, 2, 3) == 65.0
    assert score(0, 0, 0) == 100.0
