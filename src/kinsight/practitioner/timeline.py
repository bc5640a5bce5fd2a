"""A child's timeline: every dated record held, newest first, in plain words (``timeline_words.yaml``).

One query (a UNION ALL over the typed store tables named in the words file) fetches the child's rows;
codes are turned into their meanings from the dataset specs.  A role sees an event only when it may
see the privacy class of the field that dates it; inside the sentence, any field it may not see is
shown as "(hidden)".  The same record repeated in several years' returns (an open episode is sent
again every year) is shown once, from the newest return.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
from pydantic import BaseModel, ConfigDict

from kinsight.domain.specs import DatasetSpec, PrivacyClass
from kinsight.domain.yamlfiles import read_yaml
from kinsight.specs import load_spec

WORDS_FILE = Path(__file__).with_name("timeline_words.yaml")
ID_COLUMN = {"ssda903": "CHILD", "cin_census": "LAchildID"}
HIDDEN = "(hidden)"
NOT_RECORDED = "not recorded"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

CanSee = Callable[[PrivacyClass], bool]


class _Factors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str
    field: str
    keys: list[str]
    words: str


class EventDef(BaseModel):
    """One kind of timeline event, read from the words file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    service: str
    dataset: str
    table: str
    words: str
    date: str | None = None
    date_sql: str | None = None
    when_true: dict[str, str] = {}
    skip_when: dict[str, list[str]] = {}
    factors: _Factors | None = None

    def fields(self) -> list[str]:
        named = _PLACEHOLDER.findall(self.words) + list(self.when_true) + list(self.skip_when)
        return sorted(set(named))


class TimelineWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    services: dict[str, str]
    events: list[EventDef]


@lru_cache(maxsize=1)
def timeline_words() -> TimelineWords:
    return TimelineWords.model_validate(read_yaml(WORDS_FILE))


@lru_cache(maxsize=4)
def _spec(dataset: str) -> DatasetSpec:
    return load_spec(dataset)


@dataclass(frozen=True)
class Event:
    """One line of the timeline."""

    when: date
    kind: str
    service: str
    source: str
    words: str
    year: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.when.isoformat(),
            "kind": self.kind,
            "service": self.service,
            "source": self.source,
            "words": self.words,
            "collection_year": self.year,
        }


def _select(event: EventDef, tables: set[str]) -> str | None:
    name = f"{event.dataset}_{event.table}"
    if name not in tables:
        return None
    id_col = ID_COLUMN[event.dataset]
    when = event.date_sql or f't."{event.date}"'
    values = ", ".join(f'"{f}" := t."{f}"' for f in event.fields()) or "none := NULL"
    factors = "CAST(NULL AS VARCHAR[])"
    join = ""
    if event.factors is not None:
        f = event.factors
        child_table = f"{event.dataset}_{f.table}"
        if child_table in tables:
            keys = ", ".join(f'"{k}"' for k in f.keys)
            on = " AND ".join(f'f."{k}" = t."{k}"' for k in f.keys)
            codes = f'list(DISTINCT "{f.field}" ORDER BY "{f.field}") AS codes'
            join = (
                f" LEFT JOIN (SELECT {keys}, collection_year, {codes} "
                f'FROM "{child_table}" WHERE "{id_col}" = $child GROUP BY ALL) f '
                f"ON {on} AND f.collection_year = t.collection_year"
            )
            factors = "f.codes"
    return (
        f"SELECT '{event.kind}' AS kind, CAST({when} AS DATE) AS at, t.collection_year AS year, "
        f"CAST(to_json(struct_pack({values})) AS VARCHAR) AS vals, {factors} AS factors "
        f'FROM "{name}" t{join} WHERE t."{id_col}" = $child AND {when} IS NOT NULL'
    )


def store_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The store's table names (callers may cache them per store version and pass them back in)."""
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def _value_words(spec: DatasetSpec, table: str, field: str, value: Any, can_see: CanSee) -> str:
    field_spec = spec.tables[table].fields.get(field)
    if field_spec is not None and not can_see(field_spec.privacy):
        return HIDDEN
    if value is None or value == "":
        return NOT_RECORDED
    if field_spec is not None and field_spec.codeset:
        meaning = spec.meaning(field_spec.codeset, str(value))
        return meaning if meaning else f"code {value}"
    return str(value)


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"1", "true", "y", "yes"}


def render(event: EventDef, values: dict[str, Any], codes: list[str] | None, can_see: CanSee) -> str:
    """The sentence for one row: codes in words, hidden fields marked, flags and factors added."""
    spec = _spec(event.dataset)
    text = _PLACEHOLDER.sub(
        lambda m: _value_words(spec, event.table, m.group(1), values.get(m.group(1)), can_see), event.words
    )
    for field, extra in event.when_true.items():
        field_spec = spec.tables[event.table].fields.get(field)
        if field_spec is not None and not can_see(field_spec.privacy):
            continue
        if _truthy(values.get(field)):
            text += " " + extra
    if event.factors is not None and codes:
        factor_spec = spec.tables[event.factors.table].fields[event.factors.field]
        if can_see(factor_spec.privacy):
            meanings = [
                (spec.meaning(factor_spec.codeset, c) if factor_spec.codeset else None) or f"code {c}"
                for c in codes
                if c
            ]
            if meanings:
                text += " " + event.factors.words.replace("{factors}", "; ".join(meanings))
    return text


def _visible(event: EventDef, can_see: CanSee) -> bool:
    if event.date is None:
        return True
    field_spec = _spec(event.dataset).tables[event.table].fields.get(event.date)
    return field_spec is None or can_see(field_spec.privacy)


def timeline(
    con: duckdb.DuckDBPyConnection, child: str, can_see: CanSee, *, tables: set[str] | None = None
) -> list[Event]:
    """Every event held for ``child``, newest first (ties in a fixed order of kind and words)."""
    words = timeline_words()
    tables = store_tables(con) if tables is None else tables
    by_kind = {e.kind: e for e in words.events}
    selects = [s for e in words.events if _visible(e, can_see) and (s := _select(e, tables))]
    if not selects:
        return []
    rows = con.execute(" UNION ALL ".join(selects), {"child": child}).fetchall()
    # newest return first, so the first copy of a repeated record kept is the newest one
    rows.sort(key=lambda r: str(r[2]), reverse=True)
    seen: set[tuple[str, date, str]] = set()
    events: list[Event] = []
    for kind, at, year, vals, codes in rows:
        event = by_kind[kind]
        values = json.loads(vals)
        if any(str(values.get(f)) in codes_ for f, codes_ in event.skip_when.items()):
            continue
        text = render(event, values, codes, can_see)
        key = (kind, at, text)
        if key in seen:
            continue
        seen.add(key)
        events.append(Event(at, kind, words.services[event.service], event.dataset, text, str(year)))
    events.sort(key=lambda e: (-e.when.toordinal(), e.kind, e.words))
    return events
