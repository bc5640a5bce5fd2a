"""Read-only views of what the authority's store holds, for the home and catalogue pages.

The catalogue service belongs to the ingest area; it is looked up when called so that the site still
works (saying no data is loaded yet) in an installation where nothing has been ingested.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kinsight.settings import Settings

log = logging.getLogger(__name__)


_REMEMBERED: dict[Path, tuple[tuple[object, ...], list[dict[str, Any]]]] = {}
_REMEMBERED_GUARD = threading.Lock()
_REMEMBERED_JSON: dict[Path, tuple[tuple[object, ...], bytes]] = {}


def _store_stamp(store: Path) -> tuple[object, ...]:
    """Changes whenever the store does: size and modification time of the file and of its WAL."""
    stamp: list[object] = []
    for path in (store, store.with_name(store.name + ".wal")):
        try:
            info = path.stat()
        except FileNotFoundError:
            stamp.append(None)
        else:
            stamp.append((info.st_mtime_ns, info.st_size))
    return tuple(stamp)


def catalogue_entries(settings: Settings) -> list[dict[str, Any]]:
    """The catalogue, read from the store once per change of the store (entries are read-only).

    The home page, the catalogue page and the catalogue API all show it, and every view opened the
    store and read its profiles; it changes only when data is loaded.
    """
    try:
        module = importlib.import_module("kinsight.services.catalogue")
    except ModuleNotFoundError:
        return []
    store = settings.store_path
    if not store.exists():
        return []
    stamp = _store_stamp(store)
    with _REMEMBERED_GUARD:
        hit = _REMEMBERED.get(store)
    if hit is not None and hit[0] == stamp:
        return list(hit[1])
    entries = module.catalogue_entries(settings)
    ordered = sorted(entries, key=lambda e: (str(e.get("dataset")), str(e.get("table")), str(e.get("year"))))
    if _store_stamp(store) == stamp:  # not written to while it was read
        with _REMEMBERED_GUARD:
            _REMEMBERED[store] = (stamp, ordered)
    return list(ordered)


def _json_value(value: object) -> object:
    if isinstance(value, date):  # datetimes too: ISO 8601, as FastAPI would have written them
        return value.isoformat()
    return str(value)


def catalogue_json(settings: Settings) -> bytes:
    """The catalogue as the API's JSON body, serialised once per change of the store.

    Walking every entry through FastAPI's generic encoder cost more than the rest of an API request.
    """
    store = settings.store_path
    stamp = _store_stamp(store) if store.exists() else (None,)
    with _REMEMBERED_GUARD:
        hit = _REMEMBERED_JSON.get(store)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    body = json.dumps(catalogue_entries(settings), default=_json_value, separators=(",", ":")).encode()
    with _REMEMBERED_GUARD:
        _REMEMBERED_JSON[store] = (stamp, body)
    return body


@dataclass(frozen=True)
class DatasetSummary:
    dataset: str
    tables: int
    years: tuple[str, ...]
    rows: int
    last_loaded: Any
    owner: str | None
    source: str | None

    @property
    def latest_year(self) -> str | None:
        return self.years[-1] if self.years else None


def summarise(entries: list[dict[str, Any]]) -> list[DatasetSummary]:
    """One line per dataset: its tables, the years held, rows and when it was last loaded."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        grouped.setdefault(str(entry.get("dataset")), []).append(entry)
    summaries = []
    for dataset, items in sorted(grouped.items()):
        loaded = [e.get("loaded_at") for e in items if e.get("loaded_at") is not None]
        summaries.append(
            DatasetSummary(
                dataset=dataset,
                tables=len({e.get("table") for e in items}),
                years=tuple(sorted({str(e.get("year")) for e in items if e.get("year")})),
                rows=sum(int(e.get("rows") or 0) for e in items),
                last_loaded=max(loaded, key=str) if loaded else None,
                owner=next((e.get("owner") for e in items if e.get("owner")), None),
                source=next((e.get("source") for e in items if e.get("source")), None),
            )
        )
    return summaries
