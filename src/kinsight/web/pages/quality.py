"""The data-quality page: scores per dataset and year, findings by rule and year, the findings table.

The audit is expensive, so it runs only when an analyst presses the button (or calls the API); its
result is kept in the home (``cache/web/quality/latest``): the summary as JSON, the findings as a
Parquet file the table pages through, and the report files the service wrote.  Every figure shown is
the service's; the page only picks and filters rows.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import polars as pl
from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from kinsight.domain.roles import Permission
from kinsight.errors import KinsightError, NotFoundError
from kinsight.services import quality
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.pages.indicators import ResultCache, charts_js, held_tables, store_version, svg_uri
from kinsight.web.security import check_csrf
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Data quality", "/quality", Permission.QUALITY_VIEW, order=20),)

PAGE_SIZE = 50
LATEST = "latest"
SEVERITIES = ("error", "query", "warning")
REPORT_KINDS = {"csv": ("csv", "text/csv"), "excel": ("excel", None), "html": ("html", "text/html")}
FINDING_COLUMNS = ["dataset", "year", "rule", "table", "row", "child", "fields", "severity", "message"]


def _cache(settings: Settings) -> ResultCache:
    return ResultCache(settings, "quality")


def _findings_file(settings: Settings) -> Path:
    return _cache(settings).path(LATEST, "findings.parquet")


def latest_run(settings: Settings) -> dict[str, Any] | None:
    """The summary of the last audit run from the web, with whether the data changed since."""
    summary = _cache(settings).read(LATEST, "summary.json")
    if summary is None:
        return None
    summary["stale"] = summary.get("store_version") != store_version(settings)
    return summary


def _severity_of(by_rule: list[dict[str, Any]]) -> dict[str, str]:
    return {r["rule"]: r["severity"] for r in by_rule}


def _charts(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs over the service's figures, each with its server-drawn SVG."""
    scores = [
        {"dataset": s["dataset"], "year": s["year"], "score": s["score"]} for s in summary.get("scores", [])
    ]
    by_rule = summary["summary"]["by_rule"][:25]
    severity = _severity_of(summary["summary"]["by_rule"])
    by_year = [
        {
            "dataset": o["dataset"],
            "year": o["year"],
            "rule": o["rule"],
            "findings": o["findings"],
            "severity": severity.get(o["rule"], "unknown"),
        }
        for o in summary.get("outcomes", [])
        if o.get("findings")
    ]
    colour = {
        "field": "severity",
        "type": "nominal",
        "title": "Severity",
        "scale": {"domain": list(SEVERITIES), "range": ["#d4351c", "#f47738", "#1d70b8"]},
    }
    specs: dict[str, dict[str, Any]] = {
        "scores": {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "description": "Data-quality score by dataset and collection year",
            "data": {"values": scores},
            "mark": "bar",
            "width": 420,
            "height": 220,
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": "Collection year"},
                "xOffset": {"field": "dataset"},
                "y": {
                    "field": "score",
                    "type": "quantitative",
                    "title": "Score (100 = no problems)",
                    "scale": {"domain": [0, 100]},
                },
                "color": {"field": "dataset", "type": "nominal", "title": "Dataset"},
                "tooltip": [{"field": "dataset"}, {"field": "year"}, {"field": "score"}],
            },
        },
        "by_rule": {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "description": "Findings by rule, the 25 rules with most findings",
            "data": {"values": by_rule},
            "mark": "bar",
            "width": 420,
            "encoding": {
                "y": {"field": "rule", "type": "nominal", "sort": "-x", "title": "Rule"},
                "x": {"field": "findings", "type": "quantitative", "title": "Findings"},
                "color": colour,
                "tooltip": [{"field": "rule"}, {"field": "findings"}, {"field": "message"}],
            },
        },
        "by_year": {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "description": "Findings by collection year and severity",
            "data": {"values": by_year},
            "mark": "bar",
            "width": 420,
            "height": 220,
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": "Collection year"},
                "y": {"aggregate": "sum", "field": "findings", "type": "quantitative", "title": "Findings"},
                "color": colour,
                "tooltip": [
                    {"field": "year"},
                    {"aggregate": "sum", "field": "findings", "title": "findings"},
                ],
            },
        },
    }
    return {name: {"spec": spec, "svg": svg_uri(spec)} for name, spec in specs.items()}


def run_audit(settings: Settings, *, year: str | None = None, dataset: str | None = None) -> dict[str, Any]:
    """Run the audit through the service and keep its result for the page (findings in Parquet)."""
    payload = quality.run_quality(settings, year=year or None, dataset=dataset or None)
    cache = _cache(settings)
    findings = payload.pop("findings")
    folder = cache.path(LATEST, "")
    folder.mkdir(parents=True, exist_ok=True)
    frame = pl.DataFrame(
        [{**f, "fields": ", ".join(f.get("fields") or [])} for f in findings],
        schema={c: (pl.Int64 if c == "row" else pl.String) for c in FINDING_COLUMNS},
        strict=False,
    )
    tmp = folder / "findings.parquet.tmp"
    frame.write_parquet(tmp)
    tmp.replace(_findings_file(settings))
    payload["store_version"] = store_version(settings)
    payload["asked"] = {"year": year or None, "dataset": dataset or None}
    payload["charts"] = _charts(payload)
    cache.write(LATEST, "summary.json", payload)
    return payload


