"""CLI for the evaluation area: ``evaluate`` (model outputs), ``bias`` (a dataset), ``model``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from kinsight.cli.common import HomeOption, JsonOption, console, handle_errors, print_json, settings_for

EVALUATE_HELP = """Evaluate a predictive model from its outputs: overall, per group and per intersection.

PREDICTIONS.csv has one row per child: the outcome (1 happened, 0 not), the model's score (a probability)
or its yes/no label, and any group columns.  A child is flagged when score >= threshold.

Reports precision, recall, F1, accuracy, ROC-AUC, PR-AUC, Brier score, the reliability curve, the confusion
matrix at the threshold and across thresholds, with bootstrap 95% intervals (percentile; children resampled
within each group).  Groups under --min-group-size children keep their n but have their metrics withheld.
With several group columns (--group SEX,ETHNIC) by_group is keyed by intersection ("F|WBRI") and
by_column gives each column's groups.  Precision with no flagged child is null, never 0.

Thresholds (--thresholds FILE.yaml), set at design, give a verdict:

  thresholds:
    - {metric: precision, at_least: 0.65}
    - {metric: recall, at_least: 0.5, applies_to: every_group}
    - {gap: recall, at_most: 0.1}

With --project NAME the evaluation is filed as that governance project's alpha test result; the
testing gate checks it against the accuracy thresholds set at design (success_criteria).

Example:

  kinsight evaluate predictions.csv --outcome ended --score score \
    --threshold 0.5 --group SEX,ETHNIC --json

  kinsight evaluate alpha.csv --outcome ended --score score --group SEX --project placement-risk
"""

BIAS_HELP = """Audit a dataset for bias: who is in it, whose data is missing, which fields stand in
for protected characteristics.

DATASET_TABLE is a typed store table (ssda903_header, ssda903_episodes, cin_census_childidentifiers ...)
or the path of a CSV extract.  Sex, ethnicity, age band (at 31 March) and disability (CIN) are taken from
the fields the spec marks, joined from the header / child tables when needed.  Shares are compared with
England's 0-17 population (or --reference FILE.yaml) with Wilson intervals and a chi-squared test;
Cramér's V >= 0.3 flags a likely proxy.

Example:

  kinsight bias ssda903_episodes --year 2024-25 --json
