"""Run rules for one dataset and year on DuckDB, writing hits into a workspace table without leaving the
database.

Speed comes from these choices:

- every single-table check of a table is compiled into ONE query (the numbers of the rules a row fails,
  as a list, then unnested);
- SQL modules run as a few UNION ALL batches rather than one statement each (parsing, planning and
  scheduling a statement costs more than many small rules do);
- the year's tables and derived relations are made once and shared by every rule, and rules that read no
  derived relation run while those are being made;
- hits never travel through Python: they are inserted straight into ``_hits`` and joined to rule
  metadata;
- the statements run on as many worker threads as DuckDB has threads, each with its own cursor and each
  statement on one DuckDB thread (DuckDB plans one statement per connection at a time, planning is most of
  the cost of a small return's rules, and a small statement split across threads costs more than it
  saves);
- a small year is planned without the optimizer passes that cost it more than they save.

A batch that errors is re-run rule by rule, so one broken rule is reported as failed and the others still
run; a rule reading a field its tables lack runs alone from the start.  A rule whose tables or columns are
absent is skipped.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import duckdb

from kinsight.quality.context import (
    LOOKUP_PREFIX,
    RAW_SUFFIX,
    YearContext,
    base_table,
    create_from_columns,
    derived_used,
    words,
)
from kinsight.quality.lookups import how_to_supply
from kinsight.quality.model import Rule, RuleOutcome, RuleStatus, YearRun

log = logging.getLogger(__name__)

BATCH_SIZE = (
    10  # SQL rules per UNION ALL statement: big enough to amortise overhead, small to share out and re-run
)
MAX_WORKERS = 4  # threads running statements at once (no more than DuckDB's own thread count)

SMALL_YEAR_ROWS = 20_000
"""A year whose largest table has fewer rows than this is planned without ``SMALL_YEAR_SKIPS``."""
SMALL_YEAR_SKIPS = "join_order,statistics_propagation,common_subplan"
"""DuckDB optimizer passes that cost more than they save on a small year's rules.

