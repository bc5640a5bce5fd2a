"""An evaluation report for the oversight group: HTML (Jinja) with a chart (Altair via vl-convert), and PDF.

Written for an oversight group.  The first thing the reader sees is the verdict in plain words (every
threshold set at design met or not, with a red box listing each one not met), then the plain-words
summary; only then the per-group figures with their intervals, the gaps between groups, calibration and
the factors behind individual outputs.  A poor result cannot be missed by skimming.
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


def verdict_words(result: dict[str, Any]) -> str:
    """One sentence that says whether the model met what was asked of it at design."""
    verdict = result.get("verdict")
    if not verdict:
        return (
            "No thresholds were set at design, so there is no verdict: judge the figures below against "
            "what the tool is for before any use."
        )
    results = verdict["results"]
    failed = sum(1 for r in results if not r["met"])
    if failed == 0:
        return f"The model meets every one of the {len(results)} thresholds set at design."
    one = "threshold" if len(results) == 1 else "thresholds"
    return f"The model does NOT meet {failed} of the {len(results)} {one} set at design."


def render_html(
    result: dict[str, Any],
    *,
    title: str,
    notice: str,
    explanations: list[dict[str, Any]] | None = None,
) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("evaluation_report.html.j2")
    rows = [("Overall", result["overall"])] + list((result.get("by_group") or {}).items())
    return template.render(
        result=result,
        rows=rows,
        title=title,
        notice=notice,
        chart=recall_chart_svg(result),
        verdict_sentence=verdict_words(result),
        explanations=explanations or [],
        pct=_pct,
        num=_num,
    )


def write_report(
    result: dict[str, Any],
    out_dir: Path,
    *,
    name: str,
    title: str,
    notice: str,
    pdf: bool = True,
    explanations: list[dict[str, Any]] | None = None,
) -> dict[str, str]:
    """Write ``name.html`` (and ``name.pdf``) into ``out_dir``; returns the paths written.

    ``explanations`` are outputs as :func:`kinsight.evaluation.explain.explain_rows` gives them (with
    optional ``child``/``placement_start``); they are shown as factors in plain words.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(result, title=title, notice=notice, explanations=explanations)
    html_path = out_dir / f"{name}.html"
    html_path.write_text(html, encoding="utf-8")
    written = {"html": str(html_path)}
    if pdf:
        from weasyprint import HTML

        pdf_path = out_dir / f"{name}.pdf"
        HTML(string=html, base_url=str(out_dir)).write_pdf(str(pdf_path))
        written["pdf"] = str(pdf_path)
    return written
