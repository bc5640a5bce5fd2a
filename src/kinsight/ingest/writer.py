"""Write one submission (the files for one dataset and year) into the store, all or nothing.

For each table: an identical file already loaded for the same dataset, table and year is a no-op
("unchanged"); a different file replaces that year's rows and the change is recorded in ``_changes``.
Raw rows go in as received, typed rows through ``typed_select``, and every value that does not type or
is not a code valid for the year becomes a finding.

Speed matters at both ends: a 50,000-child return must load in seconds, and a small one must not pay a
fixed cost per table.  So each table costs two statements, raw rows straight from the file as read and
typed rows from those; each file is summarised (one statement) so that only the fields flagged are
checked row by row, and those checks of all a submission's tables run as one statement; findings and
``_files`` rows are written once per submission, and what the submission needs to know about the store
(columns held, files loaded) is asked once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import duckdb

from kinsight.domain.specs import DatasetSpec, FieldSpec, TableSpec
from kinsight.ingest.csv_reader import missing_columns
from kinsight.ingest.model import Finding, Outcome, ReadTable, Severity, TableOutcome
from kinsight.ingest.typing import (
    META_COLUMNS,
    SQL_TYPES,
    fallible_fields,
    literal,
    problems_sql,
    quote,
    staged_select,
    typed_select,
    varchar_list,
)

_FINDING_COLUMNS = 'submission_id, dataset, year, file, "row", field, "table", code, message, severity'


def raw_name(dataset: str, table: str) -> str:
    return f"raw_{dataset}_{table}"


def typed_name(dataset: str, table: str) -> str:
    return f"{dataset}_{table}"


@dataclass
class _StoreState:
    """What one submission needs to know about the store, read once: the columns of every table held
    (lower case) and the file currently loaded per table for the year (sha256, rows); plus the finding
    and ``_files`` rows queued to be written in one statement each."""

    columns: dict[str, set[str]]
    loaded: dict[str, tuple[str, int]]
    findings: list[list[object]] = field(default_factory=list)
    files: list[list[object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, dataset: str, year: str) -> _StoreState:
        columns: dict[str, set[str]] = defaultdict(set)
        for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal"
        ).fetchall():
            columns[table.lower()].add(column.lower())
        loaded = {
            table: (sha, int(rows))
            for table, sha, rows in con.execute(
                'SELECT "table", sha256, "rows" FROM _files WHERE dataset = ? AND year = ? '
                "AND status = 'loaded'",
                [dataset, year],
            ).fetchall()
        }
        return cls(dict(columns), loaded)


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str] | None:
    """The columns of store table ``table`` (lower case), or None when the store has no such table.

    Read from ``duckdb_columns()`` rather than information_schema: its views cost several milliseconds a
    look-up, and the catalogue asks once per table.
    """
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ?",
        [table],
    ).fetchall()
    return {r[0].lower() for r in rows} if rows else None


def ensure_tables(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    table: TableSpec,
    raw_columns: list[str],
    held: dict[str, set[str]] | None = None,
) -> None:
    """Create the raw and typed tables (all years' fields), adding columns a newer spec or file brings.

    ``held`` maps store tables to their columns (lower case) when the caller has read them already; it
    is kept up to date with what this adds.
    """
    raw = raw_name(dataset, table.name)
    typed = typed_name(dataset, table.name)
    if held is None:
        held = {name: cols for name in (raw, typed) if (cols := table_columns(con, name)) is not None}
    raw_wanted = {c: "VARCHAR" for c in table.fields}
    raw_wanted |= {c: "VARCHAR" for c in raw_columns if c not in table.fields and c != "_row"}
    typed_wanted = {f.name: SQL_TYPES[f.type] for f in table.fields.values()}
    for store_table, wanted in ((raw, raw_wanted), (typed, typed_wanted)):
        have = held.get(store_table)
        if have is None:
            cols = [f"{quote(c)} {t}" for c, t in wanted.items()]
            cols += [f"{quote(m)} {t}" for m, t in META_COLUMNS.items()]
            con.execute(f"CREATE TABLE {quote(store_table)} ({', '.join(cols)})")
            held[store_table] = {c.lower() for c in [*wanted, *META_COLUMNS]}
            continue
        for column, sql_type in wanted.items():
            if column.lower() not in have:
                con.execute(f"ALTER TABLE {quote(store_table)} ADD COLUMN {quote(column)} {sql_type}")
                have.add(column.lower())


def _finding_row(submission: int, dataset: str, year: str, f: Finding) -> list[object]:
    return [submission, dataset, year, f.file, f.row, f.field, f.table, f.code, f.message, str(f.severity)]


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[list[object]]) -> None:
    """Insert ``rows`` in one statement (one parameterised VALUES list): a statement per row costs more
    than the row itself."""
    if not rows:
        return
    width = len(rows[0])
    marks = "(" + ", ".join("?" * width) + ")"
    con.execute(
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(rows))}",
        [value for row in rows for value in row],
    )


def _not_in_force(
    con: duckdb.DuckDBPyConnection, state: _StoreState, submission: int, read: ReadTable, year: str
) -> None:
    """A file of a table the spec does not have that year: a warning, unless the file was loaded before."""
    seen = con.execute(
        "SELECT count(*) FROM _files WHERE dataset = ? AND year = ? AND sha256 = ? AND status = 'loaded'",
        [read.dataset, year, read.sha256],
    ).fetchall()[0][0]
    if read.data.num_rows and not seen:
        finding = Finding(
            read.source.name,
            read.table,
            "table_not_in_force",
            f"the {read.table} table is not part of {read.dataset} in {year}; its {read.data.num_rows} rows"
            " were not loaded",
            Severity.WARNING,
        )
        state.findings.append(_finding_row(submission, read.dataset, year, finding))


def _replace(
    con: duckdb.DuckDBPyConnection,
    submission: int,
    read: ReadTable,
    year: str,
    current: tuple[str, int],
    loaded_at: datetime,
) -> None:
    """Take out the year's rows of the file being replaced, and record the replacement."""
    dataset, name = read.dataset, read.table
    for store_table in (raw_name(dataset, name), typed_name(dataset, name)):
        con.execute(f"DELETE FROM {quote(store_table)} WHERE collection_year = ?", [year])
    con.execute(
        'DELETE FROM _ingest_findings WHERE dataset = ? AND "table" = ? AND year = ?', [dataset, name, year]
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
            read.data.num_rows,
            loaded_at,
        ],
    )


