"""Platform commands: serve the site, manage accounts and API tokens, check the audit log."""

import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

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
from kinsight.errors import UsageError

if TYPE_CHECKING:  # roles load YAML through pydantic: only needed once a command runs
    from kinsight.domain.roles import Role


def demo_account_lines(accounts: "list[tuple[str, Role, str]]") -> list[str]:
    """The demo accounts as plain aligned lines.

    A Rich table is cut to 80 columns when there is no terminal (``make run``), which turned the
    published passwords into "information-gov…"; plain lines are never shortened, only wrapped.
    """
    rows = [("user name", "role", "password")] + [(name, role.value, pw) for name, role, pw in accounts]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    return [f"  {name.ljust(widths[0])}  {role.ljust(widths[1])}  {pw}" for name, role, pw in rows]


def _sign_in_hint(accounts: "list[tuple[str, Role, str]]") -> str:
    """The analyst sees most of the site, so a newcomer is pointed at that account first."""
    from kinsight.domain.roles import Role

    preferred = next((a for a in accounts if a[1] is Role.ANALYST), accounts[0])
    return f"Sign in as {preferred[0]} with password {preferred[2]}"


def _serve(home: HomeOption, port: int, host: str, demo: bool, workers: int = 1) -> None:
    import uvicorn

    from kinsight.services import accounts
    from kinsight.web import create_app

    settings = settings_for(home)
    app = create_app(settings)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (a comparison, not a bind)
    url = f"http://{shown}:{port}/"
    if demo:
        created = accounts.ensure_demo_accounts(settings)
        typer.echo("Demo accounts (DEMO ONLY: synthetic data; these passwords are published):")
        for line in demo_account_lines(created):
            typer.echo(line)
        console.print(
            "[bold red]Demo only:[/] never use --demo on an installation with real data.", highlight=False
        )
        typer.echo("")
    typer.echo(f"Kinsight for {settings.la_name} is running at:")
    typer.echo(f"  {url}")
    if demo:
        typer.echo(f"  {_sign_in_hint(created)}")
    typer.echo("Stop it with Ctrl+C.")
    if workers <= 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    # Several worker processes need the app as an import string: each rebuilds it from the environment.
    import os

    from kinsight.web.app import ENV_FACTORY

    os.environ["KINSIGHT_HOME"] = str(settings.home)
    uvicorn.run(ENV_FACTORY, factory=True, host=host, port=port, workers=workers, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("serve")
    @handle_errors
    def serve(
        home: HomeOption = None,
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
        host: Annotated[
            str, typer.Option("--host", help="Address to listen on (loopback by default).")
        ] = "127.0.0.1",
        demo: Annotated[
            bool, typer.Option("--demo", help="Create demo accounts, one per role (synthetic data only).")
        ] = False,
        workers: Annotated[
            int,
            typer.Option(
                "--workers",
                min=1,
                help="Server processes. 1 (default) for a laptop; about one per CPU core on a shared server.",
            ),
        ] = 1,
    ) -> None:
        """Serve the Kinsight website and JSON API (migrates the app database first).

        Example: kinsight serve --home kinsight-home --port 8000 --demo
        Example: kinsight serve --home /srv/kinsight --host 0.0.0.0 --workers 4
        """
        _serve(home, port, host, demo, workers)

    user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
    token_app = typer.Typer(help="Manage API tokens for service clients.", no_args_is_help=True)
    audit_app = typer.Typer(help="Check and review the audit log.", no_args_is_help=True)
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")

    @user_app.command("create")
    @handle_errors
    def user_create(
        name: Annotated[str, typer.Argument(help="User name, one word, e.g. j.smith")],
        role: Annotated[
            str,
            typer.Option(
                "--role",
                help="practitioner, team_manager, analyst, information_governance, "
                "oversight_member, senior_leader or admin",
            ),
        ],
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the password from standard input.")
        ] = False,
        sso_only: Annotated[
            bool, typer.Option("--sso-only", help="No password: sign in with the organisation account only.")
        ] = False,
        display_name: Annotated[
            str | None, typer.Option("--display-name", help="Full name shown on pages.")
        ] = None,
        email: Annotated[
            str | None, typer.Option("--email", help="Work email (matches single sign-on).")
        ] = None,
        surname: Annotated[
            str | None, typer.Option("--surname", help="Own surname, for the own-family search check.")
        ] = None,
        address: Annotated[
            str | None, typer.Option("--address", help="Own address, for the own-family search check.")
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Create an account with a role in this authority.

        Example: echo 'long unguessable words' | kinsight user create j.smith --role analyst --password-stdin
        """
        from kinsight.services import accounts

        if password_stdin == sso_only:
            raise UsageError(
                "Give exactly one of --password-stdin or --sso-only.",
                hint="Passwords are never taken as an option, so they do not end up in shell history.",
            )
        password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
        view = accounts.create_user(
            settings_for(home),
            name,
            role=role,
            password=password,
            display_name=display_name,
            email=email,
            surname=surname,
            address=address,
        )
        if as_json:
            print_json(view.as_dict())
        else:
            console.print(f"Created {view.username} with role {view.role}.")

    @user_app.command("list")
    @handle_errors
    def user_list(home: HomeOption = None, as_json: JsonOption = False) -> None:
        """List accounts and their roles.  Example: kinsight user list --json"""
        from kinsight.services import accounts

        users = accounts.list_users(settings_for(home))
        if as_json:
            print_json([u.as_dict() for u in users])
            return
        table = Table(title="Accounts")
        for col in ("user name", "name", "role", "active"):
            table.add_column(col)
        for u in users:
            table.add_row(
                u.username, u.display_name, u.role.value if u.role else "-", "yes" if u.active else "no"
            )
        console.print(table)

    @token_app.command("create")
    @handle_errors
    def token_create(
        user: Annotated[str, typer.Option("--user", help="The account the token acts for.")],
        scope: Annotated[
            str,
            typer.Option("--scope", help="Comma-separated permissions, e.g. catalogue.view,dictionary.view"),
        ],
        days: Annotated[int, typer.Option("--days", help="Days until it expires (1-366).")] = 90,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Create an API token.  It is printed once; only its hash is kept.

        Example: kinsight token create --user reporting-bot --scope catalogue.view --days 30
        """
        from kinsight.services import tokens

        issued = tokens.create(settings_for(home), user, scope, days=days)
        if as_json:
            print_json(issued.as_dict())
            return
        console.print(f"Token {issued.token_id} for {issued.username}, expires {issued.expires_at:%Y-%m-%d}.")
        console.print("Copy it now: it will not be shown again.")
        typer.echo(issued.token)

    @token_app.command("revoke")
    @handle_errors
    def token_revoke(
        token_id: Annotated[str, typer.Argument(help="The token id (or the whole token).")],
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Revoke an API token at once.  Example: kinsight token revoke 3f9a1c2b4d5e6f70"""
        from kinsight.services import tokens

        view = tokens.revoke(settings_for(home), token_id)
        if as_json:
            print_json(view.as_dict())
        else:
            console.print(f"Revoked token {view.token_id} of {view.username}.")

    @audit_app.command("verify")
    @handle_errors
    def audit_verify(home: HomeOption = None, as_json: JsonOption = False) -> None:
        """Check the audit log's hash chain; exit 1 and name the first broken record if it was altered.

        Example: kinsight audit verify --home kinsight-home
        """
        from kinsight.services import audit

        report = audit.verify(settings_for(home))
        if as_json:
            print_json(report.as_dict())
        elif report.ok:
            console.print(f"The audit log is intact: {report.records} records check out.")
        else:
            err_console.print(f"[bold red]The audit log has been altered:[/] {report.problem}.")
        if not report.ok:
            raise typer.Exit(1)

    @audit_app.command("flags")
    @handle_errors
    def audit_flags(
        days: Annotated[int, typer.Option("--days", help="Only records from the last N days.")] = 30,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List records the suspicious-access rules flagged for information governance.

        Example: kinsight audit flags --days 7
        """
        from kinsight.services import audit

        since = datetime.utcnow() - timedelta(days=days)
        rows = audit.flags(settings_for(home), since=since)
        if as_json:
            print_json(
                [
                    {
                        "seq": r.seq,
                        "at": r.at,
                        "actor": r.actor,
                        "action": r.action,
                        "target": r.target,
                        "flags": list(r.flags),
                    }
                    for r in rows
                ]
            )
            return
        table = Table(title=f"Flagged records, last {days} days")
        for col in ("record", "when", "who", "what", "why"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                str(r.seq), f"{r.at:%Y-%m-%d %H:%M}", r.actor, f"{r.action} {r.target}", ", ".join(r.flags)
            )
        console.print(table)
