"""Indicator pages: every indicator over every year held, as a chart and a published table.

Only published figures reach these pages: ``services.analytics.indicators(publish=True)`` has already
suppressed small cells (and the cells that would reveal them), and the charts come from the service
with the same cells left out.  A chart point whose cell the table hides is dropped here too, so no
chart shows what its table withholds.  Comparisons of two years are the service's, with confidence
intervals; a comparison that rests on a suppressed cell is withheld rather than shown.

The second half of the module holds what the four analysis areas share: the store version, a small
cache of results in the home (expensive results are worked out once per version of the data, never on
every page view) and server-side SVG drawing for pages seen without JavaScript.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

import base64
import hashlib
import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from kinsight.domain.roles import Permission
from kinsight.errors import KinsightError, NotFoundError
from kinsight.services import analytics
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.web.data import catalogue_entries
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.templating import render

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Indicators", "/indicators", Permission.ANALYTICS_VIEW, order=30),)

# --- shared by the analysis pages -------------------------------------------------------------------

VEGA_EMBED = Path(__file__).resolve().parent.parent / "static" / "vendor" / "vega" / "vega-embed.min.js"
_versions: dict[Path, tuple[tuple[int, ...], str, list[dict[str, Any]]]] = {}
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def charts_js() -> bool:
    """Whether the Vega files are served; without them pages show the SVG or the table instead."""
    return VEGA_EMBED.exists()


def _stat_key(path: Path) -> tuple[int, ...]:
    key: list[int] = []
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            st = candidate.stat()
            key += [st.st_mtime_ns, st.st_size]
    return tuple(key)


def _catalogue(settings: Settings) -> tuple[str, list[dict[str, Any]]] | None:
    """(version, one row per dataset table and year held), read again only when the store file changed."""
    path = settings.store_path
    if not path.exists():
        return None
    key = _stat_key(path)
    known = _versions.get(path)
    if known and known[0] == key:
        return known[1], known[2]
    entries = catalogue_entries(settings)
    held = [
        {
            "dataset": e.get("dataset"),
            "table": e.get("table"),
            "year": e.get("year"),
            "rows": e.get("rows"),
            "loaded_at": str(e.get("loaded_at")),
            "file": e.get("file"),
        }
        for e in entries
    ]
    version = hashlib.sha256(json.dumps(held, sort_keys=True).encode()).hexdigest()[:16]
    _versions[path] = (key, version, held)
    return version, held


def store_version(settings: Settings) -> str | None:
    """A short fingerprint of what the store holds (tables, years, rows, files, load times).

    It changes when data is loaded or replaced, not when a quality run writes its findings, so results
    cached against it stay valid until the data itself changes.  The catalogue is read only when the
    store file has changed since the last look.
    """
    found = _catalogue(settings)
    return found[0] if found and found[1] else None


def held_tables(settings: Settings) -> list[dict[str, Any]]:
    """Dataset, table, year and rows of every table held (from the catalogue, cached like the version)."""
    found = _catalogue(settings)
    return found[1] if found else []


def _lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class ResultCache:
    """JSON results kept in ``<home>/cache/web/<area>/<store version>/``; older versions are dropped."""

    def __init__(self, settings: Settings, area: str) -> None:
        self.root = settings.home / "cache" / "web" / area

    def path(self, version: str, name: str) -> Path:
        return self.root / version / name

    def read(self, version: str, name: str) -> dict[str, Any] | None:
        path = self.path(version, name)
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write(self, version: str, name: str, payload: dict[str, Any]) -> None:
        folder = self.root / version
        folder.mkdir(parents=True, exist_ok=True)
        for old in self.root.iterdir():
            if old.is_dir() and old.name != version:
                shutil.rmtree(old, ignore_errors=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=folder, suffix=".tmp", delete=False, encoding="utf-8"
        ) as tmp:
            json.dump(payload, tmp, default=str)
        Path(tmp.name).replace(folder / name)

    def cached(self, version: str, name: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The stored result, or ``compute()`` once (other requests for it wait) and stored."""
        found = self.read(version, name)
        if found is not None:
            return found
        with _lock(str(self.path(version, name))):
            found = self.read(version, name)
            if found is not None:
                return found
            payload = json.loads(json.dumps(compute(), default=str))
            self.write(version, name, payload)
            return payload


