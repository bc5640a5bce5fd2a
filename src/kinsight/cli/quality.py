"""``kinsight rules list`` and ``kinsight quality``: the data-quality audit from the command line."""

from pathlib import Path
from typing import Annotated, Any

import typer
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

YearOption = Annotated[str | None, typer.Option("--year", help="Collection year, e.g. 2025-26.")]
PackOption = Annotated[
    list[Path] | None,
    typer.Option("--pack", help="An extra rule-pack folder (YAML + SQL, see docs/RULES.md). Repeatable."),
]
DatasetOption = Annotated[
    str | None, typer.Option("--dataset", help="Only this dataset (ssda903, cin_census).")
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Folder for the HTML, CSV and Excel reports.")]


def _lookup_option(kept: str) -> Any:
    return typer.Option("--lookup", help=f"Reference lookup as NAME=FILE.csv{kept}. Repeatable.")


def _progress(status: Any) -> Any:
    """The service's progress steps shown in a Rich status line (on stderr: stdout may carry JSON)."""
    return lambda step: status.update(step[:1].upper() + step[1:])


RULES_HELP = """List the data-quality rules in force, with their severity, and the rule count per year.

Example:

  kinsight rules list --dataset ssda903 --year 2025-26
"""

CHECK_HELP = """Check return files against every DfE rule without loading them into the store.

What the DfE's public validator does, in seconds: give this year's files (and last year's, for the rules
that compare with the previous return). The files are read exactly as kinsight ingest reads them, the
findings and scores are printed and written as HTML, CSV and Excel, and the store is left as it was.

Examples:

  kinsight check returns/2024-25 returns/2025-26
  kinsight check returns/ --year 2025-26 --json
"""

QUALITY_HELP = """Check the data held against every DfE rule and Kinsight's generic checks.

Prints a summary by rule and by child, stores the findings and a quality score per dataset and year,
and writes an HTML report, a CSV and an Excel file of every finding.

Examples:

  kinsight quality --year 2025-26
  kinsight quality --dataset ssda903 --pack ./our-rules --json
  kinsight quality --lookup ofsted_providers=ofsted-providers.csv
"""


def register(app: typer.Typer) -> None:
    rules_app = typer.Typer(help="Data-quality rules: list them, per dataset and year.", no_args_is_help=True)
    app.add_typer(rules_app, name="rules")

    @rules_app.command("list", help=RULES_HELP)
    @handle_errors
    def rules_list(
        dataset: Annotated[str, typer.Option("--dataset", help="ssda903 or cin_census.")] = "ssda903",
        year: YearOption = None,
        pack: PackOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services import quality as service

        result = service.list_rules(dataset, year, pack or [])
        if as_json:
            print_json(result["rules"])
            return
        table = Table(title=f"{dataset} rules" + (f" in force in {year}" if year else ""))
        for column in ("code", "severity", "kind", "message"):
            table.add_column(column, overflow="fold")
        for rule in result["rules"]:
            table.add_row(rule["code"], rule["severity"], rule["kind"], rule["message"])
        console.print(table)
        counts = Table(title="Rules per collection year")
        counts.add_column("year")
        counts.add_column("rules", justify="right")
        for y, n in result["counts_by_year"].items():
            counts.add_row(y, str(n))
        console.print(counts)

    @app.command("check", help=CHECK_HELP)
    @handle_errors
    def check(
        paths: Annotated[
            list[Path],
            typer.Argument(help="Return files or folders (this year's, and last year's to compare)."),
        ],
        year: Annotated[
            str | None, typer.Option("--year", help="The year to check (default: the latest the files hold).")
        ] = None,
        dataset: DatasetOption = None,
        pack: PackOption = None,
        out: OutOption = None,
        lookup: Annotated[list[str] | None, _lookup_option(" for this check")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services import precheck

        settings = settings_for(home)
        with err_console.status("Reading the files") as status:
            result = precheck.check_files(
                settings,
                paths,
                year=year,
                dataset=dataset,
                packs=pack or [],
                out_dir=out,
                lookups=lookup or [],
                progress=_progress(status),
            )
        if as_json:
            print_json(result)
            return
        read = result["read_findings"]
        console.print(
            f"Read {len(result['files'])} tables from the files given, with {len(read)} reading findings"
            " (values that do not type, codes not valid that year, missing or unknown columns; each with its"
            " file, row and field under read_findings in --json)."
        )
        _print_result(result)
        console.print(
            "Nothing was loaded into the store: kinsight ingest loads the files when they are right."
        )

    @app.command("quality", help=QUALITY_HELP)
    @handle_errors
    def quality(
        year: YearOption = None,
        dataset: DatasetOption = None,
        pack: PackOption = None,
        out: OutOption = None,
        lookup: Annotated[
            list[str] | None,
            _lookup_option(" (ofsted_providers, ons_postcodes, own_la); kept in the store for later runs"),
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services import quality as service

        settings = settings_for(home)
        with err_console.status("Checking the data held") as status:
            result = service.run_quality(
                settings,
                year=year,
                dataset=dataset,
                packs=pack or [],
                out_dir=out,
                lookups=lookup or [],
                progress=_progress(status),
            )
        if as_json:
            print_json(result)
            return
        _print_result(result)


def _print_result(result: dict[str, Any]) -> None:
    """The audit's summary as tables: scores, findings by rule and by child, rules not run, reports."""
    summary = result["summary"]
    scores = Table(title="Data-quality score (100 = no errors or queries)")
    for column in ("dataset", "year", "records", "with error", "with query", "score"):
        scores.add_column(column)
    for s in result["scores"]:
        scores.add_row(
            s["dataset"],
            s["year"],
            str(s["records"]),
            str(s["records_with_error"]),
            str(s["records_with_query"]),
            f"{s['score']:.2f}",
        )
    console.print(scores)
    by_rule = Table(title=f"Findings by rule ({summary['findings']} in all)")
    for column in ("rule", "severity", "findings", "message"):
        by_rule.add_column(column, overflow="fold")
    for r in summary["by_rule"][:30]:
        by_rule.add_row(r["rule"], r["severity"], str(r["findings"]), r["message"])
    console.print(by_rule)
    by_child = Table(title="Children with the most findings")
    for column in ("child", "findings", "errors"):
        by_child.add_column(column)
    for c in summary["by_child"][:15]:
        by_child.add_row(str(c["child"]), str(c["findings"]), str(c["errors"]))
    console.print(by_child)
    console.print(
        f"Rules run: {len(result['rules_run'])}, skipped: {len(result['rules_skipped'])},"
        f" failed: {len(result['rules_failed'])}"
    )
    for code, reason in result["failures"].items():
        console.print(f"[red]Rule {code} failed:[/] {reason}", highlight=False)
    for kind, path in result.get("reports", {}).items():
        console.print(f"{kind}: {path}")