def findings_page(
    settings: Settings,
    *,
    rule: str | None = None,
    severity: str | None = None,
    year: str | None = None,
    dataset: str | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> dict[str, Any]:
    """One page of the last run's findings, filtered by rule, severity, year and dataset."""
    path = _findings_file(settings)
    if not path.exists():
        return {"total": 0, "offset": offset, "limit": limit, "findings": []}
    scan = pl.scan_parquet(path)
    for column, value in (("rule", rule), ("severity", severity), ("year", year), ("dataset", dataset)):
        if value:
            scan = scan.filter(pl.col(column) == value)
    total = int(scan.select(pl.len()).collect().item())
    rows = (
        scan.sort(["dataset", "year", "child", "table", "row", "rule"], nulls_last=True)
        .slice(offset, limit)
        .collect()
        .to_dicts()
    )
    return {"total": total, "offset": offset, "limit": limit, "findings": rows}


def _held_years(settings: Settings) -> list[str]:
    return sorted({str(e.get("year")) for e in held_tables(settings) if e.get("year")})


def _filters(rule: str, severity: str, year: str, dataset: str) -> dict[str, str]:
    return {
        "rule": rule,
        "severity": severity if severity in SEVERITIES else "",
        "year": year,
        "dataset": dataset,
    }


def _table_context(settings: Settings, filters: dict[str, str], page: int) -> dict[str, Any]:
    page = max(1, min(page, 1_000_000))
    result = findings_page(
        settings, **{k: v or None for k, v in filters.items()}, offset=(page - 1) * PAGE_SIZE
    )
    pages = max(1, -(-result["total"] // PAGE_SIZE))
    query = urlencode({k: v for k, v in filters.items() if v})
    return {**result, "filters": filters, "page": page, "pages": pages, "query": query}


@router.get("/quality")
def quality_page(
    request: Request,
    rule: str = "",
    severity: str = "",
    year: str = "",
    dataset: str = "",
    page: int = 1,
    principal: Principal = Depends(require(Permission.QUALITY_VIEW)),
) -> Response:
    settings = get_settings(request)
    run = latest_run(settings)
    filters = _filters(rule, severity, year, dataset)
    return render(
        request,
        "quality/index.html",
        {
            "title": "Data quality",
            "run": run,
            "scores": run["scores"] if run else quality.latest_scores(settings),
            "held_years": _held_years(settings),
            "can_run": is_allowed(principal, Permission.QUALITY_RUN),
            "can_download": is_allowed(principal, Permission.DATA_EXPORT),
            "charts_js": charts_js(),
            "table": _table_context(settings, filters, page),
            "rules": [r["rule"] for r in run["summary"]["by_rule"]] if run else [],
            "severities": SEVERITIES,
            "datasets": sorted({s["dataset"] for s in run["scores"]}) if run else [],
            "years": sorted({s["year"] for s in run["scores"]}) if run else [],
            "has_data": store_version(settings) is not None,
        },
    )


@router.get("/quality/findings")
def quality_findings(
    request: Request,
    rule: str = "",
    severity: str = "",
    year: str = "",
    dataset: str = "",
    page: int = 1,
    principal: Principal = Depends(require(Permission.QUALITY_VIEW)),
) -> Response:
    """The findings table alone (htmx swaps it in); without JavaScript the filter form loads /quality."""
    if request.headers.get("hx-request") != "true":
        query = str(request.url.query)
        return RedirectResponse("/quality" + (f"?{query}" if query else "") + "#findings", status_code=303)
    settings = get_settings(request)
    return render(
        request,
        "quality/findings_table.html",
        {"table": _table_context(settings, _filters(rule, severity, year, dataset), page)},
    )


@router.post("/quality/run")
def quality_run(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Permission.QUALITY_RUN)),
) -> Response:
    check_csrf(request, csrf_token)
    settings = get_settings(request)
    try:
        run_audit(settings, year=year or None)
    except KinsightError as error:
        run = latest_run(settings)
        return render(
            request,
            "quality/index.html",
            {
                "title": "Data quality",
                "run": run,
                "scores": run["scores"] if run else [],
                "held_years": _held_years(settings),
                "can_run": True,
                "can_download": is_allowed(principal, Permission.DATA_EXPORT),
                "charts_js": charts_js(),
                "table": _table_context(settings, _filters("", "", "", ""), 1),
                "rules": [],
                "severities": SEVERITIES,
                "datasets": [],
                "years": [],
                "has_data": store_version(settings) is not None,
                "error": error,
            },
            status_code=error.http_status if error.http_status < 500 else 500,
        )
    return RedirectResponse("/quality?ran=1", status_code=303)


def report_file(settings: Settings, kind: str) -> Path:
    """A report file of the last run, checked to lie inside the home's reports folder."""
    run = latest_run(settings)
    if kind not in REPORT_KINDS or run is None or kind not in (run.get("reports") or {}):
        raise NotFoundError("there is no such report yet", hint="Run the data-quality audit first.")
    path = Path(run["reports"][kind]).resolve()
    if not path.is_relative_to(settings.reports_dir.resolve()) or not path.exists():
        raise NotFoundError("the report file is no longer there", hint="Run the data-quality audit again.")
    return path


@router.get("/quality/download/{kind}")
def quality_download(
    request: Request,
    kind: str,
    principal: Principal = Depends(require(Permission.QUALITY_VIEW)),
    exporter: Principal = Depends(require(Permission.DATA_EXPORT)),
) -> Response:
    path = report_file(get_settings(request), kind)
    media = REPORT_KINDS[kind][1] or "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(path, media_type=media, filename=f"kinsight-quality-{path.name}")
