"""Write a forecast out as CSV, Excel and a self-contained HTML report (aggregate figures only)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    HTML = "html"


def forecast_table(result: dict[str, Any]) -> pl.DataFrame:
    """One row per month: total, bounds, and children by placement group."""
    rows = []
    for m in result["months"]:
        row = {"month": m["month"], "total": m["total"], "lower": m["lower"], "upper": m["upper"]}
        row.update({f"children_{g}": v for g, v in m["by_placement"].items()})
        rows.append(row)
    costs = {c["month"]: c for c in result["costs"]["months"]}
    for row in rows:
        c = costs.get(row["month"])
        if c:
            row.update(cost_total=c["total"], cost_lower=c["lower"], cost_upper=c["upper"])
    return pl.DataFrame(rows)


def _write_xlsx(result: dict[str, Any], path: Path) -> None:
    from openpyxl import Workbook  # imported here: only Excel export needs it, and it is slow to import

    book = Workbook()
    sheet = book.active
    sheet.title = "forecast"
    table = forecast_table(result)
    sheet.append(table.columns)
    for row in table.iter_rows():
        sheet.append(list(row))
    notes = book.create_sheet("method")
    notes.append(["interval_method", result["interval_method"]])
    notes.append(["start", result["start"]])
    notes.append(["reference", f"{result['rates']['reference_start']} to {result['rates']['reference_end']}"])
    if "backtest" in result and result["backtest"].get("available"):
        bt = result["backtest"]
        notes.append(["backtest at", bt["at"]])
        notes.append(["backtest model MAE", bt["model"]["mae"]])
        notes.append(["backtest model MAPE", bt["model"]["mape"]])
        notes.append(["backtest interval coverage", bt["model"]["coverage"]])
    book.save(path)


def write_forecast(
    result: dict[str, Any], out_dir: Path, formats: list[ExportFormat], stem: str = "forecast"
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt.value}"
        if fmt is ExportFormat.CSV:
            forecast_table(result).write_csv(path)
        elif fmt is ExportFormat.XLSX:
            _write_xlsx(result, path)
        else:
            from jinja2 import Environment, PackageLoader, select_autoescape  # only the report needs it

            env = Environment(
                loader=PackageLoader("kinsight.forecast", "templates"), autoescape=select_autoescape()
            )
            path.write_text(env.get_template("forecast_report.html.j2").render(r=result), encoding="utf-8")
        written.append(path)
    return written
