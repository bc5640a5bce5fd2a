"""``kinsight project``: walk an analytics tool through the ten stages of the DfE guidance.

Thin adapter: every command calls ``kinsight.services.governance`` and prints what comes back.
The person at the terminal acts as the local operator (they already hold the database file).
"""

import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from kinsight.domain.exports import EXPORT_FORMATS
from kinsight.errors import DataFileError, Location, UsageError

if TYPE_CHECKING:  # the service pulls in SQLAlchemy and the governance engine: load it per command
    from kinsight.services import governance as svc

HELP = """Govern an analytics tool from idea to retirement, following the DfE guidance's ten stages.

A project moves forward only when its stage gate is met: answers to the guidance's instruments, \
sign-offs, and evidence Kinsight computed itself (data quality, privacy risk, evaluation against the \
thresholds set at design, external validation).  Nothing is ever deleted; every answer is versioned.

[bold]Example[/]

  kinsight project create placement-forecast
  kinsight project template project_profile > profile.yaml
  kinsight project answer placement-forecast project_profile --file profile.yaml
  kinsight project status placement-forecast
  kinsight project advance placement-forecast
"""

NameArg = Annotated[str, typer.Argument(help="Project name, e.g. placement-forecast.", show_default=False)]


def _actor() -> "svc.Actor":
    from kinsight.services import governance as svc

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - containers without a passwd entry
        user = "cli"
    return svc.Actor(user=user, role=svc.LOCAL_OPERATOR)


