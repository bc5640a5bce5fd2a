"""Generic data-quality checks, built as ordinary rules so they run (and are reported) like DfE rules.

* ``KQ-COMPLETE``: a field the spec marks required is blank (one finding per record, warning).
* ``KQ-FORMAT``: a value was received but could not be read as its type (a date, a number ...).
* ``KQ-PREV-DOB`` / ``-SEX`` / ``-ETHNIC``: a child's identity differs from last year's return.
* ``KQ-PREV-EPISODE-CHANGED`` / ``-VANISHED``: an episode open at the end of last year's return is
  reported differently this year, or not at all.
* ``KQ-DUP-...``: several records share a key that should be unique (e.g. two reviews on one date).
* ``KQ-OVERLAP``: a child's episodes overlap in time.
* ``KQ-REF``: a child-level record whose child is not in the parent table (e.g. episodes vs header).

Per-dataset settings live in ``generic.yaml``; field lists come from the spec, given by the caller as
``required`` (``{table: [field, ...]}``) and ``typed`` (``{table: {field: SQL typing r.<field>}}``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kinsight.domain.yamlfiles import read_yaml
from kinsight.quality.model import Rule, Severity

_CONFIG = Path(__file__).with_name("generic.yaml")


@functools.cache
def generic_config() -> dict[str, Any]:
    return read_yaml(_CONFIG) or {}


def _rule(
    code: str,
    message: str,
    severity: Severity,
    year: str,
    dataset: str,
    tables: list[str],
    fields: list[str],
    sql: str,
) -> Rule:
    return Rule(
        code=code,
        message=message,
        severity=severity,
        years=(year,),
        tables=tuple(tables),
        fields=tuple(fields),
        dataset=dataset,
        source="kinsight.quality.generic",
        sql_text=sql,
    )


def generic_rules(dataset: str, year: str, options: Mapping[str, Any]) -> list[Rule]:
    """Every generic check for ``dataset`` in ``year``.  ``options`` may hold ``required`` and ``typed``."""
    config = generic_config().get(dataset, {})
    rules: list[Rule] = []
    children = options.get("children") or {}

    def child_sql(table: str, alias: str = "") -> str:
        column = children.get(table)
        return f"CAST({alias}{column} AS VARCHAR)" if column else "NULL::VARCHAR"

    for table, fields in sorted((options.get("required") or {}).items()):
        if not fields:
            continue
        blank = " OR ".join(f"{f} IS NULL" for f in fields)
        rules.append(
            _rule(
                f"KQ-COMPLETE-{table.upper()}",
                f"A required field of {table} is blank ({', '.join(fields)}). Fill it in.",
                Severity.WARNING,
                year,
                dataset,
                [table],
                list(fields),
                f"SELECT '{table}' AS table_name, _row, {child_sql(table)} AS child FROM {table} WHERE"
                f" {blank}",
            )
        )
    for table, fields in sorted((options.get("typed") or {}).items()):
        if not fields or not config.get("format_check"):
            continue
        # Each raw row is typed again on its own rather than joined to its typed row: the records of a child
        # in an XML return share the child's _row, so a join would pair each with all the others.
        bad = " OR ".join(f"(NOT is_blank(r.{f}) AND ({sql}) IS NULL)" for f, sql in fields.items())
        rules.append(
            _rule(
                f"KQ-FORMAT-{table.upper()}",
                f"A value in {table} could not be read as its type (a date, a number): check"
                f" {', '.join(fields)}.",
                Severity.ERROR,
                year,
                dataset,
                [f"{table}_raw"],
                list(fields),
                f"SELECT '{table}' AS table_name, r._row, {child_sql(table, 'r.')} AS child"
                f" FROM {table}_raw r WHERE {bad}",
            )
        )
    identity = config.get("identity")
    if identity:
        t, c = identity["table"], identity["child"]
        for field, code in identity["fields"].items():
            rules.append(
                _rule(
                    code,
                    f"{field} differs from last year's return for this child. Check which is right.",
                    Severity.QUERY,
                    year,
                    dataset,
                    [t, f"{t}_last"],
                    [field],
                    f"SELECT '{t}' AS table_name, n._row, CAST(n.{c} AS VARCHAR) AS child FROM {t} n JOIN"
                    f" {t}_last l ON l.{c} = n.{c}"
                    f" WHERE n.{field} IS DISTINCT FROM l.{field} AND n.{field} IS NOT NULL AND l.{field}"
                    " IS NOT NULL",
                )
            )
    episodes = config.get("episodes")
    if episodes:
        t, c, s, e = episodes["table"], episodes["child"], episodes["start"], episodes["end"]
        diff = " OR ".join(f"n.{f} IS DISTINCT FROM l.{f}" for f in episodes["compare"])
        rules.append(
            _rule(
                "KQ-PREV-EPISODE-CHANGED",
                "An episode reported last year is reported differently this year. Check it.",
                Severity.QUERY,
                year,
                dataset,
                [t, f"{t}_last"],
                list(episodes["compare"]),
                f"SELECT '{t}' AS table_name, n._row, CAST(n.{c} AS VARCHAR) AS child FROM {t} n JOIN"
                f" {t}_last l"
                f" ON l.{c} = n.{c} AND l.{s} = n.{s} WHERE {diff}",
            )
        )
        rules.append(
            _rule(
                "KQ-PREV-EPISODE-VANISHED",
                "An episode open at the end of last year's return is missing this year. Add it back.",
                Severity.QUERY,
                year,
                dataset,
                [t, f"{t}_last"],
                [s],
                f"SELECT '{t}' AS table_name, l._row, CAST(l.{c} AS VARCHAR) AS child FROM {t}_last l"
                f" WHERE l.{e} IS NULL AND l.{c} IN (SELECT {c} FROM {t})"
                f" AND NOT EXISTS (SELECT 1 FROM {t} n WHERE n.{c} = l.{c} AND n.{s} = l.{s})",
            )
        )
        rules.append(
            _rule(
                "KQ-OVERLAP",
                "This episode overlaps the child's next episode in time. Check DECOM and DEC.",
                Severity.ERROR,
                year,
                dataset,
                [t],
                [s, e],
                f"SELECT '{t}' AS table_name, _row, CAST({c} AS VARCHAR) AS child FROM (SELECT *, lead({s})"
                " OVER"
                f" (PARTITION BY {c} ORDER BY {s}, _row) AS next_start FROM {t}) WHERE next_start < {e}",
            )
        )
    for dup in config.get("duplicates", []):
        t, keys = dup["table"], dup["keys"]
        key_sql = ", ".join(keys)
        rules.append(
            _rule(
                dup["code"],
                dup["message"],
                Severity.ERROR,
                year,
                dataset,
                [t],
                list(keys),
                f"SELECT '{t}' AS table_name, _row, CAST({keys[0]} AS VARCHAR) AS child FROM (SELECT *,"
                " count(*) OVER"
                f" (PARTITION BY {key_sql}) AS n FROM {t} WHERE"
                f" {' AND '.join(f'{k} IS NOT NULL' for k in keys)}) WHERE n > 1",
            )
        )
    for ref in config.get("references", []):
        t, parent, key = ref["table"], ref["parent"], ref["key"]
        rules.append(
            _rule(
                f"KQ-REF-{t.upper()}",
                f"This child ({key}) is in {t} but not in {parent}. Add the child to {parent} or correct"
                f" {key}.",
                Severity.ERROR,
                year,
                dataset,
                [t, parent],
                [key],
                f"SELECT '{t}' AS table_name, _row, CAST({key} AS VARCHAR) AS child FROM {t}"
                f" WHERE {key} NOT IN (SELECT {key} FROM {parent} WHERE {key} IS NOT NULL)",
            )
        )
    return rules