def _structural_findings(read: ReadTable, table_all: TableSpec, table: TableSpec, year: str) -> list[Finding]:
    """Findings about the file's columns: those the reader made, missing ones, ones not in force."""
    findings = list(read.findings)
    if read.dataset != "cin_census":
        findings += missing_columns(read, table)
    if read.source.path.suffix.lower() == ".csv":
        findings += [
            Finding(
                read.source.name,
                read.table,
                "field_not_in_force",
                f"column {f.name} is not part of the {read.table} table in {year};"
                " kept in the raw table only",
                Severity.WARNING,
                field=f.name,
            )
            for f in table_all.fields.values()
            if not f.valid(year) and f.name in read.data.column_names
        ]
    return findings


def write_table(
    con: duckdb.DuckDBPyConnection,
    submission: int,
    spec: DatasetSpec,
    read: ReadTable,
    loaded_at: datetime,
    state: _StoreState | None = None,
) -> TableOutcome | None:
    """Load one read table for its year; None when the table is not part of the spec that year.

    Findings, the ``_files`` row and the check for bad values are queued on ``state`` and run by
    ``write_submission`` in one statement each, which then adds the bad values to the outcome's count of
    findings; called alone (no ``state``), this runs them itself.
    """
    year = read.year
    assert year is not None
    alone = state is None
    if state is None:
        state = _StoreState.read(con, read.dataset, year)
    dataset, name = read.dataset, read.table
    table_all = spec.tables[name]
    if not table_all.valid(year):
        _not_in_force(con, state, submission, read, year)
        if alone:
            _flush(con, state)
        return None
    table = table_all.in_force(year)
    rows = read.data.num_rows
    current = state.loaded.get(name)
    if current and current[0] == read.sha256:
        return TableOutcome(dataset, name, year, read.source.name, Outcome.UNCHANGED, rows, 0, current[1])
    ensure_tables(con, dataset, table_all, read.data.column_names, state.columns)
    if current:
        _replace(con, submission, read, year, current, loaded_at)
    structural = _structural_findings(read, table_all, table, year)
    state.findings += [_finding_row(submission, dataset, year, f) for f in structural]
    view = f"_ingest_{dataset}_{name}"
    con.register(view, read.data)
    try:
        # Each row names its file; the file's sha256 is kept once, in ``_files``: a 64-character copy on
        # every row cost 0.2 s of the 3 s ingest of a 50,000-child return, spent compressing the copies.
        tags = f"{literal(year)} AS collection_year, {literal(read.source.name)} AS _file"
        source = f"(SELECT *, {tags} FROM {view})"
        columns = [*read.data.column_names, *META_COLUMNS]
        raw, typed = raw_name(dataset, name), typed_name(dataset, name)
        con.execute(f"INSERT INTO {quote(raw)} BY NAME SELECT * FROM {source}")
        # The typed rows are made from the raw rows just stored (the year's raw rows are this file's: a
        # replaced file's rows are gone already), not from the Arrow table again: DuckDB reads its own
        # strings more cheaply than it converts Arrow's (a quarter off the typed insert of a 50,000-child
        # return).
        stored = f"(SELECT * FROM {quote(raw)} WHERE collection_year = {literal(year)})"
        con.execute(f"INSERT INTO {quote(typed)} BY NAME {typed_select(table, stored, columns)}")
    finally:
        con.unregister(view)
    problems = _problems_query(con, submission, spec, table, read, year)
    if problems:
        state.problems.append(problems)
    state.files.append([submission, dataset, name, year, read.source.name, read.sha256, rows, loaded_at])
    outcome = TableOutcome(
        dataset,
        name,
        year,
        read.source.name,
        Outcome.REPLACED if current else Outcome.LOADED,
        rows,
        len(structural),
        current[1] if current else None,
    )
    if alone:
        return _with_problems([outcome], _flush(con, state))[0]
    return outcome