"""


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value:.1%}"


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print_evaluation(result: dict[str, Any]) -> None:
    overall = result["overall"]
    for line in result["plain_words"]["overall"]:
        console.print(f"[bold]{line}[/]")
    table = Table(title="Model evaluation (advisory)")
    for column in ("group", "n", "precision", "recall", "F1", "selection", "FPR", "ROC-AUC"):
        table.add_column(column, justify="right" if column != "group" else "left")
    rows = [("overall", overall)] + list((result.get("by_group") or {}).items())
    for name, block in rows:
        table.add_row(
            name,
            block["n_display"],
            _pct(block.get("precision")),
            _pct(block.get("recall")),
            _num(block.get("f1")),
            _pct(block.get("selection_rate")),
            _pct(block.get("false_positive_rate")),
            _num(block.get("roc_auc")),
        )
    console.print(table)
    gaps = (result.get("gaps") or {}).get("by_group") or {}
    for metric, gap in gaps.items():
        if gap.get("difference") is not None:
            console.print(
                f"Gap in {metric}: {gap['difference']:.1%} ({gap['highest_group']} vs {gap['lowest_group']})"
            )
    if result.get("baseline"):
        test = result["baseline"]["paired_test"]
        console.print(f"Against the baseline: {test['method']}, p = {test['p_value']:.3g}")
    if "verdict" in result:
        failed = [r for r in result["verdict"]["results"] if not r["met"]]
        if failed:
            body = "\n".join(f"✗ {r['threshold']}: {r['evidence']}" for r in failed)
            console.print(Panel(body, title="THRESHOLDS NOT MET", style="bold red", expand=False))
        else:
            console.print(Panel("Every threshold set at design is met.", style="bold green", expand=False))
    console.print(f"[dim]{result['advisory']}[/]")


def _print_bias(result: dict[str, Any]) -> None:
    console.print(f"[bold]{result['source']}[/]: {result['rows']} rows, {result['children']} children")
    for name, block in result["representation"].items():
        table = Table(title=f"{name} against {result['reference_population']}")
        for column in ("group", "n", "share", "95% interval", "reference"):
            table.add_column(column)
        for row in block["groups"]:
            table.add_row(
                row["group"],
                str(row["n"]),
                _pct(row["share"]),
                f"{_pct(row['ci'][0])} to {_pct(row['ci'][1])}",
                _pct(row["reference_share"]),
            )
        console.print(table)
        reference = block.get("reference")
        if reference:
            status = str(reference["status"])
            style = "bold yellow" if status == "approximate" else "dim"
            console.print(f"[{style}]reference shares: {status}[/] [dim]({reference['source']})[/]")
        if block["test"]:
            console.print(f"chi-squared {block['test']['statistic']:.2f}, p = {block['test']['p_value']:.3g}")
    proxies = result["proxies"]["likely_proxies"]
    if proxies:
        console.print(
            Panel(
                "\n".join(proxies), title="Likely proxies (Cramér's V >= 0.3)", style="bold red", expand=False
            )
        )
    flagged = [m for m in result["missingness"] if m["flagged"]]
    for row in flagged:
        console.print(
            f"[yellow]Missingness of {row['field']} differs by {row['characteristic']}: "
            f"{row['difference_points']:.0f} points[/]"
        )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("evaluate", help=EVALUATE_HELP)
    @handle_errors
    def evaluate_command(
        predictions: Annotated[Path, typer.Argument(help="CSV of predictions, one row per child.")],
        outcome: Annotated[str, typer.Option("--outcome", help="Outcome column (1 or 0).")],
        score: Annotated[str | None, typer.Option("--score", help="Score column (probability 0-1).")] = None,
        label: Annotated[
            str | None, typer.Option("--label", help="Yes/no label column instead of a score.")
        ] = None,
        threshold: Annotated[float, typer.Option("--threshold", help="Flag when score >= this.")] = 0.5,
        group: Annotated[
            str | None, typer.Option("--group", help="Group column(s), comma-separated.")
        ] = None,
        baseline: Annotated[
            str | None, typer.Option("--baseline", help="Column of the existing process's yes/no decisions.")
        ] = None,
        thresholds: Annotated[
            Path | None, typer.Option("--thresholds", help="YAML/JSON thresholds set at design.")
        ] = None,
        min_group_size: Annotated[
            int, typer.Option("--min-group-size", help="Withhold metrics below this n.")
        ] = 10,
        resamples: Annotated[
            int, typer.Option("--resamples", help="Bootstrap resamples (0 for none).")
        ] = 1000,
        seed: Annotated[int, typer.Option("--seed", help="Random seed for the bootstrap.")] = 0,
        project: Annotated[
            str | None,
            typer.Option(
                "--project",
                help="File this evaluation as the governance project's alpha test evidence.",
            ),
        ] = None,
        actor: Annotated[
            str, typer.Option("--as", help="Who is acting (user name); recorded in the audit log.")
        ] = "cli",
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.evaluation import evaluate_predictions

        groups = [g.strip() for g in group.split(",") if g.strip()] if group else None
        result = evaluate_predictions(
            predictions,
            outcome=outcome,
            score=score,
            label=label,
            threshold=threshold,
            groups=groups,
            baseline=baseline,
            min_group_size=min_group_size,
            resamples=resamples,
            seed=seed,
            thresholds_path=thresholds,
        )
        if project:
            from kinsight.services import evidence

            filed = evidence.store_alpha_result(settings_for(home), project, result, actor=actor)
            result["evidence"] = {"project": project, "file": str(filed)}
        if as_json:
            print_json(result)
        else:
            _print_evaluation(result)
            if project:
                console.print(f"Filed as the alpha test evidence of project {project}.")
        if "verdict" in result and not result["verdict"]["passed"]:
            raise typer.Exit(5)

    _register_model(app)
    _register_decision(app)

    @app.command("bias", help=BIAS_HELP)
    @handle_errors
    def bias_command(
        dataset_table: Annotated[str, typer.Argument(help="Store table (ssda903_header ...) or CSV path.")],
        year: Annotated[str | None, typer.Option("--year", help="Collection year, e.g. 2024-25.")] = None,
        reference: Annotated[
            Path | None,
            typer.Option("--reference", help="Reference population YAML (default: England 0-17)."),
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.bias import bias_audit

        result = bias_audit(settings_for(home), dataset_table, year=year, reference=reference)
        if as_json:
            print_json(result)
        else:
            _print_bias(result)


MODEL_HELP = """The demonstration model and its explanations (synthetic data only).

