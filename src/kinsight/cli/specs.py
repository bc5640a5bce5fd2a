"""``kinsight specs``: the dataset specs (tables, fields, types, privacy, codes) in force each year."""

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from kinsight.cli.common import JsonOption, console, handle_errors, print_json
from kinsight.domain.years import year_for_date


def register(app: typer.Typer) -> None:
    specs_app = typer.Typer(
        help="Show the dataset specs Kinsight reads returns with.\n\n"
        "Examples:\n\n  kinsight specs list\n\n  kinsight specs show ssda903 --year 2025-26",
        no_args_is_help=True,
    )

    @specs_app.command("list")
    @handle_errors
    def list_specs(as_json: JsonOption = False) -> None:
        """List the datasets with a spec, and their tables.

        Example: kinsight specs list --json
        """
        from kinsight.services import specs as service

        specs = service.list_specs()
        if as_json:
            print_json(specs)
            return
        table = Table(title="Dataset specs")
        for column in ("dataset", "title", "statutory", "tables"):
            table.add_column(column)
        for s in specs:
            table.add_row(s["dataset"], s["title"], "yes" if s["statutory"] else "no", ", ".join(s["tables"]))
        console.print(table)

    @specs_app.command("show")
    @handle_errors
    def show(
        dataset: Annotated[
            str, typer.Argument(help="ssda903, cin_census or identities.", show_default=False)
        ],
        year: Annotated[
            str | None,
            typer.Option("--year", help="Collection year, e.g. 2025-26. Default: the current one."),
        ] = None,
        codes: Annotated[bool, typer.Option("--codes/--no-codes", help="Also list each code set.")] = True,
        as_json: JsonOption = False,
    ) -> None:
        """Print the spec in force in one collection year: tables, fields, types, privacy and codes.

        Example: kinsight specs show ssda903 --year 2025-26
        """
        from kinsight.services import specs as service

        spec = service.show_spec(dataset, year or year_for_date(date.today()))
        if as_json:
            print_json(spec)
            return
        console.print(f"[bold]{spec['title']}[/] ({spec['dataset']}), spec in force in {spec['year']}")
        for t in spec["tables"]:
            table = Table(title=f"{t['table']} ({t['dfe_name']}): {t['description']}", title_justify="left")
            for column in ("field", "type", "required", "code set", "privacy", "meaning"):
                table.add_column(column)
            for f in t["fields"]:
                table.add_row(
                    f["name"],
                    f["type"],
                    "yes" if f["required"] else ("optional column" if f["optional_column"] else ""),
                    f["codeset"] or "",
                    f["privacy"].replace("_", " "),
                    f["description"],
                )
            console.print(table)
        if codes:
            for name, cs in spec["codesets"].items():
                table = Table(title=f"Code set {name}: {cs['description']}", title_justify="left")
                table.add_column("code")
                table.add_column("meaning")
                for c in cs["codes"]:
                    table.add_row(c["code"], c["meaning"])
                console.print(table)

    app.add_typer(specs_app, name="specs")
