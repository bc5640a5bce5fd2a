"""Charts of monitoring over time: PSI per field and accuracy per group, as Vega-Lite and static SVG.

Pages embed the SVG (so they work with JavaScript off) next to a table of the same figures; the
Vega-Lite spec is offered for tools that render it.  A threshold is drawn as a dashed rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt


def line_chart(
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    y_title: str,
    threshold: float | None = None,
) -> dict[str, Any]:
    """A Vega-Lite spec: one line per ``subject`` over ``period`` (rows: period, subject, value)."""
    data = alt.Data(values=[r for r in rows if r.get("value") is not None])
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title="Period"),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("subject:N", title=None),
            tooltip=["period:O", "subject:N", alt.Tooltip("value:Q", format=".3f")],
        )
    )
    chart: alt.Chart | alt.LayerChart = lines
    if threshold is not None:
        rule = alt.Chart(alt.Data(values=[{"t": threshold}])).mark_rule(strokeDash=[6, 4], color="#d4351c")
        chart = alt.layer(lines, rule.encode(y="t:Q"))
    return chart.properties(title=title, width=560, height=260).to_dict()


def to_svg(spec: dict[str, Any]) -> str | None:
    """The spec drawn as SVG (vl-convert, no browser); ``None`` if it cannot be drawn here."""
    try:
        import vl_convert as vlc

        return vlc.vegalite_to_svg(spec)
    except Exception:  # noqa: BLE001 - a chart that cannot be drawn falls back to the table
        return None
