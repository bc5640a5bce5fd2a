"""Run rules for one dataset and year on DuckDB, writing hits into a temp table without leaving the database.

Speed comes from three choices: every single-table check of a table is compiled into ONE query (one
flag per rule, then unnested); the year's tables are materialised once and shared by every rule; hits
never travel through Python, they are inserted straight into ``_hits`` and joined to rule metadata.
A rule whose tables or columns are absent is skipped; a rule whose SQL errors is reported as failed.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence

import duckdb

from kinsight.quality.context import RAW_SUFFIX, YearContext, base_table
from kinsight.quality.model import Rule, RuleOutcome, RuleStatus, YearRun

log = logging.getLogger(__name__)

_MISSING_COLUMN = re.compile(r'Referenced column "?([^"\s]+)"? not found|does not have a column named "?([^"\s]+)"?')


def _missing_column(error: duckdb.Error) -> str | None:
    match = _MISSING_COLUMN.search(str(error))
    if match is None or not isinstance(error, duckdb.BinderException):
        return None
    return match.group(1) or match.group(2)


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:400]


class _Runner:
    def __init__(self, ctx: YearContext, rules: Sequence[Rule]) -> None:
        self.ctx = ctx
        self.con = ctx.con
        self.rules = list(rules)
        self.outcomes: dict[int, RuleOutcome] = {}
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _hits (rule_idx INTEGER, table_name VARCHAR, _row INTEGER, child VARCHAR)"
        )

    # single-table checks -------------------------------------------------------------------------
    def _check_select(self, table: str, items: Sequence[tuple[int, Rule]]) -> str:
        child = self.ctx.child_column(table)
        child_sql = f"CAST({child} AS VARCHAR)" if child else "NULL::VARCHAR"
        flags = ", ".join(f"CASE WHEN ({rule.fails_when}) THEN {idx} END" for idx, rule in items)
        label = base_table(table)
        return (
            f"INSERT INTO _hits SELECT rule_idx, '{label}', _row, child FROM ("
            f"SELECT _row, {child_sql} AS child, unnest([{flags}]) AS rule_idx FROM {table}"
            ") WHERE rule_idx IS NOT NULL"
        )

    def run_checks(self, items: Sequence[tuple[int, Rule]]) -> None:
        by_table: dict[str, list[tuple[int, Rule]]] = defaultdict(list)
        for idx, rule in items:
            by_table[rule.check_table or ""].append((idx, rule))
        for table, group in by_table.items():
            self.ctx.ensure([table])
            start = time.perf_counter()
            try:
                self.con.execute(self._check_select(table, group))
            except duckdb.Error:
                # One bad expression must not sink the others: run them one by one to find it.
                self.con.execute("DELETE FROM _hits WHERE rule_idx IN (SELECT unnest(?))", [[i for i, _ in group]])
                for idx, rule in group:
                    self._run_one(idx, rule, self._check_select(table, [(idx, rule)]))
                continue
            share = (time.perf_counter() - start) / len(group)
            for idx, rule in group:
                self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.RUN, seconds=share)

    # SQL modules ---------------------------------------------------------------------------------
    def run_sql(self, idx: int, rule: Rule) -> None:
        statement = (
            f"INSERT INTO _hits SELECT DISTINCT {idx}, lower(CAST(table_name AS VARCHAR)), CAST(_row AS INTEGER),"
            f" CAST(child AS VARCHAR) FROM (\n{rule.sql_text}\n)"
        )
        self._run_one(idx, rule, statement)

    def _run_one(self, idx: int, rule: Rule, statement: str) -> None:
        start = time.perf_counter()
        try:
            self.con.execute(statement)
        except duckdb.Error as error:
            column = _missing_column(error)
            if column is not None:
                reason = f"column {column} is not in the data"
                self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.SKIPPED, reason=reason)
            else:
                log.warning("rule %s failed: %s", rule.code, type(error).__name__)
                self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.FAILED, reason=_short(error))
            return
        self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.RUN, seconds=time.perf_counter() - start)

    def run(self) -> list[RuleOutcome]:
        checks: list[tuple[int, Rule]] = []
        for idx, rule in enumerate(self.rules):
            missing = self.ctx.missing(rule.tables)
            if missing:
                reason = "needs " + ", ".join(missing) + " (not in this year's data)"
                if any(m.startswith("lookup_") for m in missing):
                    reason = "needs the reference lookup " + ", ".join(missing) + ", which is not configured"
                self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.SKIPPED, reason=reason)
            elif rule.fails_when is not None:
                checks.append((idx, rule))
        self.run_checks(checks)
        for idx, rule in enumerate(self.rules):
            if idx in self.outcomes or rule.sql_text is None:
                continue
            try:
                self.ctx.ensure([t for t in rule.tables if not t.startswith("lookup_")])
            except duckdb.Error as error:
                self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.FAILED, reason=_short(error))
                continue
            self.run_sql(idx, rule)
        counts = dict(self.con.execute("SELECT rule_idx, count(*) FROM _hits GROUP BY 1").fetchall())
        result = []
        for idx in range(len(self.rules)):
            outcome = self.outcomes[idx]
            if outcome.status is RuleStatus.RUN:
                outcome = RuleOutcome(outcome.code, outcome.status, counts.get(idx, 0), outcome.seconds)
            result.append(outcome)
        return result


def _rules_table(con: duckdb.DuckDBPyConnection, rules: Sequence[Rule]) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _rules (rule_idx INTEGER, code VARCHAR, severity VARCHAR, message VARCHAR,"
        " fields VARCHAR[])"
    )
    if rules:
        con.executemany(
            "INSERT INTO _rules VALUES (?, ?, ?, ?, ?)",
            [(i, r.code, str(r.severity), r.message, list(r.fields)) for i, r in enumerate(rules)],
        )


def check_year(
    con: duckdb.DuckDBPyConnection,
    *,
    dataset: str,
    year: str,
    rules: Sequence[Rule],
    tables: Sequence[str],
    present: set[str],
    codesets: Mapping[str, Sequence[str]] | None = None,
) -> tuple[YearRun, YearContext]:
    """Run ``rules`` for one year; hits are left in temp ``_hits`` joined to ``_rules`` by ``rule_idx``.

    The caller persists them (``findings.persist``) and then closes the returned context.
    """
    ctx = YearContext(con, dataset, year, tables, present, codesets or {})
    outcomes = _Runner(ctx, rules).run()
    _rules_table(con, rules)
    total = con.execute("SELECT count(*) FROM _hits").fetchone()[0]  # type: ignore[index]
    return YearRun(dataset=dataset, year=year, outcomes=tuple(outcomes), findings=int(total)), ctx


def hit_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, str | None]]:
    """(code, table, row, child) of every hit, sorted: handy for tests and small callers."""
    return [
        (code, table, row, child)
        for code, table, row, child in con.execute(
            "SELECT r.code, h.table_name, h._row, h.child FROM _hits h JOIN _rules r USING (rule_idx)"
            " ORDER BY 1, 2, 3"
        ).fetchall()
    ]


__all__ = ["RAW_SUFFIX", "check_year", "hit_rows"]
