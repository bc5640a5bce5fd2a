"""``kinsight ingest PATH...``: load SSDA903 CSVs, the CIN census XML and local identities into the store."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kinsight.cli.common import (
    HomeOption,
    JsonOption,
    console,
    err_console,
    handle_errors,
    print_json,
    settings_for,
)
from kinsight.services import ingest as service

_PROGRESS_FROM_BYTES = 5 * 1024 * 1024

HELP = (
    "Load return files into the Kinsight home's analytical store.\n\n"
    "Give files or folders (searched recursively). SSDA903 tables are recognised by their columns "
    "(header.csv, episodes.csv ...), the CIN census by its XML. The collection year comes from --year, "
    "else the CIN header, else a folder named like 2024-25, else the latest dates in the data.\n\n"
    "Problems inside a file (bad dates, unknown codes, missing columns) are recorded as findings and the "
    "rows are kept. A file that cannot be read at all is refused (exit 3) and nothing is changed. Loading "
    "the same file again does nothing; a changed file replaces that year's rows.\n\n"
    "Example: kinsight ingest returns/2024-25 returns/cin_census.xml --home ./kinsight-home"
)


class _Bar:
    """A Rich progress bar on stderr, shown only once the input is large enough to be worth one."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task: Any = None

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.progress is None:
            if total < _PROGRESS_FROM_BYTES:
                return
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=err_console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task(label, total=total)
        self.progress.update(self.task, completed=done, description=label)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _print(result: dict[str, Any]) -> None:
    table = Table(title="Ingest")
    for column in ("dataset", "table", "year", "outcome", "rows", "findings", "file"):
        table.add_column(column, justify="right" if column in ("rows", "findings") else "left")
    for t in result["tables"]:
        table.add_row(
            t["dataset"], t["table"], t["year"], t["outcome"], str(t["rows"]), str(t["findings"]), t["file"]
        )
    console.print(table)
    s = result["summary"]
    console.print(
        f"{s['loaded']} tables loaded, {s['replaced']} replaced, {s['unchanged']} unchanged; "
        f"{s['rows']} rows; {s['findings']} findings.",
        highlight=False,
    )
    if result["skipped"]:
        console.print(f"Skipped {len(result['skipped'])} files that are not CSV or XML.", highlight=False)
    if any(t["findings"] for t in result["tables"]):
        console.print(
            "Findings are in the store table _ingest_findings (file, row, field, message).", highlight=False
        )


def register(app: typer.Typer) -> None:
    @app.command("ingest", help=HELP)
    @handle_errors
    def ingest(
        paths: Annotated[
            list[Path], typer.Argument(help="Return files or folders (recursive).", show_default=False)
        ],
        year: Annotated[
            str | None, typer.Option("--year", help="Collection year of every file given, e.g. 2024-25.")
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        bar = None if as_json else _Bar()
        try:
            result = service.ingest(
                settings_for(home), paths, year=year, progress=bar, actor=getpass.getuser()
            )
        finally:
            if bar is not None:
                bar.stop()
        if as_json:
            print_json(result)
        else:
            _print(result)
