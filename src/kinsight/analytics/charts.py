"""Charts of indicators over the years: Vega-Lite specs (Altair) for the web, SVG/PNG for reports."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import altair as alt
import polars as pl

from kinsight.analytics.catalogue import indicator_catalogue
from kinsight.analytics.indicators import as_long_frame
from kinsight.analytics.result import Indicator, IndicatorKind


class ChartFormat(StrEnum):
    VEGA_LITE = "vega-lite"
    SVG = "svg"
    PNG = "png"


def chart_spec(indicator: Indicator, suppressed: set[tuple[str, str | None]] | None = None) -> dict[str, Any]:
    """A Vega-Lite spec: a line over the years (one line per group for breakdowns).

    ``suppressed`` names (year, group) cells already suppressed for publication; they are left out of
    the chart rather than drawn, so a chart never shows what a table hides.
    """
    long = as_long_frame(indicator)
    if suppressed:
        keep = [(r["collection_year"], r["group"]) not in suppressed for r in long.iter_rows(named=True)]
        long = long.filter(pl.Series(keep))
    meta = indicator_catalogue().get(indicator.name)
    title = meta.title if meta else indicator.name
    data = alt.Data(values=long.to_dicts())
    y_title = "percent" if indicator.kind is IndicatorKind.PROPORTION else (meta.unit if meta else "value")
    base = (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("collection_year:O", title="Collection year"),
            y=alt.Y("value:Q", title=y_title),
            tooltip=["collection_year:O", "value:Q"],
        )
    )
    if indicator.kind is IndicatorKind.BREAKDOWN:
        base = base.encode(color=alt.Color("group:N", title=None))
    elif indicator.kind is IndicatorKind.SUMMARY:
        base = base.encode(color=alt.Color("measure:N", title=None))
    return base.properties(width=480, height=260).to_dict()


def render(spec: dict[str, Any], fmt: ChartFormat) -> bytes | dict[str, Any]:
    """Static image for a report (vl-convert, no browser needed), or the spec itself."""
    if fmt is ChartFormat.VEGA_LITE:
        return spec
    import vl_convert as vlc

    if fmt is ChartFormat.SVG:
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    return vlc.vegalite_to_png(spec, scale=1.5)
