"""The shadow-running report for the oversight group: HTML (Jinja), a chart (Altair via vl-convert), PDF.

Built the same way as the evaluation report (:mod:`kinsight.evaluation.report`).  It opens with a banner
saying the model's outputs were never shown to decision makers, then the comparison in plain words (how
often the model agreed with the professionals, what it would have missed, precision and recall against
later outcomes with intervals), then the tables per group and per intersection, the chart and the gaps.
Only aggregate figures appear: no child is named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kinsight.evaluation.report import TEMPLATES

WHO = {"model": "Model (would have)", "decisions": "Professionals (did)"}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _interval(interval: list[float | None] | None) -> str:
    if not interval or interval[0] is None or interval[1] is None:
        return ""
    return f"{interval[0]:.0%}–{interval[1]:.0%}"


def recall_comparison_svg(by_group: dict[str, dict[str, Any]]) -> str | None:
    """Recall by group for the model and for the professionals, side by side, with 95% intervals.

    Withheld groups and groups where recall cannot be measured are left out of the chart.
    """
    rows: list[dict[str, Any]] = []
    for key, block in by_group.items():
        if block["suppressed"]:
            continue
        for part, label in WHO.items():
            judged = block[part]
            if judged.get("recall") is None:
                continue
            low, high = (judged.get("ci") or {}).get("recall") or (None, None)
            rows.append({"group": key, "who": label, "recall": judged["recall"], "low": low, "high": high})
    if not rows:
        return None
    groups = len({r["group"] for r in rows})
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("group:N", title=None),
        yOffset=alt.YOffset("who:N"),
        color=alt.Color("who:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    chart = (
        base.transform_filter("isValid(datum.low)")
        .mark_rule()
        .encode(
            x=alt.X(
                "low:Q",
                title="Recall (share of those with the outcome flagged / acted for)",
                scale=alt.Scale(domain=[0, 1]),
            ),
            x2="high:Q",
        )
        + base.mark_point(filled=True, size=60).encode(x="recall:Q")
    ).properties(
        width=420,
        height=max(80, 34 * groups),
        title="Recall by group: model and professionals, 95% intervals",
    )
    return vlc.vegalite_to_svg(chart.to_json())


def render_shadow_html(result: dict[str, Any], *, title: str) -> str:
    """The report as one self-contained HTML page (the chart is inline SVG)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("shadow_report.html.j2")
    by_group = result.get("by_group") or {}
    columns = result.get("group_columns") or []
    single = dict(result.get("by_column") or {}) if len(columns) > 1 else {}
    return template.render(
        result=result,
        title=title,
        single_columns=single,
        intersection=by_group if len(columns) > 1 else {},
        only_column=(columns[0], by_group) if len(columns) == 1 else None,
        chart=recall_comparison_svg(by_group) if by_group else None,
        pct=_pct,
        interval=_interval,
        who=WHO,
    )


def write_shadow_report(
    result: dict[str, Any], *, title: str, html_path: Path | None = None, pdf_path: Path | None = None
) -> dict[str, str]:
    """Write the HTML and/or the PDF (WeasyPrint) where asked; returns the paths written."""
    html = render_shadow_html(result, title=title)
    written: dict[str, str] = {}
    if html_path is not None:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(html, encoding="utf-8")
        written["html"] = str(html_path)
    if pdf_path is not None:
        from weasyprint import HTML  # imported here: slow to import, and only the PDF needs it

        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        HTML(string=html, base_url=str(pdf_path.parent)).write_pdf(str(pdf_path))
        written["pdf"] = str(pdf_path)
    return written
