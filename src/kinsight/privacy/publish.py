"""``publish_table``: the single door every published or exported table of counts goes through.

Given a table whose first column(s) are labels and whose other columns are counts, it

1. suppresses small counts (primary suppression: 1 to the threshold, DfE default 5; zeros stay 0
   unless ``suppress_zeros``), totals included;
2. suppresses further cells so no suppressed count can be worked out from row, column or grand
   totals (secondary suppression, see :mod:`kinsight.privacy.cellsuppress`).  A row labelled
   ``Total`` and a column named ``Total`` are recognised as published margins; when a table has no
   totals they are still assumed known to an intruder (they may be published elsewhere);
3. rounds what is left if asked (national and regional figures to the nearest 10);
4. withholds percentages whose count is suppressed and rounds the rest, marking a non-zero value
   that rounds to zero with ``k``;
5. writes DfE/GSS symbols: ``c`` confidential, ``z`` not applicable, ``x`` not available, ``k`` low.

The result keeps the table's shape and order; every value becomes text so symbols can sit beside
numbers.  It also lists every suppressed cell and why, for the record of what was withheld.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from kinsight.errors import DataFileError, Location, UsageError
from kinsight.privacy.cellsuppress import Cell, Grid, secondary_suppression
from kinsight.privacy.disclosure import DisclosureRules, disclosure_rules

TOTAL = "total"


@dataclass(frozen=True)
class SuppressedCell:
    row: int  # 0-based row of the table as given
    column: str
    reason: str  # "primary" or "secondary"


@dataclass(frozen=True)
class PublishedTable:
    """The table ready to publish (all text) and a record of what was withheld."""

    frame: pl.DataFrame
    suppressed: tuple[SuppressedCell, ...]
    threshold: int
    round_to: int | None
    total_row: int | None
    total_column: str | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "round_to": self.round_to,
            "total_row": self.total_row,
            "total_column": self.total_column,
            "primary": sum(1 for c in self.suppressed if c.reason == "primary"),
            "secondary": sum(1 for c in self.suppressed if c.reason == "secondary"),
            "cells": [{"row": c.row, "column": c.column, "reason": c.reason} for c in self.suppressed],
            "notes": list(self.notes),
        }


def publish_table(
    frame: pl.DataFrame,
    *,
    label_columns: Sequence[str] | None = None,
    percentages: Mapping[str, str] | None = None,
    threshold: int | None = None,
    national: bool = False,
    round_to: int | None = None,
    suppress_zeros: bool | None = None,
    rules: DisclosureRules | None = None,
    source: str = "table",
) -> PublishedTable:
    """Apply disclosure control to a table of counts; see the module docstring for the steps.

    ``label_columns`` default to the leading columns that are not numbers; ``percentages`` maps a
    percentage column to the count column it describes; ``threshold``, ``round_to`` and
    ``suppress_zeros`` override ``rules`` (default: ``disclosure.yaml``); ``national=True`` rounds
    counts to the rules' national base.  ``source`` names the input in error messages.
    """
    rules = rules or disclosure_rules()
    threshold = rules.threshold if threshold is None else threshold
    zeros = rules.suppress_zeros if suppress_zeros is None else suppress_zeros
    base = round_to if round_to is not None else (rules.national_round_to if national else rules.round_to)
    symbols = rules.symbols
    percentages = dict(percentages or {})
    labels = list(label_columns) if label_columns is not None else _leading_labels(frame, percentages)
    counts = [c for c in frame.columns if c not in labels and c not in percentages]
    if not counts:
        raise UsageError(f"{source}: no count columns found", hint="Counts follow the label column(s).")
    for pct, count in percentages.items():
        if pct not in frame.columns or count not in counts:
            raise UsageError(
                f"{source}: percentage column '{pct}' must describe a count column, not '{count}'"
            )

    parsed = [
        [_parse(frame[r, c], source, r, c, symbols.not_applicable, symbols.not_available) for c in counts]
        for r in range(frame.height)
    ]
    total_row = _total_row(frame, labels, source)
    total_col_name = next((c for c in counts if c.strip().lower() == TOTAL), None)
    body_rows = [r for r in range(frame.height) if r != total_row]
    body_cols = [c for c in counts if c != total_col_name]
    grid, where = _grid(parsed, counts, body_rows, body_cols, total_row, total_col_name)

    primary = {
        cell for cell, (r, c) in where.items() if _is_small(parsed[r][counts.index(c)], threshold, zeros)
    }
    secondary = secondary_suppression(grid, primary)
    hidden: dict[tuple[int, str], str] = {where[cell]: "primary" for cell in primary}
    hidden.update({where[cell]: "secondary" for cell in secondary})

    out: dict[str, list[str | None]] = {c: [_text(frame[r, c]) for r in range(frame.height)] for c in labels}
    for ci, c in enumerate(counts):
        out[c] = [
            symbols.confidential if (r, c) in hidden else _count_text(parsed[r][ci], base, symbols.low)
            for r in range(frame.height)
        ]
    for pct, count in percentages.items():
        out[pct] = [
            symbols.confidential
            if (r, count) in hidden
            else _percent_text(
                frame[r, pct], rules.percent_decimals, symbols.low, symbols.not_available, source, r, pct
            )
            for r in range(frame.height)
        ]
    published = pl.DataFrame({c: out[c] for c in frame.columns}, schema={c: pl.String for c in frame.columns})
    notes = []
    if total_row is None and total_col_name is None:
        notes.append("no Total row or column: protected against totals published elsewhere")
    return PublishedTable(
        frame=published,
        suppressed=tuple(
            SuppressedCell(r, c, why)
            for (r, c), why in sorted(hidden.items(), key=lambda x: (x[0][0], counts.index(x[0][1])))
        ),
        threshold=threshold,
        round_to=base,
        total_row=total_row,
        total_column=total_col_name,
        notes=tuple(notes),
    )


def _leading_labels(frame: pl.DataFrame, percentages: Mapping[str, str]) -> list[str]:
    """Leading columns holding no numbers at all; the first column is always a label."""
    labels: list[str] = []
    for name, dtype in frame.schema.items():
        if name in percentages or (labels and (dtype.is_numeric() or _has_number(frame.get_column(name)))):
            break
        labels.append(name)
    return labels


def _has_number(series: pl.Series) -> bool:
    if series.dtype != pl.String:
        return False
    return any(_number(v) is not None for v in series.drop_nulls().to_list())


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# A parsed cell: a number, or one of the symbols already in the input ("z" or "x").
Parsed = float | str


def _parse(value: Any, source: str, row: int, column: str, z: str, x: str) -> Parsed:
    if value is None:
        return x
    if isinstance(value, bool):
        raise DataFileError("a count must be a number", location=Location(source, row + 1, column))
    if isinstance(value, int | float):
        number: float | None = float(value)
    else:
        text = str(value).strip()
        if text == "" or text.lower() == x:
            return x
        if text.lower() == z:
            return z
        number = _number(text)
    if number is None or number < 0:
        raise DataFileError(
            f"'{value}' is not a count",
            location=Location(source, row + 1, column),
            hint="Counts must be whole numbers of 0 or more; write z (not applicable) or x (not available).",
        )
    return number


def _total_row(frame: pl.DataFrame, labels: Sequence[str], source: str) -> int | None:
    found = [
        r for r in range(frame.height) if any(str(frame[r, c] or "").strip().lower() == TOTAL for c in labels)
    ]
    if len(found) > 1:
        raise UsageError(
            f"{source}: more than one row is labelled Total",
            hint="Publish sub-totals as separate tables; one Total row per table.",
        )
    return found[0] if found else None


def _grid(
    parsed: list[list[Parsed]],
    counts: list[str],
    body_rows: list[int],
    body_cols: list[str],
    total_row: int | None,
    total_col: str | None,
) -> tuple[Grid, dict[Cell, tuple[int, str]]]:
    """Lay the table out as an interior plus margins; return the grid and where each cell came from."""
    n, m = len(body_rows), len(body_cols)

    def value(r: int, c: str) -> float:
        v = parsed[r][counts.index(c)]
        return v if isinstance(v, float) else 0.0

    def usable(r: int, c: str) -> bool:
        return isinstance(parsed[r][counts.index(c)], float)

    has_row_totals = total_col is not None or m >= 2  # a total per row is known
    has_col_totals = total_row is not None or n >= 2
    values = [[0.0] * (m + 1) for _ in range(n + 1)]
    present = [[False] * (m + 1) for _ in range(n + 1)]
    eligible = [[False] * (m + 1) for _ in range(n + 1)]
    where: dict[Cell, tuple[int, str]] = {}
    for i, r in enumerate(body_rows):
        for j, c in enumerate(body_cols):
            values[i][j] = value(r, c)
            present[i][j] = True
            eligible[i][j] = usable(r, c)
            where[(i, j)] = (r, c)
    if has_row_totals:
        for i, r in enumerate(body_rows):
            present[i][m] = True
            if total_col is not None:
                values[i][m], eligible[i][m] = value(r, total_col), usable(r, total_col)
                where[(i, m)] = (r, total_col)
            else:
                values[i][m] = sum(values[i][:m])
    if has_col_totals:
        for j, c in enumerate(body_cols):
            present[n][j] = True
            if total_row is not None:
                values[n][j], eligible[n][j] = value(total_row, c), usable(total_row, c)
                where[(n, j)] = (total_row, c)
            else:
                values[n][j] = sum(values[i][j] for i in range(n))
    if has_row_totals and has_col_totals:
        present[n][m] = True
        if total_row is not None and total_col is not None:
            values[n][m], eligible[n][m] = value(total_row, total_col), usable(total_row, total_col)
            where[(n, m)] = (total_row, total_col)
        else:
            values[n][m] = sum(values[i][j] for i in range(n) for j in range(m))
    row_eq = [has_row_totals] * n + [has_row_totals and has_col_totals]
    col_eq = [has_col_totals] * m + [has_row_totals and has_col_totals]
    # A cell given as z or x is not published and has no known value: it takes no part.
    return Grid(values, present, eligible, row_eq, col_eq), where


def _is_small(value: Parsed, threshold: int, zeros: bool) -> bool:
    if not isinstance(value, float):
        return False
    return (0 < value <= threshold) or (zeros and value == 0)


def _round_half_up(value: float, base: float) -> float:
    return math.floor(value / base + 0.5) * base


def _count_text(value: Parsed, base: int | None, low: str) -> str:
    if isinstance(value, str):
        return value
    shown = _round_half_up(value, base) if base else value
    if value != 0 and shown == 0:
        return low
    return str(int(shown)) if float(shown).is_integer() else f"{shown:g}"


def _percent_text(
    value: Any, decimals: int, low: str, missing: str, source: str, row: int, column: str
) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return missing
    number = value if isinstance(value, int | float) else _number(str(value))
    if number is None:
        raise DataFileError(f"'{value}' is not a percentage", location=Location(source, row + 1, column))
    shown = _round_half_up(float(number), 10.0**-decimals)
    if number != 0 and round(shown, decimals) == 0:
        return low
    return f"{shown:.{decimals}f}"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
