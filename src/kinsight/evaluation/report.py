"""An evaluation report for the oversight group: HTML (Jinja) with a chart (Altair via vl-convert), and PDF.

The first thing the reader sees is the plain-words summary and, when thresholds were set, a red box
listing every threshold not met; a poor result cannot be missed by skimming.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import vl_convert as vlc
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def recall_chart_svg(result: dict[str, Any]) -> str | None:
    """Recall by group with its 95% interval; suppressed groups are left out of the chart."""
    rows = [
        {"group": k, "recall": b["recall"], "low": b["ci"]["recall"][0], "high": b["ci"]["recall"][1]}
        for k, b in (result.get("by_group") or {}).items()
        if not b["suppressed"]
        and b.get("recall") is not None
        and b.get("ci")
        and b["ci"]["recall"][0] is not None
    ]
    if not rows:
        return None
    data = pl.DataFrame(rows).to_dicts()
    base = alt.Chart(alt.Data(values=data)).encode(y=alt.Y("group:N", title=None))
    chart = (
        base.mark_rule().encode(
            x=alt.X(
                "low:Q",
                title="Recall (share of children with the outcome who were flagged)",
                scale=alt.Scale(domain=[0, 1]),
            ),
            x2="high:Q",
        )
        + base.mark_point(filled=True, size=60).encode(x="recall:Q")
    ).properties(width=420, height=max(60, 22 * len(rows)), title="Recall by group, with 95% intervals")
    return vlc.vegalite_to_svg(chart.to_json())


def render_html(result: dict[str, Any], *, title: str, notice: str) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("evaluation_report.html.j2")
    rows = [("Overall", result["overall"])] + list((result.get("by_group") or {}).items())
    return template.render(
        result=result,
        rows=rows,
        title=title,
        notice=notice,
        chart=recall_chart_svg(result),
        pct=_pct,
        num=_num,
    )


def write_report(
    result: dict[str, Any], out_dir: Path, *, name: str, title: str, notice: str, pdf: bool = True
) -> dict[str, str]:
    """Write ``name.html`` (and ``name.pdf``) into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(result, title=title, notice=notice)
    html_path = out_dir / f"{name}.html"
    html_path.write_text(html, encoding="utf-8")
    written = {"html": str(html_path)}
    if pdf:
        from weasyprint import HTML

        pdf_path = out_dir / f"{name}.pdf"
        HTML(string=html, base_url=str(out_dir)).write_pdf(str(pdf_path))
        written["pdf"] = str(pdf_path)
    return written