The demonstration model asks "will this placement end in an unplanned move within six months?" on the
synthetic authority, to show the safeguards working end to end.  It is not a recommendation to predict
anything about children.  Outputs are advisory: nothing in Kinsight refers a child on its own.
"""


def _register_model(app: typer.Typer) -> None:
    model_app = typer.Typer(help=MODEL_HELP, no_args_is_help=True)
    app.add_typer(model_app, name="model")

    @model_app.command(
        "demo",
        help="Train and evaluate the demonstration model on the store; write predictions and a report "
        "(HTML, PDF) to the reports folder.\n\nExample:  kinsight model demo --home kinsight-home",
    )
    @handle_errors
    def demo_command(
        seed: Annotated[int, typer.Option("--seed", help="Random seed (training and bootstrap).")] = 0,
        resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples.")] = 1000,
        pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write a PDF report.")] = True,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.evaluation import model_demo

        result = model_demo(settings_for(home), seed=seed, resamples=resamples, pdf=pdf)
        if as_json:
            print_json(result)
            return
        console.print(Panel(result["notice"], style="bold yellow", expand=False))
        console.print(
            f"{result['train']} placements to train, {result['test']} to test (from {result['test_from']})."
        )
        _print_evaluation(result["evaluation"])
        for kind, path in result["files"].items():
            console.print(f"{kind}: {path}")

    @model_app.command(
        "explain",
        help="Show the factors behind the demonstration model's outputs, in plain words.  The score is "
        "hidden unless --show-score is given.\n\nExample:  kinsight model explain --limit 3",
    )
    @handle_errors
    def explain_command(
        child: Annotated[str | None, typer.Option("--child", help="Only this child's placements.")] = None,
        limit: Annotated[int, typer.Option("--limit", help="How many outputs to explain.")] = 5,
        top: Annotated[int, typer.Option("--top", help="Factors per output.")] = 3,
        show_score: Annotated[bool, typer.Option("--show-score", help="Also show the score.")] = False,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.evaluation import model_explain

        result = model_explain(settings_for(home), child=child, limit=limit, top=top, show_score=show_score)
        if as_json:
            print_json(result)
            return
        for output in result["outputs"]:
            score = f" (score {output['score']:.2f})" if "score" in output else ""
            console.print(
                f"[bold]Child {output['child']}, placement from {output['placement_start']}{score}[/]"
            )
            for factor in output["factors"]:
                console.print(f"  • {factor['words']}")
        console.print(f"[dim]{result['notice']}[/]")

    _register_registry(model_app)


REGISTER_HELP = """Register a model version: in shadow mode (outputs stored, never shown to decision makers)
or live (outputs shown to practitioners as advice; the score only with --show-score).

Example:

  kinsight model register placement-risk --version 1.0 --mode shadow \\
    --description "Unplanned endings within six months" --project placement-risk
"""

SHADOW_RUN_HELP = """Score the current data with a registered model and store the outputs, unseen.

Without --predictions the demonstration model (kinsight model demo) scores each child's current placement
in the store, keeping every protected characteristic found (sex, ethnicity, age_band ...) as a group
column.  With --predictions FILE.csv the model's own stored predictions are used (one row per child:
--subject, --score, and optionally --outcome and --group columns, comma-separated: --group SEX,ETHNIC).
Only counts are printed: the scores stay in the analytical store and are never shown to decision makers
while the model is in shadow mode.

Example:

  kinsight model shadow-run placement-risk --home kinsight-home

  kinsight model shadow-run risk --predictions preds.csv --subject CHILD --score p --group SEX,ETHNIC
