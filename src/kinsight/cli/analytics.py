"""``kinsight indicators``, ``forecast``, ``backtest`` and ``scenario``: descriptive and demand analytics."""

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from kinsight.cli.common import HomeOption, JsonOption, console, handle_errors, print_json, settings_for
from kinsight.errors import UsageError

if TYPE_CHECKING:  # the forecast model pulls in numpy, scipy and polars: load it per command
    from kinsight.services import forecast as forecast_service

PopulationOption = Annotated[
    Path | None,
    typer.Option(
        "--population",
        help='YAML of children aged 0-17 per year, e.g. "2024-25": 52000; adds rates per 10,000.',
    ),
]
MonthsOption = Annotated[int, typer.Option("--months", min=1, max=120, help="Forecast horizon in months.")]
SimsOption = Annotated[
    int, typer.Option("--sims", min=50, max=20000, help="Simulated paths for the prediction interval.")
]
LevelOption = Annotated[
    float, typer.Option("--level", min=0.5, max=0.995, help="Prediction interval level, e.g. 0.95.")
]
RefYearsOption = Annotated[
    float,
    typer.Option(
        "--reference-years", min=0.25, max=20, help="Length of the reference period the rates are fitted on."
    ),
]
GroupingsOption = Annotated[
    Path | None,
    typer.Option("--groupings", help="Your own copy of groupings.yaml (placement groups, age bands)."),
]


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(
            f"{option} {text!r} is not a date", hint="Write it as YYYY-MM-DD, e.g. 2025-03-31."
        ) from error


def _options(
    reference_years: float, sims: int, level: float, groupings: Path | None
) -> "forecast_service.ModelOptions":
    from kinsight.services import forecast as forecast_service

    return forecast_service.ModelOptions(
        reference_days=round(reference_years * 365), sims=sims, level=level, groupings_file=groupings
    )


_TEXT_YEARS = 5
_FIRST_NUMBER = re.compile(r"\d+")


def _age_order(labels: list[str]) -> list[str]:
    """Age bands youngest first ("Under 1", "1 to 4", ... "16 and over", then "Unknown"); other labels
    keep their order.  The JSON keys arrive sorted as text, which puts "10 to 15" before "5 to 9"."""

    def key(label: str) -> float:
        if label.lower().startswith("under"):
            return -1.0
        match = _FIRST_NUMBER.search(label)
        return float(match.group()) if match else float("inf")

    numbered = [label for label in labels if key(label) != float("inf")]
    others = [label for label in labels if key(label) == float("inf")]
    if len(numbered) < 2 or any("known" not in label.lower() for label in others):
        return labels  # not age bands (sex, placement ...): keep the order given
    return sorted(numbered, key=key) + others


def _print_indicators(payload: dict[str, Any]) -> None:
    meta = payload["_meta"]["indicators"]
    for name, values in payload.items():
        if name.startswith("_") or name == "rates_per_10000":
            continue
        table = Table(title=meta.get(name, {}).get("title", name), title_justify="left")
        if payload["_meta"]["published"]:
            values = values.get("values", {})
        held = sorted(values)
        # A terminal fits about five years beside the labels; every year is in --json and on the page.
        years = held[-_TEXT_YEARS:]
        if len(held) > len(years):
            table.caption = f"Latest {len(years)} of {len(held)} years; every year: --json or the web page."
            table.caption_justify = "left"
        table.add_column("", no_wrap=True)
        for y in years:
            table.add_column(y, justify="right", no_wrap=True)
        rows: dict[str, list[str]] = {}
        for i, y in enumerate(years):
            v = values[y]
            cells = v.items() if isinstance(v, dict) else [("value", v)]
            for key, val in cells:
                rows.setdefault(str(key), [""] * len(years))[i] = "" if val is None else str(val)
        for key in _age_order(list(rows)):
            table.add_row(key, *rows[key])
        console.print(table)


