"""``kinsight catalogue``: what the store holds, for which years, who owns it and how complete it is."""

import getpass
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from kinsight.cli.common import HomeOption, JsonOption, console, handle_errors, print_json, settings_for
from kinsight.domain.years import parse_year, year_spans

HELP = (
    "List what the store holds: one row per dataset table, with the years held, rows in the latest "
    "year, rows over all years, the field most often blank in the latest year and when it was last "
    "loaded. Owner and source are shown above each dataset's table.\n\n"
    "--by-year lists every table and year on its own row instead.\n\n"
    "With --json, prints one object per dataset, table and year, including each field's type, "
    "percentage missing and number of distinct values.\n\n"
    "Examples:\n\n"
    "  kinsight catalogue --home kinsight-home\n\n"
    "  kinsight catalogue --by-year\n\n"
    "  kinsight catalogue --json\n\n"
    '  kinsight catalogue set-owner ssda903 --owner "CSC data team" --source "Case system export"'
)

ByYearOption = Annotated[
    bool, typer.Option("--by-year", help="One row per table and year instead of one per table.")
]


@dataclass(frozen=True)
class _TableLine:
    """One dataset table over every year held, as the plain listing shows it."""

    table: str
    years: tuple[str, ...]
    latest_rows: int
    total_rows: int
    most_blank: str
    last_loaded: str | None


def _worst(fields: list[dict[str, Any]]) -> str:
    worst = max(fields, key=lambda f: f["missing_pct"], default=None)
    if worst is None or not worst["missing_pct"]:
        return "none blank"
    return f"{worst['name']} {worst['missing_pct']:.1f}%"


def _table_lines(entries: list[dict[str, Any]]) -> list[_TableLine]:
    """Group one dataset's entries (one per table and year) into one line per table, in catalogue order."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        by_table.setdefault(e["table"], []).append(e)
    lines = []
    for table, items in by_table.items():
        items = sorted(items, key=lambda e: parse_year(e["year"]))
        loaded = [e["loaded_at"] for e in items if e["loaded_at"]]
        lines.append(
            _TableLine(
                table=table,
                years=tuple(e["year"] for e in items),
                latest_rows=int(items[-1]["rows"] or 0),
                total_rows=sum(int(e["rows"] or 0) for e in items),
                most_blank=_worst(items[-1]["fields"]),
                last_loaded=max(loaded) if loaded else None,
            )
        )
    return lines


def _loaded(value: str | None) -> str:
    return (value or "-").replace("T", " ")[:16]


def _dataset_heading(dataset: str, rows: list[dict[str, Any]], titles: dict[str, str]) -> None:
    owner = rows[0]["owner"] or "not recorded (kinsight catalogue set-owner)"
    source = rows[0]["source"] or "not recorded"
    typer.echo(f"\n{titles.get(dataset, dataset)} ({dataset})")
    typer.echo(f"  Owner: {owner}.  Source: {source}.")


def print_aligned(header: tuple[str, ...], rows: list[tuple[str, ...]], right: set[int]) -> None:
    """Print plain aligned columns, never cut: Rich squeezes and ellipsises tables at 80 columns (no TTY).

    The last column is left unpadded so a long field name runs on rather than pushing every row wide.
    """
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        ]
        parts[-1] = parts[-1].rstrip()
        return "  " + "  ".join(parts)

    typer.echo(line(header))
    typer.echo("  " + "  ".join("-" * w for w in widths))
    for row in rows:
        typer.echo(line(row))


def _print_grouped(rows: list[dict[str, Any]]) -> None:
    lines = _table_lines(rows)
    print_aligned(
        ("table", "years held", "rows latest", "rows all", "last loaded", "most blank, latest year"),
        [
            (
                line.table,
                year_spans(line.years),
                f"{line.latest_rows:,}",
                f"{line.total_rows:,}",
                (line.last_loaded or "-")[:10],
                line.most_blank,
            )
            for line in lines
        ],
        right={2, 3},
    )


def _print_by_year(rows: list[dict[str, Any]]) -> None:
    print_aligned(
        ("table", "year", "rows", "fields", "loaded (UTC)", "most often blank"),
        [
            (
                e["table"],
                e["year"],
                f"{e['rows']:,}",
                str(len(e["fields"])),
                _loaded(e["loaded_at"]),
                _worst(e["fields"]),
            )
            for e in rows
        ],
        right={2, 3},
    )


def register(app: typer.Typer) -> None:
    catalogue_app = typer.Typer(help=HELP, invoke_without_command=True, no_args_is_help=False)

    @catalogue_app.callback()
    @handle_errors
    def catalogue(
        ctx: typer.Context,
        home: HomeOption = None,
        as_json: JsonOption = False,
        by_year: ByYearOption = False,
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        from kinsight.services import catalogue as service
        from kinsight.services import specs as specs_service

        entries = service.catalogue_entries(settings_for(home))
        if as_json:
            print_json(entries)
            return
        if not entries:
            console.print("Nothing has been loaded yet. Load returns with: kinsight ingest PATH")
            return
        titles = {s["dataset"]: s["title"] for s in specs_service.list_specs()}
        for dataset in dict.fromkeys(e["dataset"] for e in entries):
            rows = [e for e in entries if e["dataset"] == dataset]
            _dataset_heading(dataset, rows, titles)
            (_print_by_year if by_year else _print_grouped)(rows)
        latest = max((e["loaded_at"] for e in entries if e["loaded_at"]), default=None)
        typer.echo(f"\nLast loaded {_loaded(latest)} UTC.")
        if not by_year:
            typer.echo("Each year on its own row: kinsight catalogue --by-year.  Every field: --json.")

    @catalogue_app.command("set-owner")
    @handle_errors
    def set_owner(
        dataset: Annotated[str, typer.Argument(help="Dataset name, e.g. ssda903.", show_default=False)],
        owner: Annotated[str, typer.Option("--owner", help="Team or person accountable for the data.")],
        source: Annotated[
            str | None, typer.Option("--source", help="Where the data comes from, e.g. the case system.")
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Record who owns a dataset and where it comes from.

        Example: kinsight catalogue set-owner cin_census --owner "CSC data team" --source "Mosaic"
        """
        from kinsight.services import catalogue as service

        result = service.set_owner(settings_for(home), dataset, owner, source, actor=getpass.getuser())
        if as_json:
            print_json(result)
        else:
            console.print(f"{result['dataset']}: owner {result['owner']}, source {result['source'] or '-'}")

    app.add_typer(catalogue_app, name="catalogue")
