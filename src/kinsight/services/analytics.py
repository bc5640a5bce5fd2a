"""Use cases for descriptive indicators: compute, publish (with suppression), compare, chart.

``--json`` output for the local analyst carries raw counts; anything *published* (``publish=True``,
exports, charts for reports) goes through :func:`kinsight.privacy.publish_table` first, which
suppresses small cells (1 to the threshold) and any cell that could be worked out from totals.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import RootModel

from kinsight.analytics.groupings import load_groupings
from kinsight.analytics.indicators import (
    compute_indicators,
    indicator_metadata,
    indicator_to_json,
    rates_per_10000,
)
from kinsight.analytics.result import Indicator, IndicatorKind
from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import ConfigurationError, UsageError
from kinsight.privacy import publish_table
from kinsight.settings import Settings
from kinsight.storage.analytical import open_store

if TYPE_CHECKING:
    from kinsight.analytics.charts import ChartFormat


class PopulationFile(RootModel[dict[str, int]]):
    """``{"2024-25": 52000, ...}``: children aged 0-17 in the authority (ONS mid-year estimate) per year."""


def load_population(path: Path | None) -> dict[str, int]:
    if path is None:
        return {}
    if not path.exists():
        raise ConfigurationError(
            f"population file {path} does not exist", hint="Give a YAML mapping of year to population."
        )
    try:
        return PopulationFile.model_validate(read_yaml(path)).root
    except Exception as error:
        raise ConfigurationError(
            f"population file {path} is not valid: {error}",
            hint='Write one line per year, e.g. "2024-25": 52000',
        ) from error


def _compute(settings: Settings, groupings_file: Path | None = None) -> list[Indicator]:
    groupings = load_groupings(groupings_file)
    with open_store(settings.store_path, read_only=True) as con:
        return compute_indicators(con, groupings)


def _published(indicator: Indicator, threshold: int) -> dict[str, Any]:
    """The indicator as a suppressed table: rows = groups (or the indicator), columns = years."""
    frame = indicator.frame
    if indicator.kind is IndicatorKind.COUNT:
        wide = frame.with_columns(pl.lit(indicator.name).alias("group")).pivot(
            on="collection_year", index="group", values="value"
        )
    elif indicator.kind is IndicatorKind.BREAKDOWN:
        wide = frame.pivot(on="collection_year", index="group", values="value").fill_null(0)
    elif indicator.kind is IndicatorKind.PROPORTION:
        wide = frame.unpivot(
            index="collection_year", on=["numerator", "denominator"], variable_name="group"
        ).pivot(on="collection_year", index="group", values="value")
    else:
        value_cols = [c for c in frame.columns if c != "collection_year" and frame.schema[c].is_integer()]
        if not value_cols:
            return {"withheld": "summary statistics are not published"}
        wide = frame.unpivot(index="collection_year", on=value_cols, variable_name="group").pivot(
            on="collection_year", index="group", values="value"
        )
    table = publish_table(wide, label_columns=["group"], threshold=threshold, source=indicator.name)
    years = [c for c in table.frame.columns if c != "group"]
    out: dict[str, Any] = {y: {} for y in years}
    for row in table.frame.iter_rows(named=True):
        for y in years:
            out[y][row["group"]] = row[y]
    return {"values": out, "suppression": table.as_dict()}


def indicators(
    settings: Settings,
    *,
    population_file: Path | None = None,
    publish: bool = False,
    groupings_file: Path | None = None,
) -> dict[str, Any]:
    """All indicators keyed by name; each is ``{year: value}`` (raw) plus ``rates_per_10000`` where set."""
    computed = _compute(settings, groupings_file)
    population = load_population(population_file)
    body: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    rates: dict[str, Any] = {}
    for ind in computed:
        meta[ind.name] = indicator_metadata(ind)
        if publish:
            body[ind.name] = _published(ind, settings.small_cell_threshold)
        else:
            body[ind.name] = indicator_to_json(ind)
        if population and ind.kind is IndicatorKind.COUNT:
            rates[ind.name] = rates_per_10000(ind, population)
    out: dict[str, Any] = {
        **body,
        "_meta": {
            "published": publish,
            "threshold": settings.small_cell_threshold if publish else None,
            "indicators": meta,
        },
    }
    if rates:
        out["rates_per_10000"] = rates
    return out


def compare(
    settings: Settings,
    *,
    indicator: str,
    first: str,
    second: str,
    group: str | None = None,
    confidence: float = 0.95,
    population_file: Path | None = None,
) -> dict[str, Any]:
    """Compare one indicator between two collection years, with confidence intervals.

    Proportions (e.g. placement stability) and a group's share of a breakdown: Wilson intervals and
    Newcombe's interval for the difference.  Counts: exact Poisson intervals and the exact rate ratio
    (per 10,000 children when a population file is given).
    """
    from kinsight.analytics.compare import count_ratio, newcombe_difference, poisson_exact, wilson

    found = {i.name: i for i in _compute(settings)}
    if indicator not in found:
        raise UsageError(f"unknown indicator {indicator!r}", hint=f"Choose from: {', '.join(sorted(found))}")
    ind = found[indicator]
    frame = ind.frame
    population = load_population(population_file)

    def _row(year: str) -> dict[str, Any]:
        rows = frame.filter(pl.col("collection_year") == year).to_dicts()
        if not rows:
            raise UsageError(
                f"{indicator} has no figure for {year}", hint="Give a collection year held, e.g. 2024-25."
            )
        return rows[0]

    def _iv(e: Any) -> dict[str, Any]:
        return {"estimate": e.estimate, "lower": e.lower, "upper": e.upper, "method": e.method}

    if ind.kind is IndicatorKind.PROPORTION:
        a, b = _row(first), _row(second)
        return {
            "indicator": indicator,
            "first": first,
            "second": second,
            "confidence": confidence,
            "first_value": {
                "numerator": a["numerator"],
                "denominator": a["denominator"],
                **_iv(wilson(a["numerator"], a["denominator"], confidence)),
            },
            "second_value": {
                "numerator": b["numerator"],
                "denominator": b["denominator"],
                **_iv(wilson(b["numerator"], b["denominator"], confidence)),
            },
            "difference": _iv(
                newcombe_difference(
                    a["numerator"], a["denominator"], b["numerator"], b["denominator"], confidence
                )
            ),
        }
    if ind.kind is IndicatorKind.BREAKDOWN:
        if group is None:
            raise UsageError(
                f"{indicator} is a breakdown: say which group to compare",
                hint="Add --group, e.g. --group 'Under 1'.",
            )

        def share(year: str) -> tuple[int, int]:
            part = frame.filter(pl.col("collection_year") == year)
            if part.height == 0:
                raise UsageError(f"{indicator} has no figure for {year}")
            x = int(part.filter(pl.col("group") == group)["value"].sum())
            return x, int(part["value"].sum())

        (x1, n1), (x2, n2) = share(first), share(second)
        return {
            "indicator": indicator,
            "group": group,
            "first": first,
            "second": second,
            "confidence": confidence,
            "first_value": {"count": x1, "of": n1, **_iv(wilson(x1, n1, confidence))},
            "second_value": {"count": x2, "of": n2, **_iv(wilson(x2, n2, confidence))},
            "difference": _iv(newcombe_difference(x1, n1, x2, n2, confidence)),
        }
    if ind.kind is IndicatorKind.COUNT:
        a, b = _row(first), _row(second)
        pa, pb = population.get(first), population.get(second)
        scale = 10_000.0
        e1 = pa / scale if pa else 1.0
        e2 = pb / scale if pb else 1.0
        per = "per 10,000 children" if pa and pb else "count"
        return {
            "indicator": indicator,
            "first": first,
            "second": second,
            "confidence": confidence,
            "unit": per,
            "first_value": {"count": a["value"], **_iv(poisson_exact(a["value"], e1, confidence))},
            "second_value": {"count": b["value"], **_iv(poisson_exact(b["value"], e2, confidence))},
            "ratio": _iv(count_ratio(a["value"], b["value"], e1, e2, confidence)),
        }
    raise UsageError(
        f"{indicator} is a summary and cannot be compared this way",
        hint="Compare a count, breakdown or proportion.",
    )


def charts(
    settings: Settings, out_dir: Path, fmt: ChartFormat | None = None, names: list[str] | None = None
) -> list[Path]:
    """Write one chart per indicator.  Charts are for reports, so small cells are suppressed first."""
    from kinsight.analytics.charts import ChartFormat, chart_spec, render  # altair: imported when used

    fmt = fmt or ChartFormat.SVG
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for ind in _compute(settings):
        if names and ind.name not in names:
            continue
        if ind.frame.height == 0:
            continue
        hidden: set[tuple[str, str | None]] = set()
        if ind.kind in (IndicatorKind.COUNT, IndicatorKind.BREAKDOWN):
            pub = _published(ind, settings.small_cell_threshold)
            for year, groups in pub["values"].items():
                for grp, value in groups.items():
                    if not str(value).replace(".", "").isdigit():
                        hidden.add((year, None if ind.kind is IndicatorKind.COUNT else grp))
        spec = chart_spec(ind, hidden)
        content = render(spec, fmt)
        suffix = "vl.json" if fmt is ChartFormat.VEGA_LITE else fmt.value
        path = out_dir / f"{ind.name}.{suffix}"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            import json

            path.write_text(json.dumps(content, indent=1), encoding="utf-8")
        written.append(path)
    return written
