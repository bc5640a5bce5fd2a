"""KQ-FORMAT flags exactly the rows where a value was received but could not be read as its type."""

from __future__ import annotations

from datetime import date

import duckdb

from kinsight.domain.specs import FieldSpec, FieldType
from kinsight.ingest.typing import typed_expression
from kinsight.quality.engine import check_year, hit_rows
from kinsight.quality.generic import generic_rules

YEAR = "2025-26"
# The typing SQL the audit is given for each field, as the service gives it (over raw rows aliased r).
TYPED = {
    name: typed_expression(FieldSpec(name, kind), f"r.{name}")
    for name, kind in (("DOB", FieldType.DATE), ("N", FieldType.INTEGER))
}
# (raw DOB, raw UPN count) as received; typed values are what a reader of each type makes of them.
RAW = [("01/04/2010", "3"), ("31/02/2010", "3"), ("", ""), ("02/04/2010", "x"), (None, None), ("bad", "y")]


def _typed(dob: str | None, count: str | None) -> tuple[date | None, int | None]:
    parsed = None
    if dob and dob.count("/") == 2:
        d, m, y = (int(p) for p in dob.split("/"))
        try:
            parsed = date(y, m, d)
        except ValueError:
            parsed = None
    return parsed, int(count) if count and count.isdigit() else None


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for prefix, kind in (("", "DATE"), ("raw_", "VARCHAR")):
        count_type = "INTEGER" if kind == "DATE" else "VARCHAR"
        con.execute(
            f"CREATE TABLE {prefix}ssda903_header (CHILD VARCHAR, DOB {kind}, N {count_type},"
            " collection_year VARCHAR, _row INTEGER, _file VARCHAR)"
        )
    for i, (dob, count) in enumerate(RAW, 1):
        con.execute(
            "INSERT INTO raw_ssda903_header VALUES (?, ?, ?, ?, ?, 'h.csv')", [str(i), dob, count, YEAR, i]
        )
        con.execute(
            "INSERT INTO ssda903_header VALUES (?, ?, ?, ?, ?, 'h.csv')",
            [str(i), *_typed(dob, count), YEAR, i],
        )
    return con


def test_format_check_flags_received_but_unreadable_values() -> None:
    con = _store()
    rules = [
        r
        for r in generic_rules("ssda903", YEAR, {"typed": {"header": TYPED}, "children": {"header": "CHILD"}})
        if r.code.startswith("KQ-FORMAT")
    ]
    run, ctx = check_year(
        con, dataset="ssda903", year=YEAR, rules=rules, tables=["header"], present={"header"}
    )
    flagged = {row for _, _, row, _ in hit_rows(con)}
    expected = {
        i
        for i, (dob, count) in enumerate(RAW, 1)
        if any(
            raw and raw.strip() and typed is None
            for raw, typed in zip((dob, count), _typed(dob, count), strict=True)
        )
    }
    assert flagged == expected == {2, 4, 6}
    ctx.close()


def test_records_sharing_a_row_number_are_each_read_on_their_own() -> None:
    """An XML return numbers records by their child, so a child's records share ``_row``: one record with a
    blank DOB and one with a good DOB hold no unreadable value, and one with a bad DOB is one finding."""
    con = duckdb.connect()
    for prefix, kind in (("", "DATE"), ("raw_", "VARCHAR")):
        con.execute(
            f"CREATE TABLE {prefix}ssda903_header (CHILD VARCHAR, DOB {kind}, N VARCHAR,"
            " collection_year VARCHAR, _row INTEGER, _file VARCHAR)"
        )
    records = [("C1", "", 1), ("C1", "01/04/2010", 1), ("C2", "31/02/2010", 2), ("C2", "", 2)]
    for child, dob, row in records:
        con.execute(
            "INSERT INTO raw_ssda903_header VALUES (?, ?, NULL, ?, ?, 'h.xml')", [child, dob, YEAR, row]
        )
        typed = date(2010, 4, 1) if dob == "01/04/2010" else None
        con.execute(
            "INSERT INTO ssda903_header VALUES (?, ?, NULL, ?, ?, 'h.xml')", [child, typed, YEAR, row]
        )
    rules = [
        r
        for r in generic_rules("ssda903", YEAR, {"typed": {"header": TYPED}, "children": {"header": "CHILD"}})
        if r.code.startswith("KQ-FORMAT")
    ]
    run, ctx = check_year(
        con, dataset="ssda903", year=YEAR, rules=rules, tables=["header"], present={"header"}
    )
    assert [(row, child) for _, _, row, child in hit_rows(con)] == [(2, "C2")]
    ctx.close()
