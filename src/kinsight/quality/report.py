"""Reports a data officer can work through: CSV and Excel (one row per finding) and an HTML summary.

The HTML report carries two Altair charts: findings by rule, and findings by rule over every year held
(the guidance's "analyse error logs on historic returns"), rendered to inline SVG so it opens offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

if TYPE_CHECKING:  # altair and polars are imported when a report is written: a --json run never pays for them
    import altair as alt
    import polars as pl

COLUMNS = ["dataset", "year", "child", "table", "row", "fields", "rule", "severity", "message"]


def _svg(chart: alt.Chart) -> str:
    try:
        import vl_convert as vlc

        return vlc.vegalite_to_svg(chart.to_json())
    except Exception:  # an SVG renderer problem must not lose the CSV and Excel outputs
        return "<p>(chart could not be drawn)</p>"


def findings_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    import polars as pl

    flat = [{**r, "fields": "; ".join(r.get("fields") or [])} for r in rows]
    frame = pl.DataFrame(
        flat, schema={c: pl.String for c in COLUMNS if c != "row"} | {"row": pl.Int64}, strict=False
    )
    return frame.select(COLUMNS).sort(["dataset", "year", "child", "table", "row", "rule"], nulls_last=True)


def write_reports(
    out_dir: Path,
    *,
    findings: list[dict[str, Any]],
    by_rule: list[dict[str, Any]],
    history: list[dict[str, Any]],
    scores: list[dict[str, Any]],
    outcomes: list[dict[str, Any]],
) -> dict[str, str]:
    import altair as alt

    out_dir.mkdir(parents=True, exist_ok=True)
    frame = findings_frame(findings)
    csv_path, xlsx_path, html_path = (
        out_dir / "findings.csv",
        out_dir / "findings.xlsx",
        out_dir / "quality.html",
    )
    frame.write_csv(csv_path)
    _write_excel(frame, xlsx_path)
    charts = {}
    if by_rule:
        charts["by_rule"] = _svg(
            alt.Chart(alt.Data(values=by_rule[:40]))
            .mark_bar()
            .encode(
                x=alt.X("findings:Q", title="findings"),
                y=alt.Y("rule:N", sort="-x", title="rule"),
                color=alt.Color("severity:N"),
            )
            .properties(width=520, title="Findings by rule")
        )
    if history:
        charts["by_year"] = _svg(
            alt.Chart(alt.Data(values=history))
            .mark_bar()
            .encode(
                x=alt.X("year:O", title="collection year"),
                y=alt.Y("findings:Q", title="findings"),
                color=alt.Color("severity:N"),
                tooltip=["rule:N", "findings:Q"],
            )
            .properties(width=520, title="Findings by year, historic returns")
        )
    env = Environment(
        loader=PackageLoader("kinsight.quality", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    html = env.get_template("report.html.j2").render(
        charts=charts,
        by_rule=by_rule,
        scores=scores,
        outcomes=outcomes,
        total=frame.height,
        sample=frame.head(200).to_dicts(),
    )
    html_path.write_text(html, encoding="utf-8")
    return {"csv": str(csv_path), "excel": str(xlsx_path), "html": str(html_path)}


def _write_excel(frame: pl.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("findings")
    sheet.append(COLUMNS)
    for row in frame.iter_rows():
        sheet.append(list(row))
    book.save(path)
