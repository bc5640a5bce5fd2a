"""Persist a year's hits as findings, rule outcomes and the data-quality score, all inside DuckDB.

Store tables (created on first use): ``quality_findings`` (one row per flagged record), ``quality_runs``
(one row per dataset and year checked, with the codes run, skipped and failed), ``quality_rule_results``
(one row per rule and run, with its finding count, time and reason) and ``quality_scores``.

The score of a dataset in a year: ``100 * (1 - (E + 0.5 * Q) / N)`` where N is the number of records
(rows in every table of the year), E the records with at least one error finding, and Q the records with
a query finding but no error.  Warnings do not lower the score.  100 means no error or query at all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import duckdb

from kinsight.quality.context import create_from_columns
from kinsight.quality.model import RuleStatus, YearRun

QUERY_WEIGHT = 0.5

DDL = (
    """CREATE TABLE IF NOT EXISTS quality_findings (
        run_id VARCHAR, dataset VARCHAR, year VARCHAR, rule VARCHAR, "table" VARCHAR, "row" INTEGER,
        child VARCHAR, fields VARCHAR[], severity VARCHAR, message VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS quality_runs (
        run_id VARCHAR, dataset VARCHAR, year VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP,
        rules_run VARCHAR[], rules_skipped VARCHAR[], rules_failed VARCHAR[], failures VARCHAR,
        findings BIGINT)""",
    """CREATE TABLE IF NOT EXISTS quality_rule_results (
        run_id VARCHAR, dataset VARCHAR, year VARCHAR, rule VARCHAR, status VARCHAR, findings BIGINT,
        seconds DOUBLE, reason VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS quality_scores (
        run_id VARCHAR, dataset VARCHAR, year VARCHAR, records BIGINT, records_with_error BIGINT,
        records_with_query BIGINT, score DOUBLE, computed_at TIMESTAMP)""",
)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def score(records: int, with_error: int, with_query: int) -> float:
    """The documented data-quality score (see the module docstring); 100.0 for an empty year."""
    if records <= 0:
        return 100.0
    return round(100.0 * (1.0 - (with_error + QUERY_WEIGHT * with_query) / records), 2)


def persist(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    run: YearRun,
    started_at: datetime,
    record_tables: Sequence[str],
) -> float:
    """Write the hits of ``run`` (the workspace's ``_hits``, temp ``_rules``) and return the year's score.

    Earlier findings for the same dataset and year are replaced: the store holds the latest verdict,
    while ``quality_runs`` keeps the history of runs.
    """
    ensure_tables(con)
    con.begin()  # one transaction: one commit instead of one per statement, and no half-written verdict
    try:
        value = _persist(con, run_id=run_id, run=run, started_at=started_at, record_tables=record_tables)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return value


def _persist(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    run: YearRun,
    started_at: datetime,
    record_tables: Sequence[str],
) -> float:
    con.execute("DELETE FROM quality_findings WHERE dataset = ? AND year = ?", [run.dataset, run.year])
    con.execute(
        "INSERT INTO quality_findings SELECT ?, ?, ?, r.code, h.table_name, h._row, h.child, r.fields,"
        " r.severity,"
        " r.message FROM _hits h JOIN _rules r USING (rule_idx)",
        [run_id, run.dataset, run.year],
    )
    failures = {o.code: o.reason for o in run.outcomes if o.status is RuleStatus.FAILED}
    con.execute(
        "INSERT INTO quality_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            run.dataset,
            run.year,
            started_at,
            datetime.now(),
            run.codes(RuleStatus.RUN),
            run.codes(RuleStatus.SKIPPED),
            run.codes(RuleStatus.FAILED),
            json.dumps(failures),
            run.findings,
        ],
    )
    create_from_columns(
        con,
        "_outcomes_in",
        {
            "rule": ("VARCHAR", [o.code for o in run.outcomes]),
            "status": ("VARCHAR", [str(o.status) for o in run.outcomes]),
            "findings": ("BIGINT", [o.findings for o in run.outcomes]),
            "seconds": ("DOUBLE", [o.seconds for o in run.outcomes]),
            "reason": ("VARCHAR", [o.reason for o in run.outcomes]),
        },
    )
    con.execute(
        "INSERT INTO quality_rule_results SELECT ?, ?, ?, rule, status, findings, seconds, reason FROM"
        " _outcomes_in",
        [run_id, run.dataset, run.year],
    )
    con.execute("DROP TABLE temp._outcomes_in")
    records = 0
    if record_tables:
        union = " UNION ALL ".join(
            f"SELECT count(*) AS n FROM {run.dataset}_{t} WHERE collection_year = $year"
            for t in record_tables
        )
        records = int(con.execute(f"SELECT sum(n) FROM ({union})", {"year": run.year}).fetchone()[0] or 0)  # type: ignore[index]
    with_error, with_query = con.execute(
        "SELECT count(*) FILTER (WHERE worst = 0), count(*) FILTER (WHERE worst = 1) FROM ("
        " SELECT h.table_name, h._row, min(CASE r.severity WHEN 'error' THEN 0 WHEN 'query' THEN 1 ELSE 2"
        " END) AS worst"
        " FROM _hits h JOIN _rules r USING (rule_idx) WHERE h._row IS NOT NULL GROUP BY ALL)"
    ).fetchone()  # type: ignore[misc]
    value = score(records, with_error, with_query)
    con.execute(
        "INSERT INTO quality_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, run.dataset, run.year, records, with_error, with_query, value, datetime.now()],
    )
    return value
