"""The forecast page: monthly placement demand with its interval band, costs, scenarios side by side,
the fitted rates that explain it, and ALWAYS its backtest beside it (how right the same model was).

The forecast and its full backtest are worked out once per store version and horizon, then kept in the
home with the CSV, Excel and HTML exports written by the service; page views read the stored result.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import FileResponse, Response

from kinsight.domain.roles import Permission
from kinsight.errors import KinsightError, NotFoundError, UsageError
from kinsight.services import forecast
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.pages.indicators import ResultCache, charts_js, key_of, store_version, svg_uri
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Forecast", "/forecast", Permission.FORECAST_VIEW, order=40),)

HORIZONS = (12, 24, 36)
DEFAULT_MONTHS = 24
DEFAULT_SCENARIOS = Path(__file__).resolve().parent.parent / "templates" / "forecast" / "scenarios.yaml"
EXPORTS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def scenarios_file(settings: Settings) -> Path:
    """The authority's own scenarios (``<home>/forecast/scenarios.yaml``) or the shipped examples."""
    own = settings.home / "forecast" / "scenarios.yaml"
    return own if own.exists() else DEFAULT_SCENARIOS


def _charts(result: dict[str, Any], backtest: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    months = [
        {"month": m["month"], "total": m["total"], "lower": m["lower"], "upper": m["upper"]}
        for m in result["months"]
    ]
    by_group = [
        {"month": m["month"], "placement": g, "children": v}
        for m in result["months"]
        for g, v in m["by_placement"].items()
    ]
    specs: dict[str, dict[str, Any]] = {
        "total": {
            "$schema": SCHEMA,
            "description": "Forecast children in care by month, with the prediction interval as a band",
            "data": {"values": months},
            "width": 520,
            "height": 260,
            "encoding": {"x": {"field": "month", "type": "temporal", "title": "Month"}},
            "layer": [
                {
                    "mark": {"type": "area", "opacity": 0.3, "color": "#1d70b8"},
                    "encoding": {
                        "y": {
                            "field": "lower",
                            "type": "quantitative",
                            "title": "Children in care",
                            "scale": {"zero": False},
                        },
                        "y2": {"field": "upper"},
                    },
                },
                {
                    "mark": {"type": "line", "color": "#0b0c0c", "point": True},
                    "encoding": {
                        "y": {"field": "total", "type": "quantitative"},
                        "tooltip": [
                            {"field": "month", "type": "temporal"},
                            {"field": "total"},
                            {"field": "lower"},
                            {"field": "upper"},
                        ],
                    },
                },
            ],
        },
        "by_placement": {
            "$schema": SCHEMA,
            "description": "Forecast children in care by placement group and month",
            "data": {"values": by_group},
            "mark": {"type": "line", "point": True},
            "width": 520,
            "height": 260,
            "encoding": {
                "x": {"field": "month", "type": "temporal", "title": "Month"},
                "y": {"field": "children", "type": "quantitative", "title": "Children"},
                "color": {"field": "placement", "type": "nominal", "title": "Placement"},
                "tooltip": [
                    {"field": "month", "type": "temporal"},
                    {"field": "placement"},
                    {"field": "children"},
                ],
            },
        },
    }
    if backtest:
        rows = backtest["model"]["by_horizon"]
        points = [{"month": r["month"], "series": "What happened", "children": r["actual"]} for r in rows]
        points += [
            {"month": r["month"], "series": "What the model forecast", "children": r["forecast"]}
            for r in rows
        ]
        specs["backtest"] = {
            "$schema": SCHEMA,
            "description": "Backtest: forecast made a year earlier against what happened",
            "data": {"values": points},
            "mark": {"type": "line", "point": True},
            "width": 360,
            "height": 220,
            "encoding": {
                "x": {"field": "month", "type": "temporal", "title": "Month"},
                "y": {
                    "field": "children",
                    "type": "quantitative",
                    "title": "Children in care",
                    "scale": {"zero": False},
                },
                "color": {"field": "series", "type": "nominal", "title": None},
                "strokeDash": {"field": "series", "type": "nominal", "title": None},
            },
        }
    return {name: {"spec": spec, "svg": svg_uri(spec)} for name, spec in specs.items()}


def _compute(settings: Settings, months: int, export_dir: Path) -> dict[str, Any]:
    from kinsight.forecast.export import ExportFormat  # the export formats the service takes

    result = forecast.forecast(
        settings,
        start=None,
        months=months,
        scenarios_file=scenarios_file(settings),
        export_formats=[ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.HTML],
        export_dir=export_dir,
    )
    companion = result.get("backtest") or {}
    backtest = None
    if companion.get("available"):
        backtest = forecast.backtest(
            settings, at=date.fromisoformat(companion["at"]), months=companion["months"]
        )
    return {"forecast": result, "backtest_detail": backtest, "charts": _charts(result, backtest)}


def forecast_result(settings: Settings, months: int = DEFAULT_MONTHS) -> dict[str, Any] | None:
    """The forecast with its backtest, cached per store version, horizon and scenarios file."""
    if months not in HORIZONS:
        raise UsageError(f"the horizon must be one of {', '.join(map(str, HORIZONS))} months")
    version = store_version(settings)
    if version is None:
        return None
    scenarios = scenarios_file(settings)
    key = key_of(months, str(scenarios), scenarios.stat().st_mtime_ns if scenarios.exists() else 0)
    cache = ResultCache(settings, "forecast")
    export_dir = cache.path(version, f"exports-{key}")
    return cache.cached(version, f"forecast-{key}.json", lambda: _compute(settings, months, export_dir))


def export_file(settings: Settings, months: int, fmt: str) -> Path:
    result = forecast_result(settings, months)
    if result is None or fmt not in EXPORTS:
        raise NotFoundError("there is no such export", hint="Choose CSV, Excel or HTML on the forecast page.")
    root = ResultCache(settings, "forecast").root.resolve()
    for written in result["forecast"].get("exported", []):
        path = Path(written).resolve()
        if path.suffix == f".{fmt}" and path.is_relative_to(root) and path.exists():
            return path
    raise NotFoundError("the export file is no longer there", hint="Reload the forecast page.")


@router.get("/forecast")
def forecast_page(
    request: Request,
    months: int = DEFAULT_MONTHS,
    principal: Principal = Depends(require(Permission.FORECAST_VIEW)),
) -> Response:
    settings = get_settings(request)
    months = months if months in HORIZONS else DEFAULT_MONTHS
    result, error = None, None
    try:
        result = forecast_result(settings, months)
    except KinsightError as problem:
        error = problem
    return render(
        request,
        "forecast/index.html",
        {
            "title": "Placement demand forecast",
            "result": result,
            "error": error,
            "months": months,
            "horizons": HORIZONS,
            "charts_js": charts_js(),
            "own_scenarios": scenarios_file(settings) != DEFAULT_SCENARIOS,
        },
        status_code=error.http_status if error else 200,
    )


@router.get("/forecast/export.{fmt}")
def forecast_export(
    request: Request,
    fmt: str,
    months: int = DEFAULT_MONTHS,
    principal: Principal = Depends(require(Permission.FORECAST_VIEW)),
) -> Response:
    path = export_file(get_settings(request), months if months in HORIZONS else DEFAULT_MONTHS, fmt)
    return FileResponse(path, media_type=EXPORTS[fmt], filename=f"kinsight-{path.name}")
