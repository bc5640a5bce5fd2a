"""``kinsight synth``: generate a synthetic local authority's SSDA903 and CIN census returns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kinsight.cli.common import JsonOption, console, err_console, handle_errors, print_json
from kinsight.domain.years import year_range
from kinsight.errors import UsageError

HELP = """Generate a synthetic local authority: realistic, clearly fake returns for testing and demos.

Writes OUT_DIR/ssda903/<year>/<table>.csv (DfE columns), OUT_DIR/cin_census/<year>/cin_census.xml,
OUT_DIR/identities/people.csv (fake names and addresses) and OUT_DIR/faults.json (every injected fault).
With --format xml each year's SSDA903 return is written instead as one XML file,
OUT_DIR/ssda903/<year>/ssda903.xml (the DfE's expanded SSDA903 layout, root EXPSSDA903).
The same arguments always give byte-identical files.

Examples:

  kinsight synth demo-data --children 2000 --years 2021-2025 --seed 1 --faults 0.02

  kinsight synth xml-demo --children 500 --years 2024-2025 --format xml
"""


def register(app: typer.Typer) -> None:
    """Add ``kinsight synth`` to the root app."""

    @app.command("synth", help=HELP)
    @handle_errors
    def synth(
        out_dir: Annotated[
            Path, typer.Argument(help="Folder to write the returns into (created if missing).")
        ],
        children: Annotated[
            int, typer.Option("--children", help="About this many children in each year's SSDA903 return.")
        ] = 2000,
        years: Annotated[
            str,
            typer.Option(
                "--years", help="Collection years by ending year: 2021-2025 means 2020-21 ... 2024-25."
            ),
        ] = "2021-2025",
        seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same files.")] = 1,
        faults: Annotated[
            float,
            typer.Option("--faults", help="Share of eligible records given a data-quality fault (0 = none)."),
        ] = 0.0,
        datasets: Annotated[
            str, typer.Option("--datasets", help="Comma-separated: ssda903,cin_census (default both).")
        ] = "ssda903,cin_census",
        la_code: Annotated[
            str | None,
            typer.Option(
                "--la-code",
                help="Three-digit LA code used in UPNs and headers (a real code: 801 by default).",
            ),
        ] = None,
        return_format: Annotated[
            str,
            typer.Option(
                "--format",
                help="How to write the SSDA903 return: csv (one file per table) or xml (one file per year).",
            ),
        ] = "csv",
        as_json: JsonOption = False,
    ) -> None:
        # Imported here so that building the app and printing help stay light.
        from kinsight.services import synth as synth_service

        chosen = tuple(d.strip() for d in datasets.split(",") if d.strip())
        if not chosen:
            raise UsageError("--datasets is empty", hint="Use ssda903, cin_census or both.")
        year_list = year_range(years)
        with Progress(
            TextColumn("[bold]synth[/] {task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} years"),
            TimeElapsedColumn(),
            console=err_console,
            transient=as_json,
            disable=as_json,
        ) as bar:
            task = bar.add_task("simulating", total=len(year_list))

            def progress(year: str, done: int, total: int) -> None:
                bar.update(task, completed=done, description=year)

            summary = synth_service.generate(
                out_dir,
                children=children,
                years=year_list,
                seed=seed,
                faults=faults,
                la_code=la_code or synth_service.DEFAULT_LA_CODE,
                datasets=chosen,
                progress=progress,
                ssda903_format=return_format,
            )
        if as_json:
            print_json(summary)
            return
        table = Table(title=f"Synthetic authority written to {out_dir}")
        for col in ("year", "children (903)", "episodes", "children (CIN)", "files"):
            table.add_column(col, justify="right" if col != "year" else "left")
        for row in summary["per_year"]:
            table.add_row(
                row["year"],
                str(row["children"]),
                str(row["episodes"]),
                str(row["cin_children"]),
                str(row["files"]),
            )
        console.print(table)
        console.print(
            f"{summary['files_written']} files written; {summary['faults']} faults injected (faults.json)."
        )
