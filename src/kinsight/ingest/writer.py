"""Write one submission (the files for one dataset and year) into the store, all or nothing.

For each table: an identical file already loaded for the same dataset, table and year is a no-op
("unchanged"); a different file replaces that year's rows and the change is recorded in ``_changes``.
Raw rows go in as received, typed rows through ``typed_select``, and every value that does not type or
is not a code valid for the year becomes a finding.  Typed rows are written straight from the file
(dates parsed once); the few rows with a bad value are then found by joining back to the raw text, so no
row is materialised twice.  A submission is all or nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from kinsight.domain.specs import DatasetSpec, TableSpec
from kinsight.ingest.csv_reader import missing_columns
from kinsight.ingest.model import Finding, Outcome, ReadTable, Severity, TableOutcome
from kinsight.ingest.typing import (
    META_COLUMNS,
    SQL_TYPES,
    literal,
    problem_rows_sql,
    quote,
    typed_select,
    untypeable_sql,
)

_FINDING_COLUMNS = 'submission_id, dataset, year, file, "row", field, "table", code, message, severity'


def raw_name(dataset: str, table: str) -> str:
    return f"raw_{dataset}_{table}"


def typed_name(dataset: str, table: str) -> str:
    return f"{dataset}_{table}"


def _existing_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str] | None:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
        [table],
    ).fetchall()
    return {r[0].lower() for r in rows} if rows else None


def ensure_tables(
    con: duckdb.DuckDBPyConnection, dataset: str, table: TableSpec, raw_columns: list[str]
) -> None:
    """Create the raw and typed tables (all years' fields), adding columns a newer spec or file brings."""
    raw = raw_name(dataset, table.name)
    raw_wanted = [*table.fields, *[c for c in raw_columns if c not in table.fields and c != "_row"]]
    have = _existing_columns(con, raw)
    if have is None:
        cols = [f"{quote(c)} VARCHAR" for c in raw_wanted] + [
            f"{quote(m)} {t}" for m, t in META_COLUMNS.items()
        ]
        con.execute(f"CREATE TABLE {quote(raw)} ({', '.join(cols)})")
    else:
        for column in raw_wanted:
            if column.lower() not in have:
                con.execute(f"ALTER TABLE {quote(raw)} ADD COLUMN {quote(column)} VARCHAR")
    typed = typed_name(dataset, table.name)
    have = _existing_columns(con, typed)
    if have is None:
        cols = [f"{quote(f.name)} {SQL_TYPES[f.type]}" for f in table.fields.values()]
        cols += [f"{quote(m)} {t}" for m, t in META_COLUMNS.items()]
        con.execute(f"CREATE TABLE {quote(typed)} ({', '.join(cols)})")
    else:
        for f in table.fields.values():
            if f.name.lower() not in have:
                con.execute(f"ALTER TABLE {quote(typed)} ADD COLUMN {quote(f.name)} {SQL_TYPES[f.type]}")


def _insert_findings(
    con: duckdb.DuckDBPyConnection, submission: int, dataset: str, year: str, findings: list[Finding]
) -> None:
    if not findings:
        return
    con.executemany(
        f"INSERT INTO _ingest_findings ({_FINDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [submission, dataset, year, f.file, f.row, f.field, f.table, f.code, f.message, str(f.severity)]
            for f in findings
        ],
    )


def _current(con: duckdb.DuckDBPyConnection, dataset: str, table: str, year: str) -> tuple[str, int] | None:
    row = con.execute(
        'SELECT sha256, "rows" FROM _files WHERE dataset = ? AND "table" = ? AND year = ? '
        "AND status = 'loaded'",
        [dataset, table, year],
    ).fetchall()
    return (row[0][0], int(row[0][1])) if row else None


