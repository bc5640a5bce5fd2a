"""``kinsight monitor``: drift checks, deployments, monitoring runs, reviews and retirement."""

import getpass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from kinsight.cli.common import HomeOption, JsonOption, console, handle_errors, print_json, settings_for
from kinsight.errors import UsageError

if TYPE_CHECKING:  # the service pulls in scipy, polars and SQLAlchemy: load it per command
    from kinsight.services import monitoring as svc

HELP = """Watch tools in use: input-data drift, accuracy as outcomes arrive, reviews and retirement.

A typical sequence:

  kinsight monitor drift --reference train.csv --current march.csv
  kinsight monitor deploy risk-model --version 1 --reference train.csv --owner ana --project risk-model
  kinsight monitor evaluate risk-model --version 1 --predictions holdout.csv --outcome y --score p
  kinsight monitor go-live risk-model --version 1
  kinsight monitor run --deployment risk-model --current march.csv
  kinsight monitor review risk-model --answers review.yaml --decision continue
  kinsight monitor deprecate risk-model --reason "replaced by ..."
  kinsight monitor decommission risk-model --reason "..." --retention retain
"""

NameArg = Annotated[str, typer.Argument(help="Deployment name, e.g. risk-model.", show_default=False)]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why this step is taken (recorded).")]


def _actor(user: str | None = None) -> "svc.Actor":
    from kinsight.services import monitoring as svc

    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # pragma: no cover - containers without a passwd entry
            user = "cli"
    return svc.Actor(user=user, role=svc.LOCAL_OPERATOR)