At a 1,000-child return's size planning is most of a rule's cost, and these three passes are the dearest
part of it (join order alone a third of the optimizer's time); with no table larger than a few thousand
rows no join order or pruned scan saves that back.  Twelve runs each, alternating in one process: the
1,000-child audit's median went from 0.80 s to 0.71 s, with the same findings.  They stay on for larger
years, where the plan matters more than the planning.
"""

_MISSING_COLUMN = re.compile(
    r'Referenced column "?([^"\s]+)"? not found|does not have a column named "?([^"\s]+)"?'
)


def _missing_column(error: duckdb.Error) -> str | None:
    match = _MISSING_COLUMN.search(str(error))
    if match is None or not isinstance(error, duckdb.BinderException):
        return None
    return match.group(1) or match.group(2)


_LINE = re.compile(r"\bLINE (\d+):")
_QUALIFIED = re.compile(r'\.\s*"?(\w+)')  # the column of ``alias.column``


def _culprit(error: duckdb.Error, starts: Sequence[int]) -> int | None:
    """Which branch of a batch an error points at, from the ``LINE n:`` DuckDB puts in binder errors."""
    match = _LINE.search(str(error))
    if match is None:
        return None
    line = int(match.group(1))
    found = None
    for k, start in enumerate(starts):
        if start <= line:
            found = k
    return found


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:400]


class _Runner:
    def __init__(self, ctx: YearContext, rules: Sequence[Rule], rows: int | None = None) -> None:
        self.ctx = ctx
        self.rules = list(rules)
        self.rows = rows
        self.outcomes: dict[int, RuleOutcome] = {}
        self._local = threading.local()
        ctx.con.execute(
            f"CREATE OR REPLACE TABLE {ctx.ws}._hits (rule_idx INTEGER, table_name VARCHAR, _row INTEGER,"
            " child VARCHAR)"
        )

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The calling thread's connection: a worker's own cursor, else the context's connection."""
        own: duckdb.DuckDBPyConnection | None = getattr(self._local, "con", None)
        return self.ctx.con if own is None else own

    # single-table checks -------------------------------------------------------------------------
    def _check_select(self, table: str, items: Sequence[tuple[int, Rule]]) -> str:
        child = self.ctx.child_column(table)
        child_sql = f"CAST({child} AS VARCHAR)" if child else "NULL::VARCHAR"
        # Each failing check adds a one-element list and a row's lists are concatenated, so a row unnests to
        # exactly its hits: a list of every check's flag (NULL when it passes), unnested and then filtered,
        # cost twice as much on a 50,000-child return's episodes.
        flags = ", ".join(f"CASE WHEN ({rule.fails_when}) THEN [{idx}] END" for idx, rule in items)
        label = base_table(table)
        return (
            f"INSERT INTO _hits SELECT rule_idx, '{label}', _row, child FROM ("
            f"SELECT _row, {child_sql} AS child, unnest(list_concat({flags})) AS rule_idx FROM {table})"
        )

    def check_groups(self, items: Sequence[tuple[int, Rule]]) -> list[tuple[str, list[tuple[int, Rule]]]]:
        """The checks by table, each table's slice made; a table that cannot be made fails its checks."""
        by_table: dict[str, list[tuple[int, Rule]]] = defaultdict(list)
        for idx, rule in items:
            by_table[rule.check_table or ""].append((idx, rule))
        groups = []
        for table, group in by_table.items():
            try:
                self.ctx.ensure_for([table], *(rule.fails_when for _, rule in group))
                self.ctx.child_column(table)  # the column list is read once, here, not on a worker
            except duckdb.Error as error:
                for idx, rule in group:
                    self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.FAILED, reason=_short(error))
                continue
            groups.append((table, group))
        return groups

    def _run_check_group(self, table: str, group: Sequence[tuple[int, Rule]]) -> None:
        """All checks of one table in one query; if it errors, halve the group until the culprit is alone."""
        if len(group) == 1:
            self._run_one(group[0][0], group[0][1], self._check_select(table, group))
            return
        start = time.perf_counter()
        try:
            self.con.execute(self._check_select(table, group))
        except duckdb.Error as error:
            # A column the data lacks (UASC in a year without it) is named in the error: the checks naming
            # it run alone (and are skipped), the others at once, instead of halving down to the culprit.
            column = _missing_column(error)
            naming = [item for item in group if column and column.lower() in words(item[1].fails_when or "")]
            if naming and len(naming) < len(group):
                for item in naming:
                    self._run_check_group(table, [item])
                self._run_check_group(table, [item for item in group if item not in naming])
                return
            half = len(group) // 2
            self._run_check_group(table, group[:half])
            self._run_check_group(table, group[half:])
            return
        share = (time.perf_counter() - start) / len(group)
        for idx, rule in group:
            self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.RUN, seconds=share)

    # SQL modules ---------------------------------------------------------------------------------
    @staticmethod
    def _sql_branch(idx: int, rule: Rule) -> str:
        return (
            f"SELECT {idx} AS rule_idx, lower(CAST(table_name AS VARCHAR)) AS table_name, CAST(_row AS"
            " INTEGER) AS _row,"
            f" CAST(child AS VARCHAR) AS child FROM (\n{rule.sql_text}\n)"
        )

    def run_sql(self, idx: int, rule: Rule) -> None:
        self._run_one(idx, rule, f"INSERT INTO _hits SELECT DISTINCT * FROM ({self._sql_branch(idx, rule)})")

    def _run_batch(self, batch: Sequence[tuple[int, Rule]]) -> None:
        """One UNION ALL.  If it errors, the rule at fault is found from the error's line number (DuckDB
        names the line) and run alone, and the rest run again; without a line number the batch is halved."""
        if len(batch) == 1:
            self.run_sql(*batch[0])
            return
        head = "INSERT INTO _hits SELECT DISTINCT * FROM (\n"
        branches = [self._sql_branch(idx, rule) for idx, rule in batch]
        starts, line = [], head.count("\n") + 1
        for branch in branches:
            starts.append(line)
            line += branch.count("\n") + 2  # the branch, then the UNION ALL line
        began = time.perf_counter()
        try:
            self.con.execute(head + "\nUNION ALL\n".join(branches) + "\n)")
        except duckdb.Error as error:
            culprit = _culprit(error, starts)
            if culprit is None:
                half = len(batch) // 2
                self._run_batch(batch[:half])
                self._run_batch(batch[half:])
            else:
                self.run_sql(*batch[culprit])
                self._run_batch([item for k, item in enumerate(batch) if k != culprit])
            return
        share = (time.perf_counter() - began) / len(batch)
        for idx, rule in batch:
            self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.RUN, seconds=share)

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

    def _lacks_field(self, rule: Rule) -> bool:
        """Whether the rule's SQL reads a field it lists that none of the tables it lists has: a word of
        the SQL that is not also a table's name, or any ``alias.FIELD`` (``uasc`` is a table, and a header
        column in some years)."""
        held = {
            column.lower()
            for table in rule.tables
            if not table.startswith(LOOKUP_PREFIX)
            for column in self.ctx.columns(table)
        }
        text = rule.sql_text or ""
        named = (words(text) - {table.lower() for table in self.ctx.tables}) | {
            m.lower() for m in _QUALIFIED.findall(text)
        }
        return any(name.lower() not in held and name.lower() in named for name in rule.fields)

    def _made_ready(self, items: Sequence[tuple[int, Rule]]) -> list[tuple[int, Rule]]:
        """Make what each SQL rule reads; the rules ready to run (one whose relations fail, fails)."""
        ready = []
        for idx, rule in items:
            try:
                self.ctx.ensure_for(rule.tables, rule.sql_text)
            except duckdb.Error as error:
                self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.FAILED, reason=_short(error))
                continue
            ready.append((idx, rule))
        return ready

    def _submit_sql(
        self, submit: Callable[[Callable[[], None]], None], ready: Sequence[tuple[int, Rule]]
    ) -> None:
        """Hand SQL rules to the workers in batches.  A rule naming a field none of its tables holds (UASC
        in a year whose header lacks it) would fail its batch and make the rest run again; it runs alone,
        to be skipped (or run) on its own."""
        alone = [item for item in ready if self._lacks_field(item[1])]
        batched = [item for item in ready if item not in alone]
        for item in alone:
            submit(functools.partial(self.run_sql, *item))
        for start in range(0, len(batched), BATCH_SIZE):
            submit(functools.partial(self._run_batch, batched[start : start + BATCH_SIZE]))

    def run(self) -> list[RuleOutcome]:
        self.ctx.plan([rule.sql_text or rule.fails_when for rule in self.rules])
        checks: list[tuple[int, Rule]] = []
        for idx, rule in enumerate(self.rules):
            missing = self.ctx.missing(rule.tables)
            if missing:
                reason = "needs " + ", ".join(missing) + " (not in this year's data)"
                lookups = [m for m in missing if m.startswith(LOOKUP_PREFIX)]
                if lookups:
                    reason = "; ".join(
                        f"needs the reference lookup {m}, which is not configured: {how_to_supply(m)}"
                        for m in lookups
                    )
                self.outcomes[idx] = RuleOutcome(rule.code, RuleStatus.SKIPPED, reason=reason)
            elif rule.fails_when is not None:
                checks.append((idx, rule))
        with _planning(self.ctx.con, self.rows), self._pool() as submit:
            for table, group in self.check_groups(checks):
                submit(functools.partial(self._run_check_group, table, group))
            # The relations SQL rules read are made here, on this thread, while the workers run what is
            # ready: rules reading no derived relation go first, so the workers stay busy while this thread
            # builds the derived ones (a 50,000-child year's episodes_seq takes longer than all the checks).
            # A rule is handed over only once everything it reads is made.
            sql_rules = [
                (idx, rule)
                for idx, rule in enumerate(self.rules)
                if idx not in self.outcomes and rule.sql_text is not None
            ]
            for wave in (
                [item for item in sql_rules if not derived_used(item[1].sql_text)],
                [item for item in sql_rules if derived_used(item[1].sql_text)],
            ):
                self._submit_sql(submit, self._made_ready(wave))
        counts = dict(self.con.execute("SELECT rule_idx, count(*) FROM _hits GROUP BY 1").fetchall())
        result = []
        for idx in range(len(self.rules)):
            outcome = self.outcomes[idx]
            if outcome.status is RuleStatus.RUN:
                outcome = RuleOutcome(outcome.code, outcome.status, counts.get(idx, 0), outcome.seconds)
            result.append(outcome)
        return result

    @contextmanager
    def _pool(self) -> Iterator[Callable[[Callable[[], None]], None]]:
        """Yield ``submit(task)``: tasks run on up to ``MAX_WORKERS`` threads (no more than DuckDB has), a
        cursor each, all finished (or the first error raised) when the block ends; with one thread they
        run at once, in the caller's thread, on the context's connection.

        While the workers run, DuckDB itself runs each statement on one thread: a rule's statement is
        small, and splitting it across threads costs more in merging than it saves (copying a year's
        episodes into a table takes twice as long on two DuckDB threads as on one).  The workers already
        keep every core busy, so the audit spends less CPU and ends sooner.
        """
        con = self.ctx.con
        threads = int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])
        workers = max(1, min(MAX_WORKERS, threads))
        if workers == 1:
            yield lambda task: task()
            return
        # Made here, on the caller's thread, before it goes on to use the context's connection.
        cursors = [self.ctx.cursor() for _ in range(workers)]
        spare = list(cursors)
        lock = threading.Lock()

        def give_cursor() -> None:
            with lock:
                self._local.con = spare.pop()

        futures: list[Future[None]] = []
        con.execute("SET threads = 1")
        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="rules", initializer=give_cursor) as pool:
                yield lambda task: futures.append(pool.submit(task))
                for future in futures:
                    future.result()
        finally:
            for cursor in cursors:
                cursor.close()
            con.execute(f"SET threads = {threads}")


