"""Turn raw text columns into typed columns, in SQL, exactly one way.

Ingest and the rule-case harness both call ``typed_select`` so a date is parsed the same way wherever
it is read.  Text is trimmed and blanks become NULL; dates are ``DD/MM/YYYY`` (as in the returns) or
ISO ``YYYY-MM-DD``; integers and numbers must look like numbers (no silent rounding of ``12.5`` to an
integer); CIN booleans accept true/false/1/0; codes are upper-cased where the spec says so.  A value
that does not fit its type becomes NULL here, and ``untypeable_sql`` finds those values so ingest can
record each one as a finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kinsight.domain.specs import FieldSpec, FieldType, TableSpec

META_COLUMNS: dict[str, str] = {
    "collection_year": "VARCHAR",
    "_row": "INTEGER",
    "_file": "VARCHAR",
}
# Names a file's own column may not take: the meta columns, and ``_sha256``, a per-row column of stores
# written before the file's hash moved to ``_files`` (one hash per file, not one per row).
RESERVED_COLUMNS = frozenset({*META_COLUMNS, "_sha256"})
RAW_PREFIX = "__raw__"  # ``__raw__<name>``: a field's raw text beside its typed value (``staged_select``)

SQL_TYPES: dict[FieldType, str] = {
    FieldType.STRING: "VARCHAR",
    FieldType.CODE: "VARCHAR",
    FieldType.DATE: "DATE",
    FieldType.INTEGER: "INTEGER",
    FieldType.NUMBER: "DOUBLE",
    FieldType.BOOLEAN: "BOOLEAN",
}

# LIKE guards cost a third of a regular expression and stop strptime reading "01/02/24" as the year 24;
# strptime itself then rejects impossible dates such as 31/02/2024.
_DMY = "%/%/____"
_ISO = "____-__-__"
_INT = r"[+-]?\d+"
_NUM = r"[+-]?(\d+\.?\d*|\.\d+)"


def quote(name: str) -> str:
    """Quote an identifier for DuckDB (DfE names are safe, but unknown columns from files may not be)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def varchar_list(texts: Iterable[str]) -> str:
    """A SQL list literal of ``texts``, typed ``VARCHAR[]`` (so an empty list still has a type)."""
    return "[" + ", ".join(literal(t) for t in texts) + "]::VARCHAR[]"


def clean_text(column_sql: str) -> str:
    """The trimmed text of a raw column, NULL when blank."""
    return f"NULLIF(trim({column_sql}), '')"


def typed_expression(field: FieldSpec, column_sql: str) -> str:
    """SQL turning one raw VARCHAR column into the field's type (NULL if it does not fit)."""
    return _typed_from_clean(field, clean_text(column_sql))


def _typed_from_clean(field: FieldSpec, text: str) -> str:
    """SQL turning ``text``, a column's trimmed text or NULL (``clean_text``), into the field's type."""
    match field.type:
        case FieldType.DATE:
            return (
                f"CAST(CASE WHEN {text} LIKE '{_DMY}' THEN try_strptime({text}, '%d/%m/%Y') "
                f"WHEN {text} LIKE '{_ISO}' THEN try_strptime({text}, '%Y-%m-%d') END AS DATE)"
            )
        case FieldType.INTEGER:
            return f"CASE WHEN regexp_full_match({text}, '{_INT}') THEN TRY_CAST({text} AS INTEGER) END"
        case FieldType.NUMBER:
            return f"CASE WHEN regexp_full_match({text}, '{_NUM}') THEN TRY_CAST({text} AS DOUBLE) END"
        case FieldType.BOOLEAN:
            return (
                f"CASE WHEN lower({text}) IN ('1', 'true') THEN TRUE "
                f"WHEN lower({text}) IN ('0', 'false') THEN FALSE END"
            )
        case FieldType.CODE | FieldType.STRING:
            return f"upper({text})" if field.upper else text
    raise AssertionError(f"unhandled field type {field.type}")  # pragma: no cover


def typed_select(
    table_spec: TableSpec, source: str, columns: Iterable[str] | None = None, keep_raw: Iterable[str] = ()
) -> str:
    """The SELECT that types the raw relation ``source`` by ``table_spec``.

    ``source`` is a table, view or parenthesised subquery whose columns are all VARCHAR and named as the
    DfE names them, plus the meta columns.  When ``columns`` (the source's column names) is given, a
    field or meta column the source lacks comes out as a typed NULL, so partial inputs (rule cases) work.
    Each field in ``keep_raw`` also comes out as its raw text, as ``__raw__<name>``.

    The text is trimmed once, in an inner SELECT, and typed from there: a date's expression reads its
    text four times, and written out in full each read trimmed again (a tenth of the typed insert of a
    50,000-child return).
    """
    present = None if columns is None else {c.lower() for c in columns}
    inner: list[str] = []
    outer: list[str] = []
    for name, sql_type in META_COLUMNS.items():
        if present is None or name in present:
            inner.append(quote(name))
            outer.append(f"CAST({quote(name)} AS {sql_type}) AS {quote(name)}")
        else:
            outer.append(f"CAST(NULL AS {sql_type}) AS {quote(name)}")
    for field in table_spec.fields.values():
        column = quote(field.name)
        if present is None or field.name.lower() in present:
            inner.append(f"{clean_text(column)} AS {column}")
            outer.append(f"{_typed_from_clean(field, column)} AS {column}")
        else:
            outer.append(f"CAST(NULL AS {SQL_TYPES[field.type]}) AS {column}")
    for name in keep_raw:
        raw = quote(RAW_PREFIX + name)
        inner.append(f"{quote(name)} AS {raw}")
        outer.append(raw)
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {source})"


