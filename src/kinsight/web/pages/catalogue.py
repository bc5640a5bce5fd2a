"""The dataset catalogue: one row per table held (years, latest rows, sparse fields), with a page per table.

A ten-year authority holds about 240 table-years; listing each on its own line buried the one thing a
newcomer wants to know (what is here, how recent, how complete), so the list is grouped by table and
the per-year detail lives on the table's own page.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from kinsight.domain.roles import Permission
from kinsight.domain.years import parse_year
from kinsight.errors import NotFoundError
from kinsight.services.auth import Principal
from kinsight.web.data import catalogue_entries, summarise
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Catalogue", "/catalogue", Permission.CATALOGUE_VIEW, order=10),)

# A field blank in at least this share of the latest year's rows is "mostly missing".
MOSTLY_MISSING_PCT = 50.0


@dataclass(frozen=True)
class TableSummary:
    """One dataset table across every year held."""

    dataset: str
    table: str
    years: tuple[str, ...]
    latest_rows: int
    total_rows: int
    mostly_missing: tuple[str, ...]
    last_loaded: str | None
    entries: tuple[dict[str, Any], ...]

    @property
    def latest_year(self) -> str:
        return self.years[-1]


def table_summaries(entries: list[dict[str, Any]]) -> list[TableSummary]:
    """Group catalogue entries (one per dataset, table and year) into one summary per dataset table.

    Tables keep the order the catalogue gives them (spec order within a dataset); years are sorted.
    """
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in entries:
        grouped.setdefault((str(entry["dataset"]), str(entry["table"])), []).append(entry)
    summaries = []
    for (dataset, table), items in grouped.items():
        items = sorted(items, key=lambda e: parse_year(str(e["year"])))
        latest = items[-1]
        loaded = [str(e["loaded_at"]) for e in items if e.get("loaded_at")]
        summaries.append(
            TableSummary(
                dataset=dataset,
                table=table,
                years=tuple(str(e["year"]) for e in items),
                latest_rows=int(latest.get("rows") or 0),
                total_rows=sum(int(e.get("rows") or 0) for e in items),
                mostly_missing=tuple(
                    f["name"]
                    for f in latest.get("fields") or []
                    if float(f.get("missing_pct") or 0.0) >= MOSTLY_MISSING_PCT
                ),
                last_loaded=max(loaded) if loaded else None,
                entries=tuple(items),
            )
        )
    return summaries


@router.get("/catalogue")
def catalogue(
    request: Request, principal: Principal = Depends(require(Permission.CATALOGUE_VIEW))
) -> Response:
    entries = catalogue_entries(get_settings(request))
    tables: dict[str, list[TableSummary]] = {}
    for summary in table_summaries(entries):
        tables.setdefault(summary.dataset, []).append(summary)
    return render(
        request,
        "pages/catalogue.html",
        {
            "title": "Dataset catalogue",
            "tables": tables,
            "summaries": summarise(entries),
            "mostly_missing_pct": MOSTLY_MISSING_PCT,
        },
    )


@router.get("/catalogue/{dataset}/{table}")
def catalogue_table(
    request: Request,
    dataset: str,
    table: str,
    principal: Principal = Depends(require(Permission.CATALOGUE_VIEW)),
) -> Response:
    entries = [
        e
        for e in catalogue_entries(get_settings(request))
        if e.get("dataset") == dataset and e.get("table") == table
    ]
    if not entries:
        raise NotFoundError(
            f"no table '{table}' of dataset '{dataset}' is held",
            hint="The catalogue lists every table held.",
        )
    summary = table_summaries(entries)[0]
    return render(
        request,
        "pages/catalogue_table.html",
        {
            "title": f"{summary.table} of {summary.dataset}",
            "summary": summary,
            "latest": summary.entries[-1],
            "mostly_missing_pct": MOSTLY_MISSING_PCT,
        },
    )