def key_of(*parts: object) -> str:
    """A file-name-safe key for a set of request options."""
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def svg_uri(spec: dict[str, Any]) -> str | None:
    """The chart drawn on the server (vl-convert) as a data URI, for pages seen without JavaScript."""
    try:
        import vl_convert as vlc

        svg = vlc.vegalite_to_svg(spec)
    except Exception:  # a drawing problem must not take the page down: the table still shows the figures
        log.warning("could not draw a chart on the server", exc_info=True)
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def published_number(value: Any) -> bool:
    """True for a figure that is shown; False for a suppressed or withheld cell ("c", "x", ...)."""
    if value is None:
        return False
    text = str(value).strip()
    return text.replace(".", "", 1).replace("-", "", 1).isdigit()


# --- indicators -------------------------------------------------------------------------------------

RESERVED = ("_meta", "rates_per_10000")


def published_indicators(settings: Settings) -> dict[str, Any] | None:
    """All indicators as published (small cells suppressed), cached per store version."""
    version = store_version(settings)
    if version is None:
        return None
    cache = ResultCache(settings, "indicators")
    return cache.cached(version, "published.json", lambda: analytics.indicators(settings, publish=True))


def _chart_specs(settings: Settings) -> dict[str, Any]:
    from kinsight.analytics.charts import ChartFormat  # the format enum the service takes

    with tempfile.TemporaryDirectory() as tmp:
        written = analytics.charts(settings, Path(tmp), ChartFormat.VEGA_LITE)
        return {p.name.removesuffix(".vl.json"): json.loads(p.read_text(encoding="utf-8")) for p in written}


def chart_specs(settings: Settings) -> dict[str, Any]:
    version = store_version(settings)
    if version is None:
        return {}
    return ResultCache(settings, "indicators").cached(version, "charts.json", lambda: _chart_specs(settings))


def indicator_names(data: dict[str, Any]) -> list[str]:
    return [name for name in data if name not in RESERVED]


def years_of(data: dict[str, Any]) -> list[str]:
    years: set[str] = set()
    for name in indicator_names(data):
        years |= set((data[name].get("values") or {}).keys())
    return sorted(years)


def _cell_hidden(kind: str, name: str, cells: dict[str, Any], point: dict[str, Any]) -> bool:
    if kind == "count":
        return not published_number(cells.get(name))
    if kind == "breakdown":
        return not published_number(cells.get(point.get("group")))
    if kind == "proportion":
        return not (published_number(cells.get("numerator")) and published_number(cells.get("denominator")))
    measure = point.get("measure")
    return measure in cells and not published_number(cells.get(measure))


def safe_spec(
    spec: dict[str, Any], name: str, kind: str, published: dict[str, Any], title: str
) -> dict[str, Any]:
    """The service's chart without any point whose cell the published table suppresses."""
    values = published.get("values") or {}
    points = (spec.get("data") or {}).get("values") or []
    kept = [
        p for p in points if not _cell_hidden(kind, name, values.get(str(p.get("collection_year")), {}), p)
    ]
    return {**spec, "data": {"values": kept}, "description": title}