def _problems_query(
    con: duckdb.DuckDBPyConnection,
    submission: int,
    spec: DatasetSpec,
    table: TableSpec,
    read: ReadTable,
    year: str,
) -> str | None:
    """The query listing every value of the file that did not type or is not a code valid in the year, as
    ``_ingest_findings`` rows; None when no field can hold one.

    Each file is first summarised in one pass over its typed rows: a value that did not type is blank in
    the typed table but not in the file, so a fallible field with as many typed values as the file has
    values has none; and a code field whose values are all valid has none.  Only the fields the summary
    flags are then checked row by row, typed again from the stored raw rows beside their text; the
    queries of a submission's tables run as one statement (``_flush``).  Even for a small file the
    summary pays: planning the row-by-row check of every field costs more than the summary and the check
    of the few flagged fields together (a 1,000-child ingest's median 0.76 s -> 0.58 s).
    """
    dataset, name = read.dataset, read.table
    # The year's rows of the table are this file's: one file per table and year, and a replaced file's
    # rows are gone already.  (Comparing the long _file text on every row would cost more than the check.)
    in_year = f"WHERE collection_year = {literal(year)}"
    this_file = f"(SELECT * FROM {quote(typed_name(dataset, name))} {in_year})"
    columns = read.data.column_names
    present = {c.lower() for c in columns}
    fallible = fallible_fields(table, columns)
    coded = [
        f for f in table.fields.values() if f.codeset and f.name not in fallible and f.name.lower() in present
    ]
    valid = {f.name: _valid_codes(spec, f, year) for f in coded}
    flagged = {*fallible, *valid}
    if flagged:
        flagged = _summary_flags(con, read, fallible, valid, this_file)
    if not flagged:
        return None
    checked = replace(table, fields={n: f for n, f in table.fields.items() if n in flagged})
    codes = {f.codeset: spec.codes(f.codeset, year) for f in checked.fields.values() if f.codeset}
    # The flagged fields are typed again from the raw rows, beside their text: joining the typed rows back
    # by _row would pair every record of an XML child (they share the child's _row) with every other.
    raw = f"(SELECT * FROM {quote(raw_name(dataset, name))} {in_year})"
    problems = problems_sql(checked, f"({staged_select(checked, raw, columns)})", codes, columns)
    if not problems:
        return None
    fixed = ", ".join(
        literal(str(v)) if isinstance(v, str) else str(v)
        for v in (submission, dataset, year, read.source.name)
    )
    return f"SELECT {fixed}, _row, field, {literal(name)}, code, message, 'error' FROM ({problems})"