@contextmanager
def _planning(con: duckdb.DuckDBPyConnection, rows: int | None) -> Iterator[None]:
    """Plan the block's statements without ``SMALL_YEAR_SKIPS`` when the year is small (``rows``: its
    largest table's), then restore the setting (it is global to the DuckDB instance)."""
    if rows is None or rows >= SMALL_YEAR_ROWS:
        yield
        return
    keep = con.execute("SELECT current_setting('disabled_optimizers')").fetchall()[0][0]
    skips = ",".join(part for part in (keep, SMALL_YEAR_SKIPS) if part)
    con.execute(f"SET disabled_optimizers = '{skips}'")
    try:
        yield
    finally:
        con.execute(f"SET disabled_optimizers = '{keep}'")


def _rules_table(con: duckdb.DuckDBPyConnection, rules: Sequence[Rule]) -> None:
    create_from_columns(
        con,
        "_rules",
        {
            "rule_idx": ("INTEGER", list(range(len(rules)))),
            "code": ("VARCHAR", [r.code for r in rules]),
            "severity": ("VARCHAR", [str(r.severity) for r in rules]),
            "message": ("VARCHAR", [r.message for r in rules]),
            "fields": ("VARCHAR[]", [list(r.fields) for r in rules]),
        },
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
    lookups: Mapping[str, Mapping[str, Sequence[str | None]]] | None = None,
    rows: int | None = None,
) -> tuple[YearRun, YearContext]:
    """Run ``rules`` for one year; hits are left in the workspace's ``_hits``, joined to temp ``_rules``
    by ``rule_idx``.  ``rows`` (the year's largest table) lets a small year be planned more cheaply.

    The caller persists them (``findings.persist``) and then closes the returned context.
    """
    ctx = YearContext(con, dataset, year, tables, present, codesets or {}, lookups or {})
    try:
        outcomes = _Runner(ctx, rules, rows).run()
        _rules_table(con, rules)
    except BaseException:
        ctx.close()
        raise
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