def write_table(
    con: duckdb.DuckDBPyConnection, submission: int, spec: DatasetSpec, read: ReadTable, loaded_at: datetime
) -> TableOutcome | None:
    """Load one read table for its year; None when the table is not part of the spec that year."""
    year = read.year
    assert year is not None
    dataset, name = read.dataset, read.table
    table_all = spec.tables[name]
    if not table_all.valid(year):
        seen = con.execute(
            "SELECT count(*) FROM _files WHERE dataset = ? AND year = ? AND sha256 = ? AND status = 'loaded'",
            [dataset, year, read.sha256],
        ).fetchall()[0][0]
        if read.data.num_rows and not seen:
            _insert_findings(
                con,
                submission,
                dataset,
                year,
                [
                    Finding(
                        read.source.name,
                        name,
                        "table_not_in_force",
                        f"the {name} table is not part of {dataset} in {year}; its {read.data.num_rows} rows"
                        " were not loaded",
                        Severity.WARNING,
                    )
                ],
            )
        return None
    table = table_all.in_force(year)
    rows = read.data.num_rows
    current = _current(con, dataset, name, year)
    if current and current[0] == read.sha256:
        return TableOutcome(dataset, name, year, read.source.name, Outcome.UNCHANGED, rows, 0, current[1])
    ensure_tables(con, dataset, table_all, read.data.column_names)
    raw, typed = raw_name(dataset, name), typed_name(dataset, name)
    if current:
        for store_table in (raw, typed):
            con.execute(f"DELETE FROM {quote(store_table)} WHERE collection_year = ?", [year])
        con.execute(
            'DELETE FROM _ingest_findings WHERE dataset = ? AND "table" = ? AND year = ?',
            [dataset, name, year],
        )
        con.execute(
            "UPDATE _files SET status = 'replaced' WHERE dataset = ? AND \"table\" = ? AND year = ? "
            "AND status = 'loaded'",
            [dataset, name, year],
        )
        con.execute(
            'INSERT INTO _changes (submission_id, dataset, "table", year, file, old_sha256, new_sha256,'
            " old_rows, new_rows, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                submission,
                dataset,
                name,
                year,
                read.source.name,
                current[0],
                read.sha256,
                current[1],
                rows,
                loaded_at,
            ],
        )
    view = f"_ingest_{dataset}_{name}"
    con.register(view, read.data)
    try:
        source = (
            f"(SELECT *, {literal(year)} AS collection_year, {literal(read.source.name)} AS _file, "
            f"{literal(read.sha256)} AS _sha256 FROM {view})"
        )
        columns = [*read.data.column_names, *META_COLUMNS]
        con.execute(f"INSERT INTO {quote(raw)} BY NAME SELECT * FROM {source}")
        # Dates are parsed once, straight into the store; the few rows with a bad value are found after.
        con.execute(f"INSERT INTO {quote(typed)} BY NAME {typed_select(table, source, columns)}")
        findings = list(read.findings)
        if dataset != "cin_census":
            findings += missing_columns(read, table)
        for f in table_all.fields.values():
            if (
                not f.valid(year)
                and f.name in read.data.column_names
                and read.source.path.suffix.lower() == ".csv"
            ):
                findings.append(
                    Finding(
                        read.source.name,
                        name,
                        "field_not_in_force",
                        f"column {f.name} is not part of the {name} table in {year};"
                        " kept in the raw table only",
                        Severity.WARNING,
                        field=f.name,
                    )
                )
        _insert_findings(con, submission, dataset, year, findings)
        codes = {cs: spec.codes(cs, year) for cs in spec.codesets}
        this_file = (
            f"(SELECT * FROM {quote(typed)} WHERE collection_year = {literal(year)}"
            f" AND _file = {literal(read.source.name)})"
        )
        candidates = problem_rows_sql(table, this_file, view, codes, columns)
        if candidates:
            stage = quote(f"_stage_{dataset}_{name}")
            con.execute(f"CREATE OR REPLACE TEMP TABLE {stage} AS {candidates}")
            problems = untypeable_sql(table, stage, codes, columns)
            if problems:
                con.execute(
                    f"INSERT INTO _ingest_findings ({_FINDING_COLUMNS}) "
                    f"SELECT ?, ?, ?, ?, _row, field, ?, code, message, 'error' FROM ({problems})",
                    [submission, dataset, year, read.source.name, name],
                )
            con.execute(f"DROP TABLE {stage}")
    finally:
        con.unregister(view)
    count = con.execute(
        'SELECT count(*) FROM _ingest_findings WHERE submission_id = ? AND dataset = ? AND "table" = ?',
        [submission, dataset, name],
    ).fetchall()[0][0]
    con.execute(
        'INSERT INTO _files (submission_id, dataset, "table", year, file, sha256, "rows", loaded_at, status)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'loaded')",
        [submission, dataset, name, year, read.source.name, read.sha256, rows, loaded_at],
    )
    outcome = Outcome.REPLACED if current else Outcome.LOADED
    return TableOutcome(
        dataset, name, year, read.source.name, outcome, rows, int(count), current[1] if current else None
    )


def write_submission(
    con: duckdb.DuckDBPyConnection,
    spec: DatasetSpec,
    year: str,
    reads: list[ReadTable],
    *,
    transaction: bool = True,
) -> list[TableOutcome]:
    """Load every table of one submission; on any error nothing is kept.

    With ``transaction=False`` the caller holds the transaction (``ingest_files`` writes every submission
    of a run in one, so DuckDB writes and checkpoints the data once rather than once per year).
    """
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    if transaction:
        con.begin()
    try:
        outcomes = _write_submission(con, spec, year, reads, loaded_at)
        if transaction:
            con.commit()
    except BaseException:
        if transaction:
            con.rollback()
        raise
    return outcomes


def _write_submission(
    con: duckdb.DuckDBPyConnection, spec: DatasetSpec, year: str, reads: list[ReadTable], loaded_at: datetime
) -> list[TableOutcome]:
    submission = con.execute("SELECT coalesce(max(submission_id), 0) + 1 FROM _submissions").fetchall()[0][0]
    outcomes = [o for r in reads if (o := write_table(con, submission, spec, r, loaded_at)) is not None]
    changed = [o for o in outcomes if o.outcome is not Outcome.UNCHANGED]
    if changed:
        con.execute(
            "INSERT INTO _submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                submission,
                spec.name,
                year,
                loaded_at,
                len({r.source.name for r in reads}),
                len(changed),
                len(outcomes) - len(changed),
                sum(o.findings for o in changed),
            ],
        )
    return outcomes
