"""``kinsight ingest PATH...``: load SSDA903 CSVs, the CIN census XML and local identities into the store."""

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from kinsight.cli.catalogue import print_aligned
from kinsight.cli.common import (
    HomeOption,
    JsonOption,
    err_console,
    handle_errors,
    print_json,
    settings_for,
)

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


def _outcomes(tables: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for t in tables:
        counts[t["outcome"]] = counts.get(t["outcome"], 0) + 1
    return ", ".join(f"{n} {outcome}" for outcome, n in counts.items())


def _print(result: dict[str, Any]) -> None:
    """One line per dataset and year (not per table: ten years of returns are over 200 tables)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for t in result["tables"]:
        groups.setdefault((t["dataset"], t["year"]), []).append(t)
    if groups:
        print_aligned(
            ("dataset", "year", "tables", "rows", "findings"),
            [
                (
                    dataset,
                    year,
                    _outcomes(tables),
                    f"{sum(t['rows'] for t in tables):,}",
                    f"{sum(t['findings'] for t in tables):,}",
                )
                for (dataset, year), tables in sorted(groups.items())
            ],
            right={3, 4},
        )
    s = result["summary"]
    typer.echo(
        f"{s['loaded']} tables loaded, {s['replaced']} replaced, {s['unchanged']} unchanged; "
        f"{s['rows']:,} rows; {s['findings']:,} findings."
    )
    skipped = result["skipped"]
    if skipped:
        names = ", ".join(Path(name).name for name in skipped[:5]) + (" ..." if len(skipped) > 5 else "")
        noun = "file that is" if len(skipped) == 1 else "files that are"
        typer.echo(f"Skipped {len(skipped)} {noun} not CSV or XML: {names}")
    if any(t["findings"] for t in result["tables"]):
        typer.echo("Findings (file, row, field, message) are in the store table _ingest_findings.")
    typer.echo("Table by table: kinsight ingest ... --json, or kinsight catalogue afterwards.")


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
        from kinsight.services import ingest as service

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