def _valid_codes(spec: DatasetSpec, field: FieldSpec, year: str) -> set[str]:
    """The codes a typed value of ``field`` may hold in the year (upper case when the field is)."""
    assert field.codeset is not None
    return {c.upper() if field.upper else c for c in spec.codes(field.codeset, year)}


def _summary_flags(
    con: duckdb.DuckDBPyConnection,
    read: ReadTable,
    fallible: list[str],
    valid: dict[str, set[str]],
    this_file: str,
) -> set[str]:
    """The fields that may hold a bad value, from one summary of the typed rows: fallible fields with
    fewer typed values than the file has values, and code fields holding a value not valid.

    The file's side costs nothing: the reader made blank cells null, so Arrow already knows how many
    values each column holds.  A cell of spaces counts as a value here though it is blank once trimmed,
    so it can only flag a field for the row-by-row check, never hide a bad value.
    """
    parts = [f"count({quote(n)})" for n in fallible] + [
        f"count_if(NOT list_contains({varchar_list(sorted(codes))}, {quote(n)}))"
        for n, codes in valid.items()
    ]
    summary = con.execute(f"SELECT {', '.join(parts)} FROM {this_file}").fetchall()[0]
    flags = set()
    by_lower = {c.lower(): c for c in read.data.column_names}
    for i, name in enumerate(fallible):
        column = read.data.column(by_lower[name.lower()])
        if summary[i] != len(column) - column.null_count:
            flags.add(name)
    for i, name in enumerate(valid, start=len(fallible)):
        if summary[i]:
            flags.add(name)
    return flags


def _flush(con: duckdb.DuckDBPyConnection, state: _StoreState) -> Counter[tuple[str, str]]:
    """Write the queued findings and ``_files`` rows, and run the queued checks for bad values; returns
    how many bad values each (table, year) held."""
    bad: Counter[tuple[str, str]] = Counter()
    if state.problems:
        inserted = con.execute(
            f"INSERT INTO _ingest_findings ({_FINDING_COLUMNS}) {' UNION ALL '.join(state.problems)}"
            ' RETURNING "table", year'
        ).fetchall()
        bad.update((table, year) for table, year in inserted)
    _insert_rows(con, "_ingest_findings", _FINDING_COLUMNS, state.findings)
    files = state.files
    if files:
        _insert_rows(
            con,
            "_files",
            'submission_id, dataset, "table", year, file, sha256, "rows", loaded_at, status',
            [[*row, "loaded"] for row in files],
        )
    state.findings, state.files, state.problems = [], [], []
    return bad


def _with_problems(outcomes: list[TableOutcome], bad: Counter[tuple[str, str]]) -> list[TableOutcome]:
    """The outcomes with each table's bad values counted in its findings."""
    return [replace(o, findings=o.findings + bad.get((o.table, o.year), 0)) for o in outcomes]


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
        with _any_order(con):
            outcomes = _write_submission(con, spec, year, reads, loaded_at)
        if transaction:
            con.commit()
    except BaseException:
        if transaction:
            con.rollback()
        raise
    return outcomes


@contextmanager
def _any_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let DuckDB insert a file's rows on every thread, in whatever order they come, then restore the
    connection's setting.

    DuckDB keeps insertion order by inserting a registered Arrow table on one thread.  Every reader of
    a store table that cares about order says so (``ORDER BY collection_year, _row``: ``_row`` is the
    row's line in its file), and rules never rely on it, so the order is not worth a core: measured on
    a 50,000-child return, the inserts take about a quarter less time on two cores.  If a write fails, the
    aborted transaction refuses any SET until rolled back, so the setting is left for the caller's
    rollback and close (a failed run ends there).
    """
    keep = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("SET preserve_insertion_order = false")
    yield
    con.execute(f"SET preserve_insertion_order = {'true' if keep else 'false'}")


def _write_submission(
    con: duckdb.DuckDBPyConnection, spec: DatasetSpec, year: str, reads: list[ReadTable], loaded_at: datetime
) -> list[TableOutcome]:
    submission = con.execute("SELECT coalesce(max(submission_id), 0) + 1 FROM _submissions").fetchall()[0][0]
    state = _StoreState.read(con, spec.name, year)
    outcomes = [
        outcome
        for read in reads
        if (outcome := write_table(con, submission, spec, read, loaded_at, state)) is not None
    ]
    outcomes = _with_problems(outcomes, _flush(con, state))
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
