"""A table's checks run as one query; checks naming a column the data lacks are set aside by name and
skipped, while every other check still runs and flags exactly what a plain Python evaluation flags."""

from __future__ import annotations

import duckdb

from kinsight.quality.engine import check_year, hit_rows
from kinsight.quality.model import Rule, RuleStatus, Severity

YEAR = "2025-26"
SEXES = ["M", "F", "U", "X", None, "M", "F"]


def _rule(code: str, fails_when: str) -> Rule:
    return Rule(
        code=code,
        message="m",
        severity=Severity.ERROR,
        years=(YEAR,),
        tables=("header",),
        fields=(),
        dataset="ds",
        source="t",
        check_table="header",
        fails_when=fails_when,
    )


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ds_header (CHILD VARCHAR, SEX VARCHAR, collection_year VARCHAR, _row INTEGER,"
        " _file VARCHAR)"
    )
    con.executemany(
        "INSERT INTO ds_header VALUES (?, ?, ?, ?, 'h.csv')",
        [(str(i + 1), sex, YEAR, i + 1) for i, sex in enumerate(SEXES)],
    )
    return con


def test_checks_naming_an_absent_column_are_skipped_and_the_rest_agree_with_python() -> None:
    con = _store()
    wanted = {f"S{k}": sex for k, sex in enumerate(["M", "F", "U", "X"])}
    rules = [_rule(code, f"SEX = '{sex}'") for code, sex in wanted.items()]
    rules += [
        _rule("NOCOL1", "UASC = '1'"),
        _rule("NOCOL2", "SEX = 'M' AND UASC IS NULL"),
        _rule("LITERAL", "SEX = 'UASC'"),  # names the word only in a string: runs alone, and runs
        _rule("BLANK", "SEX IS NULL"),
    ]
    run, ctx = check_year(con, dataset="ds", year=YEAR, rules=rules, tables=["header"], present={"header"})
    status = {o.code: o.status for o in run.outcomes}
    assert status.pop("NOCOL1") is RuleStatus.SKIPPED
    assert status.pop("NOCOL2") is RuleStatus.SKIPPED
    assert set(status.values()) == {RuleStatus.RUN}
    reasons = {o.code: o.reason for o in run.outcomes if o.status is RuleStatus.SKIPPED}
    assert all("UASC" in (reason or "").upper() for reason in reasons.values())
    expected = {(code, row) for code, sex in wanted.items() for row, s in enumerate(SEXES, 1) if s == sex}
    expected |= {("BLANK", row) for row, s in enumerate(SEXES, 1) if s is None}
    assert {(code, row) for code, _, row, _ in hit_rows(con)} == expected
    ctx.close()