def _print_months(result: dict[str, Any], title: str) -> None:
    table = Table(title=title, title_justify="left")
    groups = list(result["months"][0]["by_placement"]) if result["months"] else []
    for col in ("month", "total", "lower", "upper", *groups):
        table.add_column(col, justify="right")
    for m in result["months"]:
        table.add_row(
            m["month"],
            f"{m['total']:.0f}",
            f"{m['lower']:.0f}",
            f"{m['upper']:.0f}",
            *(f"{m['by_placement'][g]:.0f}" for g in groups),
        )
    console.print(table)


def _print_rates(rates: dict[str, Any]) -> None:
    console.print(
        f"[bold]Rates fitted on {rates['reference_start']} to {rates['reference_end']}[/] ({rates['method']})"
    )
    table = Table(title="Entries per year, and leaving care per child-year", title_justify="left")
    for col in ("state", "entries / year", "exit rate", "child-years"):
        table.add_column(col, justify="right")
    states = sorted(set(rates["entry_rates"]) | set(rates["exit_rates"]))
    for s in states:
        e = rates["entry_rates"].get(s, {})
        x = rates["exit_rates"].get(s, {})
        table.add_row(
            s, str(e.get("per_year", 0)), str(x.get("per_child_year", "")), str(x.get("child_years", ""))
        )
    console.print(table)
    moves = Table(title="Moves between states per child-year (by age band)", title_justify="left")
    for col in ("from", "to", "rate", "moves"):
        moves.add_column(col, justify="right")
    for band in rates["transition_rates_by_age_band"].values():
        for origin, targets in band.items():
            for target, r in targets.items():
                moves.add_row(origin, target, str(r["per_child_year"]), str(r["moves"]))
    console.print(moves)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("indicators")
    @handle_errors
    def indicators_cmd(
        home: HomeOption = None,
        as_json: JsonOption = False,
        publish: Annotated[
            bool, typer.Option("--publish", help="Suppress small cells (1 to the threshold) for publication.")
        ] = False,
        population: PopulationOption = None,
        charts: Annotated[
            Path | None, typer.Option("--charts", help="Also write one chart per indicator into this folder.")
        ] = None,
        chart_format: Annotated[str, typer.Option("--chart-format", help="svg, png or vega-lite.")] = "svg",
        groupings: GroupingsOption = None,
    ) -> None:
        """Children looked after and children in need indicators for every year held, by DfE methodology.

        Counts CLA at 31 March, starts, ceases (with reasons), breakdowns by age band, sex, ethnicity,
        legal status, placement, category of need and UASC, placement stability, duration, missing
        episodes, care leavers, and CIN referrals, re-referrals, assessments, s47s and CP plans.

        --json prints raw counts for you, the analyst (this is not for sharing); add --publish to
        suppress small cells (and cells that would reveal them) before anything leaves the team.
        Charts are always suppressed.

        Example: kinsight indicators --json --population pop.yaml
        """
        from kinsight.analytics.charts import ChartFormat
        from kinsight.services import analytics as analytics_service

        settings = settings_for(home)
        payload = analytics_service.indicators(
            settings, population_file=population, publish=publish, groupings_file=groupings
        )
        if charts is not None:
            try:
                fmt = ChartFormat(chart_format)
            except ValueError as error:
                raise UsageError(
                    f"unknown chart format {chart_format!r}", hint="Use svg, png or vega-lite."
                ) from error
            written = analytics_service.charts(settings, charts, fmt)
            payload["_meta"]["charts"] = [str(p) for p in written]
        if as_json:
            print_json(payload)
        else:
            _print_indicators(payload)

    @app.command("indicators-compare")
    @handle_errors
    def compare_cmd(
        indicator: Annotated[str, typer.Argument(help="Indicator name, e.g. placement_stability_3_or_more.")],
        first: Annotated[str, typer.Argument(help="First collection year, e.g. 2023-24.")],
        second: Annotated[str, typer.Argument(help="Second collection year, e.g. 2024-25.")],
        group: Annotated[
            str | None, typer.Option("--group", help="For breakdowns: the group whose share to compare.")
        ] = None,
        confidence: Annotated[float, typer.Option("--confidence", min=0.5, max=0.999)] = 0.95,
        population: PopulationOption = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Compare an indicator between two years, with confidence intervals.

        Proportions and shares: Wilson intervals, difference with Newcombe's interval.  Counts: exact
        Poisson intervals and the exact rate ratio (per 10,000 children with --population).

        Example: kinsight indicators-compare cla_by_age_band 2023-24 2024-25 --group "16 and over"
        """
        from kinsight.services import analytics as analytics_service

        result = analytics_service.compare(
            settings_for(home),
            indicator=indicator,
            first=first,
            second=second,
            group=group,
            confidence=confidence,
            population_file=population,
        )
        if as_json:
            print_json(result)
            return
        table = Table(title=f"{indicator}: {first} against {second}", title_justify="left")
        for col in ("", "estimate", "lower", "upper", "method"):
            table.add_column(col)
        for key in ("first_value", "second_value", "difference", "ratio"):
            if key in result:
                v = result[key]
                fmt = lambda x: "" if x is None else f"{x:.4g}"  # noqa: E731
                table.add_row(
                    key.replace("_", " "), fmt(v["estimate"]), fmt(v["lower"]), fmt(v["upper"]), v["method"]
                )
        console.print(table)

    @app.command("forecast")
    @handle_errors
    def forecast_cmd(
        start: Annotated[
            str | None, typer.Option("--start", help="Forecast start, YYYY-MM-DD. Default: end of the data.")
        ] = None,
        months: MonthsOption = 24,
        reference_years: RefYearsOption = 3.0,
        reference_start: Annotated[
            str | None,
            typer.Option(
                "--reference-start", help="Start of the reference period (overrides --reference-years)."
            ),
        ] = None,
        costs: Annotated[
            Path | None,
            typer.Option("--costs", help="YAML of weekly unit costs (see the built-in unit_costs.yaml)."),
        ] = None,
        inflation: Annotated[
            float | None, typer.Option("--inflation", help="Annual cost inflation, e.g. 0.05.")
        ] = None,
        scenarios: Annotated[
            Path | None,
            typer.Option("--scenarios", help="YAML of named scenarios (see kinsight scenario --help)."),
        ] = None,
        export: Annotated[str | None, typer.Option("--export", help="Comma list of csv, xlsx, html.")] = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="Folder for exports. Default: the home's reports/.")
        ] = None,
        explain: Annotated[
            bool, typer.Option("--explain", help="Show the fitted entry, move and exit rates.")
        ] = False,
        sims: SimsOption = 500,
        level: LevelOption = 0.95,
        groupings: GroupingsOption = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Forecast children looked after by placement group, month by month, with prediction intervals.

        A multi-state model (age band x placement group) is fitted on the reference period before the
        start: entry rates, moves between placements, ageing and exits.  Intervals come from simulating
        the model with its rate uncertainty (the JSON says how: interval_method).  Costs use editable
        weekly unit costs.  Every forecast carries a backtest of the same model a year earlier.

        Example: kinsight forecast --start 2025-03-31 --months 24 --export csv,html --json
        """
        from kinsight.forecast.export import ExportFormat
        from kinsight.services import forecast as forecast_service

        formats = []
        for name in (export or "").split(","):
            if name.strip():
                try:
                    formats.append(ExportFormat(name.strip()))
                except ValueError as error:
                    raise UsageError(
                        f"unknown export format {name!r}", hint="Use csv, xlsx or html."
                    ) from error
        result = forecast_service.forecast(
            settings_for(home),
            start=_date(start, "--start"),
            months=months,
            options=_options(reference_years, sims, level, groupings),
            reference_start=_date(reference_start, "--reference-start"),
            costs_file=costs,
            inflation=inflation,
            scenarios_file=scenarios,
            export_formats=formats,
            export_dir=out,
        )
        if as_json:
            print_json(result)
            return
        _print_months(
            result, f"Forecast from {result['start']} ({result['start_population']} children looked after)"
        )
        console.print(f"Interval: {result['interval_method']}")
        console.print(f"Cost over the horizon: £{result['costs']['total']:,.0f}")
        bt = result.get("backtest", {})
        if bt.get("available"):
            console.print(
                f"Backtest from {bt['at']} over {bt['months']} months: model MAE {bt['model']['mae']}, "
                f"MAPE {bt['model']['mape']}%, coverage {bt['model']['coverage']}; last value MAE "
                f"{bt['baselines']['last_value']['mae']}, "
                f"linear trend MAE {bt['baselines']['linear_trend']['mae']}"
            )
        for sc in result.get("scenarios", []):
            _print_months(sc, f"Scenario: {sc['name']}")
        if explain:
            _print_rates(result["rates"])
        for path in result.get("exported", []):
            console.print(f"wrote {path}")

    @app.command("backtest")
    @handle_errors
    def backtest_cmd(
        at: Annotated[
            str,
            typer.Option("--at", help="Pretend today is this date (YYYY-MM-DD): fit on what was known then."),
        ],
        months: MonthsOption = 12,
        reference_years: RefYearsOption = 3.0,
        sims: SimsOption = 500,
        level: LevelOption = 0.95,
        groupings: GroupingsOption = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Test the forecast against what happened: fit at a past date, forecast, compare.

        Reports MAE and MAPE of the monthly totals, by horizon and by placement group, and how often the
        actual fell inside the prediction interval (coverage); the same errors for two naive baselines:
        the last value carried forward and a straight-line trend.

        Example: kinsight backtest --at 2023-03-31 --months 24 --json
        """
        from kinsight.services import forecast as forecast_service

        at_date = _date(at, "--at")
        assert at_date is not None
        result = forecast_service.backtest(
            settings_for(home),
            at=at_date,
            months=months,
            options=_options(reference_years, sims, level, groupings),
        )
        if as_json:
            print_json(result)
            return
        table = Table(
            title=f"Backtest from {result['at']} over {result['months']} months", title_justify="left"
        )
        for col in ("method", "MAE", "MAPE %", "coverage"):
            table.add_column(col, justify="right")
        table.add_row(
            "model",
            str(result["model"]["mae"]),
            str(result["model"]["mape"]),
            str(result["model"]["coverage"]),
        )
        for name, b in result["baselines"].items():
            table.add_row(name.replace("_", " "), str(b["mae"]), str(b["mape"]), "-")
        console.print(table)

    @app.command("scenario")
    @handle_errors
    def scenario_cmd(
        scenarios: Annotated[Path, typer.Argument(help="YAML file of named scenarios.")],
        start: Annotated[
            str | None, typer.Option("--start", help="Forecast start, YYYY-MM-DD. Default: end of the data.")
        ] = None,
        months: MonthsOption = 24,
        reference_years: RefYearsOption = 3.0,
        sims: SimsOption = 500,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Run named scenarios beside the base forecast and show the difference month by month.

        The file is a YAML list; each scenario multiplies rates for placement groups ("*" = all):

          - name: Fewer residential entries
            entry: {Residential: 0.8}
            move: [{from: Fostering, to: Residential, multiply: 0.5}]
            exit: {Supported: 1.2}

        Example: kinsight scenario scenarios.yaml --months 24
        """
        from kinsight.services import forecast as forecast_service

        result = forecast_service.forecast(
            settings_for(home),
            start=_date(start, "--start"),
            months=months,
            options=_options(reference_years, sims, 0.95, None),
            scenarios_file=scenarios,
            backtest=False,
        )
        payload = {
            "start": result["start"],
            "base": {"months": result["months"], "cost_total": result["costs"]["total"]},
            "scenarios": result.get("scenarios", []),
            "interval_method": result["interval_method"],
        }
        if as_json:
            print_json(payload)
            return
        table = Table(
            title=f"Scenarios from {result['start']}: expected children looked after", title_justify="left"
        )
        table.add_column("month")
        table.add_column("base", justify="right")
        for sc in payload["scenarios"]:
            table.add_column(sc["name"], justify="right")
        for k, m in enumerate(result["months"]):
            table.add_row(
                m["month"],
                f"{m['total']:.0f}",
                *(f"{sc['months'][k]['total']:.0f}" for sc in payload["scenarios"]),
            )
        console.print(table)
        for sc in payload["scenarios"]:
            console.print(
                f"{sc['name']}: cost £{sc['cost_total']:,.0f} against base £{result['costs']['total']:,.0f}"
            )