def _table(name: str, published: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    values = published.get("values") or {}
    years = sorted(values)
    groups: list[str] = []
    for year in years:
        for group in values[year]:
            if group not in groups:
                groups.append(group)
    rows = [{"group": g, "cells": [values[y].get(g, "") for y in years]} for g in groups]
    return years, rows


def _percents(kind: str, spec: dict[str, Any]) -> dict[str, float]:
    """For proportions: the service's percentage per year (only years whose cells are published)."""
    if kind != "proportion":
        return {}
    return {
        str(p["collection_year"]): p["value"]
        for p in (spec.get("data") or {}).get("values") or []
        if p.get("value") is not None
    }


def compare_view(
    settings: Settings, data: dict[str, Any], *, indicator: str, first: str, second: str, group: str | None
) -> dict[str, Any]:
    """The service's comparison, or a reason it is withheld (it would rest on a suppressed cell)."""
    if indicator not in indicator_names(data):
        raise NotFoundError(
            f"there is no indicator called {indicator!r}", hint="Choose one from /indicators."
        )
    meta = data["_meta"]["indicators"][indicator]
    values = data[indicator].get("values") or {}
    for year in (first, second):
        cells = values.get(year)
        if cells is None:
            continue  # the service says which years it has
        needed = {
            "count": [indicator],
            "breakdown": [group] if group else [],
            "proportion": ["numerator", "denominator"],
        }.get(meta["kind"], [])
        if any(key in cells and not published_number(cells[key]) for key in needed):
            return {
                "withheld": (
                    f"This comparison is not shown: in {year} the figure is too small to publish "
                    f"(from 1 to {data['_meta'].get('threshold')} children), and comparing would reveal it."
                )
            }
    version = store_version(settings) or "none"
    cache = ResultCache(settings, "indicators")
    return cache.cached(
        version,
        f"compare-{key_of(indicator, first, second, group)}.json",
        lambda: analytics.compare(settings, indicator=indicator, first=first, second=second, group=group),
    )


def _sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    meta = data["_meta"]["indicators"]
    sections: dict[str, list[dict[str, Any]]] = {}
    for name in indicator_names(data):
        info = meta.get(name, {"title": name, "kind": "count", "dataset": "other", "description": ""})
        years, rows = _table(name, data[name])
        sections.setdefault(str(info.get("dataset")), []).append(
            {"name": name, **info, "years": years, "rows": rows if info.get("kind") == "count" else []}
        )
    titles = {"ssda903": "Children looked after (SSDA903)", "cin_census": "Children in need (CIN census)"}
    return [{"dataset": d, "title": titles.get(d, d), "entries": items} for d, items in sections.items()]


@router.get("/indicators")
def indicators_page(
    request: Request, principal: Principal = Depends(require(Permission.ANALYTICS_VIEW))
) -> Response:
    settings = get_settings(request)
    data = published_indicators(settings)
    return render(
        request,
        "indicators/index.html",
        {
            "title": "Indicators",
            "sections": _sections(data) if data else [],
            "years": years_of(data) if data else [],
            "threshold": settings.small_cell_threshold,
        },
    )


@router.get("/indicators/{name}")
def indicator_page(
    request: Request,
    name: str,
    first: str = "",
    second: str = "",
    group: str = "",
    principal: Principal = Depends(require(Permission.ANALYTICS_VIEW)),
) -> Response:
    settings = get_settings(request)
    data = published_indicators(settings)
    if not data or name not in indicator_names(data):
        raise NotFoundError(
            f"there is no indicator called {name!r}", hint="Choose one from the indicators page."
        )
    meta = data["_meta"]["indicators"].get(
        name, {"title": name, "kind": "count", "description": "", "unit": ""}
    )
    published = data[name]
    years, rows = _table(name, published)
    spec = chart_specs(settings).get(name)
    shown = safe_spec(spec, name, meta["kind"], published, meta["title"]) if spec else None
    comparison, error = None, None
    if first and second:
        try:
            comparison = compare_view(
                settings, data, indicator=name, first=first, second=second, group=group or None
            )
        except KinsightError as problem:
            error = problem
    return render(
        request,
        "indicators/detail.html",
        {
            "title": meta["title"],
            "name": name,
            "meta": meta,
            "years": years,
            "rows": rows,
            "percents": _percents(meta["kind"], shown or {}),
            "suppression": published.get("suppression") or {},
            "withheld": published.get("withheld"),
            "spec": shown,
            "charts_js": charts_js(),
            "threshold": data["_meta"].get("threshold"),
            "first": first or (years[-2] if len(years) > 1 else ""),
            "second": second or (years[-1] if years else ""),
            "group": group,
            "groups": [r["group"] for r in rows] if meta["kind"] == "breakdown" else [],
            "comparison": comparison,
            "error": error,
        },
        status_code=422 if error else 200,
    )