"""

SHADOW_REPORT_HELP = """Compare what a model would have said with the decisions professionals recorded
(kinsight decision record --model NAME) and the outcomes that followed: agreement, which children with
the outcome the model would have caught or missed, precision and recall of the model and of the
professionals with bootstrap 95% intervals, and who was right more often (McNemar's test).

--group SEX,ETHNIC (the same syntax as kinsight evaluate; columns kept by the shadow run, by default its
first) reports each column's groups and, with several columns, each intersection ("F|WBRI"), with group
sizes.  Groups under --min-group-size children keep their size and have everything else withheld.
--html FILE / --pdf FILE write the report for the oversight group, led by a banner saying the outputs
were never shown to decision makers.

Example:

  kinsight model shadow-report placement-risk --group sex,ethnicity --html shadow.html --json
"""

DECISION_HELP = """Human oversight: record what a professional decided about a child, and why.

Model outputs are advice; nothing in Kinsight refers a child or acts on its own.  A decision needs the
professional's own reasons (at least eight words about the child and family); reasons that only restate a
score are refused.  Every decision, and every refused attempt, is written to the audit log.
"""

RECORD_HELP = """Record a professional's decision with their own reasons.

DECISION is one of: no_further_action, continue_current_plan, discuss_in_supervision,
review_placement_support, refer.  With --model NAME the decision is linked to that model's case, so
shadow running can compare it with what the model would have said.

Example:

  kinsight decision record --child C0042 --decision review_placement_support \\
    --reasons "Carer reports night-time distress since school changed; agreed respite and a review" \\
    --as sw.jones --model placement-risk
"""


def _register_registry(model_app: typer.Typer) -> None:
    @model_app.command("register", help=REGISTER_HELP)
    @handle_errors
    def register_command(
        name: Annotated[str, typer.Argument(help="Model name, e.g. placement-risk.")],
        version: Annotated[str, typer.Option("--version", help="Model version, e.g. 1.0.")],
        mode: Annotated[str, typer.Option("--mode", help="shadow (outputs hidden) or live (advice).")],
        description: Annotated[str, typer.Option("--description", help="What the model is for.")] = "",
        project: Annotated[
            str | None, typer.Option("--project", help="Governance project the model belongs to.")
        ] = None,
        threshold: Annotated[float, typer.Option("--threshold", help="Flag when score >= this.")] = 0.5,
        show_score: Annotated[
            bool, typer.Option("--show-score", help="Live models: show practitioners the score itself.")
        ] = False,
        actor: Annotated[
            str, typer.Option("--as", help="Who registers it (recorded in the audit log).")
        ] = "cli",
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.shadow import register_model

        result = register_model(
            settings_for(home),
            name=name,
            version=version,
            mode=mode,
            actor=actor,
            description=description,
            project=project,
            threshold=threshold,
            show_score=show_score,
        )
        if as_json:
            print_json(result)
        else:
            console.print(f"Registered {result['name']} {result['version']} in {result['mode']} mode.")

    @model_app.command(
        "list", help="List registered models and their modes.\n\nExample:  kinsight model list --json"
    )
    @handle_errors
    def list_command(home: HomeOption = None, as_json: JsonOption = False) -> None:
        from kinsight.services.shadow import list_models

        result = list_models(settings_for(home))
        if as_json:
            print_json(result)
            return
        table = Table(title="Registered models")
        for column in ("name", "version", "mode", "threshold", "project"):
            table.add_column(column)
        for m in result:
            table.add_row(m["name"], m["version"], m["mode"], f"{m['threshold']:g}", m["project"] or "-")
        console.print(table)

    @model_app.command("shadow-run", help=SHADOW_RUN_HELP)
    @handle_errors
    def shadow_run_command(
        name: Annotated[str, typer.Argument(help="Registered model name.")],
        predictions: Annotated[
            Path | None, typer.Option("--predictions", help="CSV of the model's stored predictions.")
        ] = None,
        subject: Annotated[str, typer.Option("--subject", help="Child reference column.")] = "CHILD",
        score: Annotated[str, typer.Option("--score", help="Score column (probability 0-1).")] = "score",
        outcome: Annotated[str | None, typer.Option("--outcome", help="Outcome column, if known.")] = None,
        group: Annotated[
            str | None, typer.Option("--group", help="Group column(s) to keep, comma-separated.")
        ] = None,
        actor: Annotated[str, typer.Option("--as", help="Who runs it (recorded in the audit log).")] = "cli",
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.shadow import shadow_run

        result = shadow_run(
            settings_for(home),
            name,
            actor=actor,
            predictions=predictions,
            subject_column=subject,
            score_column=score,
            outcome_column=outcome,
            group_column=group,
        )
        if as_json:
            print_json(result)
            return
        hidden = "" if result["outputs_shown_to_decision_makers"] else " (not shown to decision makers)"
        console.print(
            f"Run {result['run']}: {result['model']} {result['version']} scored {result['scored']} children "
            f"from the {result['source']}{hidden}."
        )

    @model_app.command("shadow-report", help=SHADOW_REPORT_HELP)
    @handle_errors
    def shadow_report_command(
        name: Annotated[str, typer.Argument(help="Registered model name.")],
        group: Annotated[
            str | None, typer.Option("--group", help="Group column(s), comma-separated: SEX,ETHNIC.")
        ] = None,
        min_group_size: Annotated[
            int, typer.Option("--min-group-size", help="Withhold groups below this n.")
        ] = 10,
        resamples: Annotated[
            int, typer.Option("--resamples", help="Bootstrap resamples (0 for none).")
        ] = 1000,
        seed: Annotated[int, typer.Option("--seed", help="Random seed for the bootstrap.")] = 0,
        html: Annotated[Path | None, typer.Option("--html", help="Write the report as HTML here.")] = None,
        pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the report as PDF here.")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.shadow import shadow_report, write_report_files

        result = shadow_report(
            settings_for(home),
            name,
            groups=group,
            min_group_size=min_group_size,
            resamples=resamples,
            seed=seed,
        )
        written = write_report_files(result, html=html, pdf=pdf)
        if written:
            result["files"] = written
        if as_json:
            print_json(result)
            return
        _print_shadow_report(result)


SHADOW_TABLE_COLUMNS = (
    "group",
    "children",
    "agreement",
    "had outcome",
    "caught",
    "missed",
    "precision",
    "recall",
)


def _shadow_group_table(title: str, blocks: dict[str, Any]) -> Table:
    table = Table(title=title)
    for column in SHADOW_TABLE_COLUMNS:
        table.add_column(column)
    for key, block in blocks.items():
        if block["suppressed"]:
            table.add_row(key, block["n_display"], "withheld", "-", "-", "-", "-", "-")
            continue
        o = block["outcomes"]
        table.add_row(
            key,
            block["n_display"],
            _pct(block["agreement"]),
            str(o["happened"]),
            str(o["model_would_have_caught"]),
            str(o["model_would_have_missed"]),
            _pct(block["model"]["precision"]),
            _pct(block["model"]["recall"]),
        )
    return table


def _print_shadow_report(result: dict[str, Any]) -> None:
    console.print(Panel(result["notice"], title="Shadow running", border_style="blue"))
    console.print(f"[bold]{result['model']} {result['version']}[/] ({result['mode']}), run {result['run']}")
    console.print(f"{result['scored']} scored, {result['compared']} with a decision and a known outcome.")
    for line in result["plain_words"]:
        console.print(line)
    columns = result.get("group_columns") or []
    if result["by_group"]:
        if len(columns) > 1:
            for column, blocks in result["by_column"].items():
                console.print(_shadow_group_table(f"By {column}", blocks))
            console.print(_shadow_group_table(f"By {' x '.join(columns)}", result["by_group"]))
        else:
            console.print(_shadow_group_table(f"By {columns[0]}", result["by_group"]))
        console.print("[dim]precision and recall: the model's, judged by the outcomes[/]")
    for kind, path in (result.get("files") or {}).items():
        console.print(f"Wrote the {kind.upper()} report: {path}")


def _register_decision(app: typer.Typer) -> None:
    decision_app = typer.Typer(help=DECISION_HELP, no_args_is_help=True)
    app.add_typer(decision_app, name="decision")

    @decision_app.command("record", help=RECORD_HELP)
    @handle_errors
    def record_command(
        child: Annotated[str, typer.Option("--child", help="The child's reference.")],
        decision: Annotated[str, typer.Option("--decision", help="What you decided (see above).")],
        reasons: Annotated[str, typer.Option("--reasons", help="Your own reasons, in your words.")],
        actor: Annotated[str, typer.Option("--as", help="The professional who decided (user name).")],
        model: Annotated[
            str | None, typer.Option("--model", help="Model whose case this is (for shadow running).")
        ] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        from kinsight.services.shadow import record_decision

        result = record_decision(
            settings_for(home),
            user=actor,
            subject=child,
            decision=decision,
            reasons=reasons,
            model=model or "",
        )
        if as_json:
            print_json(result)
        else:
            console.print(
                f"Recorded decision {result['id']}: {result['decision']} for child {result['child']}, "
                f"by {result['decided_by']}."
            )
