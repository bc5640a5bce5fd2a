"""Practitioner commands: find a child, read a child's history, assign caseloads.

Every command acts as a named Kinsight user (``--as``), because what is shown depends on that person's
role and caseload, and every search and view is written to the audit log under their name.
"""

from typing import Annotated, Any

import typer
from rich.table import Table

from kinsight.cli.common import HomeOption, JsonOption, console, handle_errors, print_json, settings_for

AsOption = Annotated[
    str,
    typer.Option("--as", help="The Kinsight user doing this (their role and caseload decide what they see)."),
]
ReasonOption = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="Why you need this (recorded in the audit log). Needed to search beyond your caseload "
        "and to open a child who is not on it.",
    ),
]

SEARCH_HELP = """Find a child by name, date of birth, postcode or ID, with tolerant matching.

TERMS is one string: names (typos and short forms are tolerated), a date of birth (full, month/year
or year; day and month swapped is tolerated), a postcode or its first half, a child ID or UPN.
Each result says why it matched.  Without --reason only your caseload is searched.
Every search, with its terms, is written to the audit log.

Example:

  kinsight search "Kate Smith 03/12/2015" --as j.bloggs --reason "Duty: referral from school today"
"""

CHILD_HELP = """Show a child's history: timeline in plain words, sources and last contact with each service.

Children on your caseload open straight away; any other child needs --reason (or --break-glass with
a reason in an emergency: allowed, flagged and reviewed by information governance).

Example:

  kinsight child KS0000123 --as j.bloggs --reason "Covering for a colleague on leave"
"""


def _print_search(body: dict[str, Any]) -> None:
    console.print(f"Searched {body['children_searched']} children ({body['scope']}).")
    if not body["results"]:
        console.print("No matches.")
        return
    table = Table()
    for col in ("child", "name", "born", "postcode", "score", "why"):
        table.add_column(col)
    for r in body["results"]:
        table.add_row(
            r["child"],
            r.get("name") or "(hidden)",
            r.get("date_of_birth") or "(hidden)",
            r.get("postcode") or "",
            f"{r['score']:.0f}",
            "; ".join(r["why"]),
        )
    console.print(table)


def _print_child(body: dict[str, Any]) -> None:
    console.print(
        f"[bold]{body.get('name') or body['child']}[/]  born {body.get('date_of_birth') or '(hidden)'}"
    )
    console.print(f"Opened on the basis of: {body['access']['basis'].replace('_', ' ')}")
    for source in body["sources"]:
        console.print(f"- {source['title']}: {source['words']}")
    for contact in body["last_contact"]:
        console.print(f"- Last contact, {contact['service']}: {contact['last_contact'] or 'none held'}")
    table = Table(title="Timeline (newest first)")
    table.add_column("date")
    table.add_column("service")
    table.add_column("what happened")
    for event in body["timeline"]:
        table.add_row(event["date"], event["service"], event["words"])
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("search", help=SEARCH_HELP)
    @handle_errors
    def search(
        terms: Annotated[str, typer.Argument(help="What you know: names, date of birth, postcode, ID.")],
        as_user: AsOption,
        reason: ReasonOption = None,
        limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most results to show.")] = 10,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services import practitioner

        settings = settings_for(home)
        principal = practitioner.principal_named(settings, as_user)
        body = practitioner.search(settings, principal, terms, reason=reason, limit=limit)
        if as_json:
            print_json(body)
        else:
            _print_search(body)

    @app.command("child", help=CHILD_HELP)
    @handle_errors
    def child(
        child_id: Annotated[str, typer.Argument(help="The child's ID (as in the returns).")],
        as_user: AsOption,
        reason: ReasonOption = None,
        break_glass: Annotated[
            bool,
            typer.Option("--break-glass", help="Emergency access: needs --reason; flagged for review."),
        ] = False,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services import practitioner

        settings = settings_for(home)
        principal = practitioner.principal_named(settings, as_user)
        body = practitioner.child_page(settings, principal, child_id, reason=reason, break_glass=break_glass)
        if as_json:
            print_json(body)
        else:
            _print_child(body)

    caseload = typer.Typer(
        help="Which practitioner holds which child.  "
        "Example: kinsight caseload assign KS0000123 --to j.bloggs --as t.manager",
        no_args_is_help=True,
    )
    app.add_typer(caseload, name="caseload")

    @caseload.command("assign")
    @handle_errors
    def assign(
        child_id: Annotated[str, typer.Argument(help="The child's ID.")],
        to: Annotated[str, typer.Option("--to", help="The practitioner who will hold the child.")],
        as_user: AsOption,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Put a child on a practitioner's caseload (team managers and administrators).

        Example: kinsight caseload assign KS0000123 --to j.bloggs --as t.manager
        """
        from kinsight.services import practitioner

        settings = settings_for(home)
        principal = practitioner.principal_named(settings, as_user)
        body = practitioner.assign_caseload(settings, principal, child_id, to)
        if as_json:
            print_json(body)
        else:
            console.print(
                f"{body['child']} is on {body['username']}'s caseload"
                + (" (it already was)." if not body["assigned"] else ".")
            )

    @caseload.command("list")
    @handle_errors
    def list_caseload(
        username: Annotated[str, typer.Argument(help="Whose caseload to list.")],
        as_user: AsOption,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List the children on a caseload (your own, or any as a team manager).

        Example: kinsight caseload list j.bloggs --as j.bloggs
        """
        from kinsight.services import practitioner

        settings = settings_for(home)
        principal = practitioner.principal_named(settings, as_user)
        view = practitioner.caseload_of(settings, principal, username)
        if as_json:
            print_json(view.as_dict())
        else:
            console.print(f"{username}: " + (", ".join(view.children) or "no children"))