def _read_answers(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(f"cannot be read ({error.strerror})", location=Location(str(path))) from error
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataFileError(
            "is not valid YAML",
            location=Location(str(path), row=mark.line + 1 if mark else None),
            hint="Start from 'kinsight project template INSTRUMENT'.",
        ) from error


def _print_gate(gate: dict[str, Any]) -> None:
    table = Table(title=f"Gate {gate['from_stage']} -> {gate['to_stage'] or '(last stage)'}")
    for column in ("", "condition", "detail"):
        table.add_column(column)
    marks = {
        "met": "[green]met[/]",
        "not_applicable": "[dim]n/a[/]",
        "unmet": "[red]unmet[/]",
        "no_evidence": "[yellow]no evidence yet[/]",
    }
    for condition in gate["conditions"]:
        table.add_row(marks[condition["status"]], condition["label"], condition["detail"])
    console.print(table)


def register(app: typer.Typer) -> None:
    project = typer.Typer(help=HELP, no_args_is_help=True, rich_markup_mode="rich")
    app.add_typer(project, name="project")

    @project.command("create")
    @handle_errors
    def create(
        name: NameArg,
        title: Annotated[str | None, typer.Option(help="Full title of the tool.")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Start a project at the problem identification stage.

        Example: kinsight project create placement-forecast --title "Placement demand forecast"
        """
        from kinsight.services import governance as svc

        result = svc.create_project(settings_for(home), _actor(), name, title=title)
        if as_json:
            print_json(result)
        else:
            console.print(f"Created project [bold]{name}[/] at stage {result['stage']}.")

    @project.command("list")
    @handle_errors
    def list_(home: HomeOption = None, as_json: JsonOption = False) -> None:
        """List every project and its stage.  Example: kinsight project list"""
        from kinsight.services import governance as svc

        rows = svc.list_projects(settings_for(home), _actor())
        if as_json:
            print_json(rows)
            return
        table = Table("name", "title", "stage")
        for row in rows:
            table.add_row(row["name"], row["title"], row["stage"])
        console.print(table)

    @project.command("status")
    @handle_errors
    def status(name: NameArg, home: HomeOption = None, as_json: JsonOption = False) -> None:
        """Show the stage, the gate to the next stage with every condition, and maturity/triage results.

        Example: kinsight project status placement-forecast --json
        """
        from kinsight.services import governance as svc

        result = svc.status(settings_for(home), _actor(), name)
        if as_json:
            print_json(result)
            return
        info = result["stage_info"]
        console.print(
            f"[bold]{result['title']}[/]: stage {info['number']} of 10, {info['label']}. {info['question']}"
        )
        if result["reopened"]:
            console.print(f"[yellow]Reopened by a change of scope:[/] {', '.join(result['reopened'])}")
        _print_gate(result["gate"])
        for key, value in result["results"].items():
            if key == "data_maturity":
                console.print(
                    f"Data maturity: {value['level_label']} (overall {value['overall']:.2f}); "
                    f"highest tier {value['highest_tier']}."
                )
            if key == "ethics_triage":
                console.print(f"Ethics triage: {value['verdict_text']} Risk level {value['risk_level']}.")

    @project.command("advance")
    @handle_errors
    def advance(name: NameArg, home: HomeOption = None, as_json: JsonOption = False) -> None:
        """Move to the next stage if its gate is met; otherwise exit 5 and list every unmet condition.

        Example: kinsight project advance placement-forecast
        """
        from kinsight.services import governance as svc

        result = svc.advance(settings_for(home), _actor(), name)
        if as_json:
            print_json(result)
        else:
            console.print(
                f"[green]Gate met.[/] {name} moved from {result['from_stage']} to {result['stage']}."
            )

    @project.command("back")
    @handle_errors
    def back(
        name: NameArg,
        to: Annotated[str, typer.Option("--to", help="Earlier stage to return to.")],
        reason: Annotated[str, typer.Option("--reason", help="Why the project goes back.")],
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Return to an earlier stage, recording why.

        Example: kinsight project back placement-forecast --to development --reason "recall below threshold"
        """
        from kinsight.services import governance as svc

        try:
            stage = svc.Stage(to)
        except ValueError:
            raise UsageError(
                f"'{to}' is not a stage.", hint="Stages: " + ", ".join(s.value for s in svc.Stage)
            ) from None
        result = svc.move_back(settings_for(home), _actor(), name, to=stage, reason=reason)
        if as_json:
            print_json(result)
        else:
            console.print(f"{name} moved back from {result['from_stage']} to {result['stage']}.")

    @project.command("instruments")
    @handle_errors
    def instruments(home: HomeOption = None, as_json: JsonOption = False) -> None:
        """List the instruments (questionnaires, tables, registers) and the stage each belongs to.

        Example: kinsight project instruments; then kinsight project template data_maturity > answers.yaml
        """
        from kinsight.services import governance as svc

        rows = svc.list_instruments(settings_for(home))
        if as_json:
            print_json(rows)
            return
        table = Table("instrument", "stage", "title", "questions")
        for row in rows:
            table.add_row(row["id"], row["stage"], row["title"], str(row["questions"]))
        console.print(table)
        console.print("Blank answers file: kinsight project template INSTRUMENT > answers.yaml")

    @project.command("template")
    @handle_errors
    def template(
        instrument: Annotated[str, typer.Argument(help="Instrument id.")], home: HomeOption = None
    ) -> None:
        """Print a blank answers file for an instrument.

        Example: kinsight project template ethics_triage > triage.yaml
        """
        from kinsight.services import governance as svc

        sys.stdout.write(svc.template(settings_for(home), instrument) + "\n")

    @project.command("answer")
    @handle_errors
    def answer(
        name: NameArg,
        instrument: Annotated[str, typer.Argument(help="Instrument id.")],
        file: Annotated[Path, typer.Option("--file", help="YAML answers file.")],
        replace: Annotated[
            bool, typer.Option(help="Replace the previous answers instead of merging.")
        ] = False,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Record a new version of a project's answers to an instrument (validated against it).

        Example: kinsight project answer placement-forecast data_maturity --file maturity.yaml
        """
        from kinsight.services import governance as svc

        result = svc.answer(
            settings_for(home), _actor(), name, instrument, _read_answers(file), replace=replace
        )
        if as_json:
            print_json(result)
            return
        console.print(f"Recorded {instrument} version {result['version']} for {name}.")
        if "result" in result:
            console.print(result["result"])

    @project.command("answers")
    @handle_errors
    def answers(
        name: NameArg,
        instrument: Annotated[str, typer.Argument(help="Instrument id.")],
        version: Annotated[int | None, typer.Option(help="An earlier version.")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Show the recorded answers (latest, or an earlier version).

        Example: kinsight project answers placement-forecast ethics_triage --version 1
        """
        import yaml

        from kinsight.services import governance as svc

        result = svc.answers_of(settings_for(home), _actor(), name, instrument, version=version)
        if as_json:
            print_json(result)
        else:
            console.print(f"{instrument} version {result['version']} of {result['versions']}")
            sys.stdout.write(yaml.safe_dump(result["answers"], sort_keys=False, allow_unicode=True))

    @project.command("signoff")
    @handle_errors
    def signoff(
        name: NameArg,
        role: Annotated[str, typer.Option("--role", help="Role of the signatory.")],
        user: Annotated[str, typer.Option("--user", help="Name of the signatory.")],
        subject: Annotated[
            str | None,
            typer.Option(
                help="What is signed off (business_case, predictive_buy_in, deployment, retirement, "
                "transparency_record ...). Default: what the current gate awaits from this role."
            ),
        ] = None,
        note: Annotated[str, typer.Option(help="Any note to keep with the sign-off.")] = "",
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Record a sign-off: who, in which role, of what, and when.

        Example: kinsight project signoff placement-forecast --role senior_leader --user "A. Director"
        """
        from kinsight.services import governance as svc

        try:
            signoff_role = svc.SignoffRole(role)
        except ValueError:
            raise UsageError(
                f"'{role}' is not a sign-off role.",
                hint="Roles: " + ", ".join(r.value for r in svc.SignoffRole),
            ) from None
        result = svc.signoff(
            settings_for(home), _actor(), name, role=signoff_role, user=user, subject=subject, note=note
        )
        if as_json:
            print_json(result)
        else:
            console.print(f"Recorded sign-off of {result['subject']} by {user} ({role}).")

    @project.command("validate")
    @handle_errors
    def validate(
        name: NameArg,
        validator: Annotated[str, typer.Option(help="Who validated the tool.")],
        organisation: Annotated[str, typer.Option(help="Their organisation (outside the project team).")],
        summary: Annotated[str, typer.Option(help="What they checked and concluded.")],
        validated: Annotated[
            bool, typer.Option("--validated/--not-validated", help="Did they validate the tool?")
        ] = True,
        on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default today).")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Record an external validation by experts outside the project team.

        Example: kinsight project validate placement-forecast --validator "Dr A" --organisation Univ
        --summary "Reviewed code and results"
        """
        from kinsight.services import governance as svc

        try:
            when = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise UsageError(f"'{on}' is not a date.", hint="Use YYYY-MM-DD.") from None
        result = svc.record_validation(
            settings_for(home),
            _actor(),
            name,
            validator=validator,
            organisation=organisation,
            validated=validated,
            summary=summary,
            validated_on=when,
        )
        if as_json:
            print_json(result)
        else:
            console.print(f"Recorded external validation by {validator} ({organisation}).")

    @project.command("scope-change")
    @handle_errors
    def scope_change(
        name: NameArg,
        description: Annotated[str, typer.Option(help="What changes in scope.")],
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Record a change of scope; it reopens the ethics triage and the impact assessments.

        Example: kinsight project scope-change placement-forecast --description "Add youth justice data"
        """
        from kinsight.services import governance as svc

        result = svc.scope_change(settings_for(home), _actor(), name, description=description)
        if as_json:
            print_json(result)
        else:
            console.print(f"Recorded. Reopened: {', '.join(result['reopened'])}; answer them again.")

    @project.command("history")
    @handle_errors
    def history(name: NameArg, home: HomeOption = None, as_json: JsonOption = False) -> None:
        """Show every recorded event: stage moves, answers, sign-offs, evidence, validations, scope changes.

        Example: kinsight project history placement-forecast
        """
        from kinsight.services import governance as svc

        events = svc.history(settings_for(home), _actor(), name)
        if as_json:
            print_json(events)
            return
        table = Table("when", "event", "by", "detail")
        for event in events:
            table.add_row(f"{event['at']:%Y-%m-%d %H:%M}", event["event"], event["by"], event["detail"])
        console.print(table)

    @project.command("export")
    @handle_errors
    def export(
        name: NameArg,
        fmt: Annotated[str, typer.Option("--format", help="One of: " + ", ".join(EXPORT_FORMATS))],
        out: Annotated[Path | None, typer.Option(help="File to write (default: the reports folder).")] = None,
        dataset: Annotated[str | None, typer.Option(help="Datasheet for this dataset only.")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Export the ATRS record (JSON or HTML), model card, datasheets, business case or DPIA annex.

        Example: kinsight project export placement-forecast --format atrs-json
        """
        from kinsight.services import governance as svc

        result = svc.export(settings_for(home), _actor(), name, fmt, out=out, dataset=dataset)
        if as_json:
            print_json(result)
            return
        for path in result["paths"]:
            console.print(f"Wrote {path}")
        if result.get("incomplete"):
            err_console.print(f"[yellow]Not recorded yet:[/] {', '.join(result['incomplete'])}")
        if result.get("schema_errors"):
            err_console.print(f"[red]Schema problems:[/] {'; '.join(result['schema_errors'])}")

    @project.command("publish")
    @handle_errors
    def publish(name: NameArg, home: HomeOption = None, as_json: JsonOption = False) -> None:
        """Publish the transparency record (live or retired tools, complete, cleared by communications).

        Example: kinsight project publish placement-forecast
        """
        from kinsight.services import governance as svc

        result = svc.publish_transparency_record(settings_for(home), _actor(), name)
        if as_json:
            print_json(result)
        else:
            console.print(f"Published version {result['version']} of the transparency record of {name}.")

    @project.command("published")
    @handle_errors
    def published(home: HomeOption = None, as_json: JsonOption = False) -> None:
        """List the published transparency records (what the public page shows).

        Example: kinsight project published
        """
        from kinsight.services import governance as svc

        rows = svc.published_transparency_records(settings_for(home))
        if as_json:
            print_json([{k: v for k, v in r.items() if k != "record"} for r in rows])
            return
        table = Table("tool", "phase", "version", "published")
        for row in rows:
            table.add_row(row["title"], row["phase"], str(row["version"]), row["published_at"])
        console.print(table)
