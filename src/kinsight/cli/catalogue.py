"""``kinsight catalogue``: what the store holds, for which years, who owns it and how complete it is."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.table import Table

from kinsight.cli.common import HomeOption, JsonOption, console, handle_errors, print_json, settings_for
from kinsight.services import catalogue as service

HELP = (
    "List every dataset table and year held, with owner, source, rows and when it was loaded.\n\n"
    "With --json, prints one object per dataset, table and year, including each field's type, "
    "percentage missing and number of distinct values.\n\n"
    "Examples:\n\n"
    "  kinsight catalogue --json\n\n"
    '  kinsight catalogue set-owner ssda903 --owner "CSC data team" --source "Case system export"'
)


def register(app: typer.Typer) -> None:
    catalogue_app = typer.Typer(help=HELP, invoke_without_command=True, no_args_is_help=False)

    @catalogue_app.callback()
    @handle_errors
    def catalogue(ctx: typer.Context, home: HomeOption = None, as_json: JsonOption = False) -> None:
        if ctx.invoked_subcommand is not None:
            return
        entries = service.catalogue_entries(settings_for(home))
        if as_json:
            print_json(entries)
            return
        if not entries:
            console.print("Nothing has been loaded yet. Load returns with: kinsight ingest PATH")
            return
        for dataset in dict.fromkeys(e["dataset"] for e in entries):
            rows = [e for e in entries if e["dataset"] == dataset]
            owner, source = rows[0]["owner"] or "not set", rows[0]["source"] or "not set"
            table = Table(title=f"{dataset}: owner {owner}; source {source}", title_justify="left")
            for column in ("table", "year", "rows", "fields", "most often blank", "loaded (UTC)"):
                table.add_column(column, justify="right" if column in ("rows", "fields") else "left")
            for e in rows:
                worst = max(e["fields"], key=lambda f: f["missing_pct"], default=None)
                table.add_row(
                    e["table"],
                    e["year"],
                    str(e["rows"]),
                    str(len(e["fields"])),
                    f"{worst['name']} {worst['missing_pct']:.1f}%" if worst else "-",
                    (e["loaded_at"] or "-").replace("T", " ")[:16],
                )
            console.print(table)

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
        result = service.set_owner(settings_for(home), dataset, owner, source, actor=getpass.getuser())
        if as_json:
            print_json(result)
        else:
            console.print(f"{result['dataset']}: owner {result['owner']}, source {result['source'] or '-'}")

    app.add_typer(catalogue_app, name="catalogue")