_PROBLEM = {
    FieldType.DATE: ("bad_date", "is not a date (write DD/MM/YYYY)"),
    FieldType.INTEGER: ("bad_number", "is not a whole number"),
    FieldType.NUMBER: ("bad_number", "is not a number"),
    FieldType.BOOLEAN: ("bad_boolean", "is not true/false (or 1/0)"),
}


def staged_select(table_spec: TableSpec, source: str, columns: Iterable[str]) -> str:
    """``typed_select`` plus the raw text of every field that can fail to type (as ``__raw__<name>``).

    The relation ``untypeable_sql`` and ``problems_sql`` check: each bad value next to the text it came
    from.  Ingest checks the fields a file's summary flags this way, from the rows it has just stored.
    """
    columns = list(columns)
    return typed_select(table_spec, source, columns, keep_raw=fallible_fields(table_spec, columns))


@dataclass(frozen=True)
class _Check:
    """One way a field can hold a bad value: the condition that finds it and the finding it makes."""

    field: str
    code: str
    condition: str
    message: str


def _checks(table_spec: TableSpec, codes: dict[str, list[str]], columns: Iterable[str]) -> list[_Check]:
    """The check of every field that can hold a bad value, over a relation with the typed columns and
    ``__raw__<name>`` raw text columns (see ``staged_select``)."""
    present = {c.lower() for c in columns}
    checks: list[_Check] = []
    for field in table_spec.fields.values():
        if field.name.lower() not in present:
            continue
        typed, name = quote(field.name), literal(field.name)
        if field.type in _PROBLEM:
            code, words = _PROBLEM[field.type]
            raw = quote(RAW_PREFIX + field.name)
            checks.append(
                _Check(
                    field.name,
                    code,
                    f"{typed} IS NULL AND {clean_text(raw)} IS NOT NULL",
                    f"{name} || ' value ''' || trim({raw}) || ''' {words}'",
                )
            )
        elif field.codeset is not None:
            valid = codes.get(field.codeset, [])
            listed = varchar_list(c.upper() if field.upper else c for c in valid)
            checks.append(
                _Check(
                    field.name,
                    "unknown_code",
                    f"{typed} IS NOT NULL AND NOT list_contains({listed}, {typed})",
                    f"{name} || ' code ''' || {typed} || ''' is not valid in this collection year'",
                )
            )
    return checks


def untypeable_sql(
    table_spec: TableSpec,
    stage: str,
    codes: dict[str, list[str]],
    columns: Iterable[str],
) -> str | None:
    """A query over a ``staged_select`` stage listing values that did not type or are not valid codes.

    Returns rows ``(_row, field, code, message)``; ``codes`` maps each code set name to its codes in
    force; ``columns`` are the source's columns (a field the file lacks cannot fail).  None when
    nothing in the table can fail.
    """
    checks = _checks(table_spec, codes, columns)
    if not checks:
        return None
    return " UNION ALL ".join(
        f"SELECT _row, {literal(c.field)} AS field, '{c.code}' AS code, {c.message} AS message "
        f"FROM {stage} WHERE {c.condition}"
        for c in checks
    )


def fallible_fields(table_spec: TableSpec, columns: Iterable[str]) -> list[str]:
    """The fields of the source (``columns``) whose text can fail to type: dates, numbers, booleans."""
    present = {c.lower() for c in columns}
    return [f.name for f in table_spec.fields.values() if f.type in _PROBLEM and f.name.lower() in present]


def problems_sql(
    table_spec: TableSpec,
    stage: str,
    codes: dict[str, list[str]],
    columns: Iterable[str],
) -> str | None:
    """The findings of ``untypeable_sql`` in one pass over ``stage`` instead of one pass per field.

    Rows ``(_row, field, code, message)``; rows with no problem are dropped before any message is built.
    None when nothing in the table can fail.
    """
    checks = _checks(table_spec, codes, columns)
    if not checks:
        return None
    entries = ", ".join(
        f"CASE WHEN {c.condition} THEN {{'field': {literal(c.field)}, 'code': '{c.code}', "
        f"'message': {c.message}}} END"
        for c in checks
    )
    any_problem = " OR ".join(f"({c.condition})" for c in checks)
    listed = (
        f"SELECT _row, unnest(list_filter([{entries}], lambda p: p IS NOT NULL)) AS p "
        f"FROM {stage} WHERE {any_problem}"
    )
    return f"SELECT _row, p.field AS field, p.code AS code, p.message AS message FROM ({listed})"