def _split(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1e-3 and value != 0 else f"{value:.{digits}f}"
    return str(value)


def _print_drift(result: dict[str, Any]) -> None:
    table = Table(title="Drift per field")
    for column in ("field", "kind", "PSI", "test", "p-value", "status"):
        table.add_column(column)
    for name, f in result["fields"].items():
        style = "bold red" if f["drifted"] else ("yellow" if f["status"] == "watch" else "")
        table.add_row(
            name, f["kind"], _fmt(f["psi"]), f["test"], _fmt(f["p_value"]), f["status"], style=style
        )
    console.print(table)
    t = result["thresholds"]
    console.print(
        f"Drifted when PSI >= {t['psi_drift']} and p-value < {t['p_value']}; watch from PSI {t['psi_watch']}."
    )


def _print_status(items: list[dict[str, Any]]) -> None:
    if not items:
        console.print("No deployments yet. Register one with 'kinsight monitor deploy'.")
        return
    table = Table(title="Deployments")
    for column in (
        "name",
        "status",
        "live version",
        "owner",
        "project",
        "next review",
        "open alerts",
        "last run",
    ):
        table.add_column(column)
    for d in items:
        due = _fmt(d["next_review_due"]) + (" [bold red](overdue)[/]" if d["review_overdue"] else "")
        last = d["last_run"]
        table.add_row(
            d["name"],
            d["status"],
            d["live_version"] or "-",
            d["owner"],
            d["project"] or "-",
            due,
            str(d["open_alerts"]),
            "-" if last is None else f"{last['period']}{' (breach)' if last['breached'] else ''}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    monitor = typer.Typer(help=HELP, no_args_is_help=True, rich_markup_mode="rich")
    app.add_typer(monitor, name="monitor")

    @monitor.command("drift")
    @handle_errors
    def drift(
        reference: Annotated[
            Path, typer.Option("--reference", help="Reference (training) data, CSV or Parquet.")
        ],
        current: Annotated[Path, typer.Option("--current", help="Current input data, CSV or Parquet.")],
        fields: Annotated[str | None, typer.Option(help="Only these fields (comma-separated).")] = None,
        categorical: Annotated[
            str | None,
            typer.Option(help="Treat these numeric-looking fields as categories (comma-separated)."),
        ] = None,
        thresholds: Annotated[
            Path | None, typer.Option(help="YAML file replacing some default thresholds.")
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Compare two files field by field: PSI, KS (numeric) or chi-squared (categorical), drifted or not.

        Example: kinsight monitor drift --reference train.csv --current march.csv --json
        """
        from kinsight.services import monitoring as svc

        result = svc.drift_files(
            reference,
            current,
            fields=_split(fields),
            categorical=_split(categorical),
            thresholds_file=thresholds,
        )
        if as_json:
            print_json(result)
        else:
            _print_drift(result)

    @monitor.command("deploy")
    @handle_errors
    def deploy(
        name: NameArg,
        version: Annotated[
            str, typer.Option(help="Version name, e.g. 1 (a retrained tool is a new version).")
        ],
        reference: Annotated[Path, typer.Option(help="The data the version learned from (CSV or Parquet).")],
        owner: Annotated[str | None, typer.Option(help="User name of the owner alerts go to.")] = None,
        project: Annotated[str, typer.Option(help="Governance project name.")] = "",
        kind: Annotated[str, typer.Option(help="model or indicator_set.")] = "model",
        thresholds: Annotated[
            Path | None, typer.Option(help="YAML replacing some drift/quality thresholds.")
        ] = None,
        accuracy_thresholds: Annotated[
            Path | None, typer.Option(help="Accuracy thresholds set at design (as for kinsight evaluate).")
        ] = None,
        categorical: Annotated[str | None, typer.Option(help="Fields to treat as categories.")] = None,
        current: Annotated[Path | None, typer.Option(help="Where each run reads current input data.")] = None,
        outcomes: Annotated[
            Path | None, typer.Option(help="Where each run reads predictions with outcomes.")
        ] = None,
        outcome: Annotated[str | None, typer.Option(help="Outcome column of the outcomes file.")] = None,
        score: Annotated[str | None, typer.Option(help="Score column of the outcomes file.")] = None,
        label: Annotated[
            str | None, typer.Option(help="Yes/no prediction column of the outcomes file.")
        ] = None,
        groups: Annotated[str | None, typer.Option(help="Group columns for per-group accuracy.")] = None,
        interval_months: Annotated[int, typer.Option(help="Months between reviews once settled.")] = 3,
        early_months: Annotated[int, typer.Option(help="Months after go-live with monthly reviews.")] = 6,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Register a tool in use (or a new version of it), in shadow, with its training-data fingerprint.

        Example: kinsight monitor deploy risk-model --version 1 --reference train.csv --owner ana
        """
        from kinsight.services import monitoring as svc

        outcome_config = None
        if outcomes is not None or outcome is not None:
            if not (outcomes and outcome and (score or label)):
                raise UsageError(
                    "Outcomes need --outcomes FILE, --outcome COL and --score COL or --label COL.",
                    hint="Or leave all of them out until outcomes arrive.",
                )
            outcome_config = {
                "path": str(outcomes),
                "outcome": outcome,
                "score": score,
                "label": label,
                "groups": _split(groups) or [],
            }
        result = svc.deploy(
            settings_for(home),
            _actor(),
            name,
            version=version,
            reference=reference,
            owner=owner,
            project=project,
            kind=kind,
            thresholds_file=thresholds,
            accuracy_thresholds_file=accuracy_thresholds,
            categorical=_split(categorical),
            current=current,
            outcomes=outcome_config,
            interval_months=interval_months,
            early_period_months=early_months,
        )
        if as_json:
            print_json(result)
        else:
            console.print(
                f"Registered [bold]{name}[/] version {version} ({result['status']}); "
                f"training data fingerprint {result['fingerprint'][:16]}..."
            )

    @monitor.command("evaluate")
    @handle_errors
    def evaluate(
        name: NameArg,
        version: Annotated[str, typer.Option(help="Version to evaluate.")],
        predictions: Annotated[Path, typer.Option(help="Held-out predictions CSV with outcomes.")],
        outcome: Annotated[str, typer.Option(help="Outcome column (0/1).")],
        score: Annotated[str | None, typer.Option(help="Score column (probability).")] = None,
        label: Annotated[str | None, typer.Option(help="Yes/no prediction column.")] = None,
        groups: Annotated[str | None, typer.Option(help="Group columns (comma-separated).")] = None,
        threshold: Annotated[float, typer.Option(help="Score at or above which a child is flagged.")] = 0.5,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Evaluate a version against the accuracy thresholds it was approved against (needed for go-live).

        Example: kinsight monitor evaluate risk-model --version 2 --predictions holdout.csv
        --outcome y --score p
        """
        from kinsight.services import monitoring as svc

        result = svc.record_evaluation(
            settings_for(home),
            _actor(),
            name,
            version=version,
            predictions=predictions,
            outcome=outcome,
            score=score,
            label=label,
            groups=_split(groups),
            threshold=threshold,
        )
        if as_json:
            print_json(result)
            return
        console.print(
            f"Version {version}: {'[green]passed[/]' if result['passed'] else '[red]not passed[/]'}"
        )
        for r in result["verdict"]["results"]:
            console.print(f"  {'met' if r['met'] else 'NOT met'}: {r['threshold']} ({r['evidence']})")

    @monitor.command("go-live")
    @handle_errors
    def go_live(
        name: NameArg,
        version: Annotated[str, typer.Option(help="Version to make live.")],
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Make a version live; refused (exit 5) unless it has a passing evaluation.

        Example: kinsight monitor go-live risk-model --version 2
        """
        from kinsight.services import monitoring as svc

        result = svc.go_live(settings_for(home), _actor(), name, version=version)
        if as_json:
            print_json(result)
        else:
            console.print(
                f"[bold]{name}[/] version {version} is live; next review due {result['next_review_due']}."
            )

    @monitor.command("run")
    @handle_errors
    def run(
        deployment: Annotated[
            str | None, typer.Option(help="Only this deployment (default: every one monitored).")
        ] = None,
        current: Annotated[Path | None, typer.Option(help="Current input data for this run.")] = None,
        outcomes: Annotated[Path | None, typer.Option(help="Predictions with outcomes for this run.")] = None,
        period: Annotated[
            str | None, typer.Option(help="Label of the period, e.g. 2025-03 (default: this month).")
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Run monitoring: drift, data quality, accuracy, use and challenges; breaches raise alerts.

        Example: kinsight monitor run --deployment risk-model --current march.csv --period 2025-03
        """
        from kinsight.services import monitoring as svc

        results = svc.run(
            settings_for(home), _actor(), deployment, current=current, outcomes=outcomes, period=period
        )
        if as_json:
            print_json(results)
            return
        if not results:
            console.print("No deployments are monitored yet.")
        for r in results:
            console.print(f"[bold]{r['deployment']}[/] run {r['run']} ({r['period']}):")
            for section, body in r["sections"].items():
                console.print(f"  {section}: {body['status']} - {body['summary']}")
            for a in r["alerts"]:
                console.print(f"  [bold red]alert[/] to {a['owner']}: {a['message']}")

    @monitor.command("status")
    @handle_errors
    def status(
        name: Annotated[str | None, typer.Argument(help="One deployment (default: all).")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List deployments: status, live version, next review (overdue flagged), open alerts.

        Example: kinsight monitor status
        """
        from kinsight.services import monitoring as svc

        items = svc.status(settings_for(home), _actor(), name)
        if as_json:
            print_json(items)
        else:
            _print_status(items)

    @monitor.command("alerts")
    @handle_errors
    def alerts(
        owner: Annotated[str | None, typer.Option(help="Only alerts addressed to this user.")] = None,
        open_only: Annotated[bool, typer.Option("--open", help="Only alerts not yet acknowledged.")] = False,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List monitoring alerts (newest first).

        Example: kinsight monitor alerts --owner ana --open
        """
        from kinsight.services import monitoring as svc

        settings = settings_for(home)
        items = (
            svc.alerts_for(settings, owner, open_only=open_only)
            if owner
            else svc.alerts(settings, _actor(), open_only=open_only)
        )
        if as_json:
            print_json(items)
            return
        for a in items:
            seen = "" if a["acknowledged_at"] is None else " (acknowledged)"
            console.print(f"#{a['id']} {a['deployment']} {a['period']} to {a['owner']}: {a['message']}{seen}")
        if not items:
            console.print("No alerts.")

    @monitor.command("checklist")
    @handle_errors
    def checklist_(as_json: JsonOption = False) -> None:
        """Print the review checklist as a YAML answers template.

        Example: kinsight monitor checklist > review.yaml
        """
        import yaml

        from kinsight.services import monitoring as svc

        questions = svc.review_checklist()
        if as_json:
            print_json(questions)
            return
        lines = ["# Answer each question: met, concern or not_applicable (a concern needs notes)."]
        for q in questions:
            lines.append(f"# {q['text']}")
            lines.append(yaml.safe_dump({q["id"]: {"answer": "met", "notes": ""}}, sort_keys=False).strip())
        typer.echo("\n".join(lines))

    @monitor.command("review")
    @handle_errors
    def review(
        name: NameArg,
        answers: Annotated[
            Path, typer.Option(help="YAML answers to the checklist (kinsight monitor checklist).")
        ],
        decision: Annotated[str, typer.Option(help="continue, retrain, change_scope or deprecate.")],
        notes: Annotated[str, typer.Option(help="Notes of the review.")] = "",
        scope: Annotated[str, typer.Option(help="What changes, for a change_scope decision.")] = "",
        held_on: Annotated[str | None, typer.Option(help="Date held, YYYY-MM-DD (default: today).")] = None,
        by: Annotated[str | None, typer.Option(help="Who signs the review off (default: you).")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Record a review with the monitoring runs since the last one attached, a decision and sign-off.

        Example: kinsight monitor review risk-model --answers review.yaml --decision continue
        """
        import yaml

        from kinsight.services import monitoring as svc

        if not answers.exists():
            raise UsageError(
                f"No file {answers}.", hint="Write one with 'kinsight monitor checklist > review.yaml'."
            )
        try:
            raw = yaml.safe_load(answers.read_text(encoding="utf-8"))
            held = date.fromisoformat(held_on) if held_on else None
        except (yaml.YAMLError, ValueError) as error:
            raise UsageError(
                f"Cannot read the review: {error}", hint="Check the answers file and the date."
            ) from error
        result = svc.record_review(
            settings_for(home),
            _actor(by),
            name,
            answers=raw or {},
            decision=decision,
            notes=notes,
            held_on=held,
            scope_description=scope,
        )
        if as_json:
            print_json(result)
        else:
            console.print(
                f"Review {result['review']} of [bold]{name}[/]: {result['decision']}, "
                f"{len(result['evidence_runs'])} monitoring runs attached."
            )
            for key, value in result["follow_up"].items():
                console.print(f"  {key}: {value}")

    def _lifecycle(action: str, doc: str) -> None:
        def command(
            name: NameArg,
            reason: ReasonOption,
            home: HomeOption = None,
            as_json: JsonOption = False,
        ) -> None:
            from kinsight.services import monitoring as svc

            result = getattr(svc, action)(settings_for(home), _actor(), name, reason=reason)
            if as_json:
                print_json(result)
            else:
                console.print(f"[bold]{name}[/]: {result['from']} -> {result['status']}.")

        command.__doc__ = doc
        monitor.command(action)(handle_errors(command))

    _lifecycle(
        "deprecate",
        "Deprecate a tool: it stays readable with a banner and produces no new outputs.\n\n"
        "Example: kinsight monitor deprecate risk-model --reason 'objectives no longer met'",
    )
    _lifecycle(
        "reinstate",
        "Undo a deprecation (senior leader or administrator).\n\n"
        "Example: kinsight monitor reinstate risk-model --reason 'deprecated in error'",
    )
    _lifecycle(
        "restore",
        "Undo a decommissioning back to deprecated (senior leader or administrator).\n\n"
        "Example: kinsight monitor restore risk-model --reason 'records needed for an inquiry'",
    )

    @monitor.command("decommission")
    @handle_errors
    def decommission(
        name: NameArg,
        reason: ReasonOption,
        retention: Annotated[
            str | None,
            typer.Option(help="retain or delete the tool's data (default: the retention setting)."),
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Decommission a deprecated tool: access revoked, outputs archived, data kept or deleted.

        Example: kinsight monitor decommission risk-model --reason 'replaced' --retention retain
        """
        from kinsight.services import monitoring as svc

        result = svc.decommission(settings_for(home), _actor(), name, reason=reason, retention=retention)
        if as_json:
            print_json(result)
            return
        d = result["details"]
        console.print(
            f"[bold]{name}[/] is retired. Archive: {d['archive']} "
            f"(data {'kept' if d['retention'] == 'retain' else 'deleted'})."
        )
        console.print(f"Transparency record: {d['transparency']['detail']}")

    @monitor.command("output")
    @handle_errors
    def output(
        name: NameArg,
        file: Annotated[Path, typer.Argument(help="An output of the tool to file with its records.")],
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """File an output of the tool (refused once it is deprecated).

        Example: kinsight monitor output risk-model scores-2025-03.csv
        """
        from kinsight.services import monitoring as svc

        result = svc.record_output(settings_for(home), _actor(), name, file=file)
        if as_json:
            print_json(result)
        else:
            console.print(f"Filed {result['output']}.")
