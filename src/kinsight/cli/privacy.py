"""``kinsight privacy ...`` and ``kinsight keys ...``: de-identification, risk and safe tables."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kinsight.cli.common import HomeOption, JsonOption, console, handle_errors, print_json, settings_for
from kinsight.errors import UsageError

privacy_app = typer.Typer(
    help="De-identify data, measure re-identification risk and publish tables safely.\n\n"
    "Example: kinsight privacy risk extract.csv --qi DOB,SEX,ETHNIC --sensitive LS --json",
    no_args_is_help=True,
)
keys_app = typer.Typer(
    help="Create and rotate the pseudonymisation key (kept outside the Kinsight home).\n\n"
    "Example: kinsight keys create --key-file ~/.kinsight/pseudonymisation.key",
    no_args_is_help=True,
)

KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="Key file. Default: $KINSIGHT_PSEUDONYMISATION_KEY (hex) or the file beside the home.",
    ),
]
ActorOption = Annotated[
    str, typer.Option("--as", help="Who is acting (user name); recorded in the audit log.")
]


def _show(payload: dict[str, Any], as_json: bool, title: str, keys: list[str]) -> None:
    if as_json:
        print_json(payload)
        return
    table = Table(title=title, show_header=False)
    for key in keys:
        if payload.get(key) is not None:
            value = payload[key]
            table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)


@keys_app.command("create")
@handle_errors
def keys_create(key_file: KeyFileOption = None, home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Write a new random 32-byte key (permissions 0600). Refuses to overwrite an existing key.

    Example: kinsight keys create --key-file /secure/kinsight.key
    """
    from kinsight.services import privacy as service

    result = service.create_key(settings_for(home), key_file)
    _show(result, as_json, "Pseudonymisation key created", ["key_file", "fingerprint"])


@keys_app.command("rotate")
@handle_errors
def keys_rotate(
    key_file: KeyFileOption = None,
    home: HomeOption = None,
    actor: ActorOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Replace the key; record old → new tokens for every child in the store so earlier extracts can be
    re-keyed (table privacy_token_crosswalk); the old key file is kept as *.retired-<time* to destroy later.

    Example: kinsight keys rotate --key-file /secure/kinsight.key --home ./kinsight-home
    """
    from kinsight.services import privacy as service

    result = service.rotate_key(settings_for(home), key_file, actor=actor)
    _show(
        result, as_json, "Key rotated", ["key_file", "retired_key_file", "new_fingerprint", "tokens_rekeyed"]
    )


@privacy_app.command("risk")
@handle_errors
def risk(
    file: Annotated[Path, typer.Argument(help="CSV extract (values compared as written).")],
    qi: Annotated[str, typer.Option("--qi", help="Quasi-identifier columns, comma separated.")],
    sensitive: Annotated[
        str | None, typer.Option("--sensitive", help="Sensitive column for l-diversity.")
    ] = None,
    k: Annotated[int, typer.Option("--k", help="Target k: records in smaller classes are counted.")] = 5,
    report: Annotated[
        bool, typer.Option("--report", help="Also write the HTML and JSON risk report.")
    ] = False,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            help="File the report as this governance project's privacy evidence (implies --report).",
        ),
    ] = None,
    actor: ActorOption = "cli",
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Measure re-identification risk: k-anonymity, records below k, l-diversity, sample uniqueness.

    With --project the report becomes the project's privacy evidence, read by its development gate.

    Example: kinsight privacy risk extract.csv --qi DOB,SEX,ETHNIC,HOME_POST --sensitive CIN --k 5 --json

    Example: kinsight privacy risk extract.csv --qi DOB,SEX --project placement-forecast --as ana
    """
    from kinsight.services import privacy as service

    result = service.risk_of_file(file, qi, sensitive=sensitive, k=k)
    if report or project:
        settings = settings_for(home)
        body, path = service.risk_report(settings, file, qi, sensitive=sensitive, k=k)
        result["report"] = body["files"]
        if project:
            from kinsight.services import evidence

            filed = evidence.store_risk_report(settings, project, body, actor=actor)
            result["evidence"] = {"project": project, "file": str(filed)} | {
                key: value
                for key, value in evidence.privacy_verdict(body).items()
                if key in ("passed", "summary")
            }
    _show(
        result,
        as_json,
        f"Re-identification risk of {file.name}",
        [
            "records",
            "classes",
            "k",
            "records_below_k",
            "share_below_k",
            "unique_records",
            "sample_uniqueness",
            "l",
        ],
    )
    if project and not as_json:
        verdict = "passes" if result["evidence"]["passed"] else "does not pass"
        console.print(f"Filed as privacy evidence for project {project}: the report {verdict}.")
        console.print(result["evidence"]["summary"], highlight=False)


@privacy_app.command("pseudonymise")
@handle_errors
def pseudonymise_cmd(
    file: Annotated[Path, typer.Argument(help="CSV file to pseudonymise.")],
    columns: Annotated[
        str, typer.Option("--columns", help="Identifier columns to replace by tokens, comma separated.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the pseudonymised CSV.")],
    key_file: KeyFileOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replace identifiers by keyed HMAC-SHA256 tokens; other columns and row order are unchanged.

    Example: kinsight privacy pseudonymise header.csv --columns CHILD,UPN --key-file k.key --out header_p.csv
    """
    from kinsight.services import privacy as service

    result = service.pseudonymise_file(settings_for(home), file, columns, out, key_file=key_file)
    _show(result, as_json, "Pseudonymised", ["out", "rows", "columns", "key"])


@privacy_app.command("suppress")
@handle_errors
def suppress(
    table: Annotated[Path, typer.Argument(help="CSV table: label column(s) first, then counts.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the table with symbols.")],
    threshold: Annotated[
        int | None, typer.Option("--threshold", help="Suppress counts from 1 to N (DfE: 5).")
    ] = None,
    labels: Annotated[
        int | None, typer.Option("--labels", help="Number of label columns (default: detected).")
    ] = None,
    round_to: Annotated[
        int | None, typer.Option("--round-to", help="Round counts to this base (e.g. 10).")
    ] = None,
    suppress_zeros: Annotated[
        bool, typer.Option("--suppress-zeros", help="Treat zeros as small counts.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Suppress small counts (c) and enough other cells that none can be worked out from totals.

    A row labelled Total and a column named Total are treated as published totals; without them the
    table is still protected against its totals being known.

    Example: kinsight privacy suppress cla_by_age.csv --threshold 5 --out cla_by_age_safe.csv
    """
    from kinsight.services import privacy as service

    result = service.suppress_file(
        table, out, threshold=threshold, labels=labels, round_to=round_to, suppress_zeros=suppress_zeros
    )
    _show(result, as_json, "Suppressed", ["out", "threshold", "primary", "secondary"])


@privacy_app.command("enforce")
@handle_errors
def enforce(
    file: Annotated[Path, typer.Argument(help="CSV extract.")],
    qi: Annotated[str, typer.Option("--qi", help="Quasi-identifier columns, comma separated.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the k-anonymous extract.")],
    k: Annotated[int, typer.Option("--k", help="Every class must have at least k records.")] = 5,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Date for age bands (YYYY-MM-DD).")
    ] = None,
    max_suppression: Annotated[
        float, typer.Option("--max-suppression", help="Largest share of records to drop.")
    ] = 0.05,
    as_json: JsonOption = False,
) -> None:
    """Make an extract k-anonymous: generalise (dates → month → year → age band; postcodes → sector →
    district) along the least lossy path, then drop the records still below k; report every change.

    Example: kinsight privacy enforce extract.csv --qi DOB,SEX,HOME_POST --k 5 --out safe.csv --json
    """
    from kinsight.services import privacy as service

    try:
        ref = date.fromisoformat(reference) if reference else None
    except ValueError as error:
        raise UsageError(f"'{reference}' is not a date", hint="Write it as 2025-03-31.") from error
    result = service.enforce_file(file, qi, out, k=k, reference=ref, max_suppression=max_suppression)
    _show(
        result,
        as_json,
        "k-anonymity enforced",
        ["out", "steps", "records_in", "records_suppressed", "share_suppressed", "generalisation_loss"],
    )


@privacy_app.command("profiles")
@handle_errors
def profiles(as_json: JsonOption = False) -> None:
    """List the purpose profiles and the treatment each gives every field.

    Example: kinsight privacy profiles --json
    """
    from kinsight.services import privacy as service

    items = service.list_profiles()
    if as_json:
        print_json(items)
        return
    table = Table(title="Purpose profiles")
    for col in ("name", "release", "fields", "purpose"):
        table.add_column(col)
    for p in items:
        table.add_row(p["name"], p["release"], str(len(p["fields"])), p["purpose"].strip())
    console.print(table)


@privacy_app.command("export")
@handle_errors
def export_cmd(
    profile: Annotated[
        str, typer.Option("--profile", help="Purpose profile (see 'kinsight privacy profiles').")
    ],
    dataset: Annotated[str, typer.Option("--dataset", help="ssda903 or cin_census.")],
    table: Annotated[str, typer.Option("--table", help="Table name, e.g. episodes.")],
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    actor: ActorOption,
    year: Annotated[
        str | None, typer.Option("--year", help="Collection year, e.g. 2024-25 (default: all).")
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export a store table through a purpose profile: only the fields it allows, treated as it says.

    Every export is recorded in the audit log.

    Example: kinsight privacy export --profile regional-demand-model --dataset ssda903 --table episodes
    --year 2024-25 --out episodes.csv --as analyst1
    """
    from kinsight.services import privacy as service

    result = service.export(
        settings_for(home), profile=profile, dataset=dataset, table=table, out=out, actor=actor, year=year
    )
    _show(result, as_json, "Exported", ["out", "rows", "treatments", "dropped"])


@privacy_app.command("effect")
@handle_errors
def effect_cmd(
    profile: Annotated[str, typer.Option("--profile", help="Purpose profile to test.")],
    year: Annotated[str | None, typer.Option("--year", help="Collection year (default: all held).")] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Re-run an indicator (children looked after at 31 March by age band) on data de-identified by the
    profile and report absolute and relative differences.

    Example: kinsight privacy effect --profile regional-demand-model --json
    """
    from kinsight.services import privacy as service

    result = service.effect(settings_for(home), profile=profile, year=year)
    if as_json or not result.get("computable"):
        print_json(result) if as_json else console.print(result.get("reason", ""))
        return
    table = Table(title=f"Effect of profile {profile}")
    for col in ("figure", "original", "de-identified", "difference", "relative"):
        table.add_column(col)
    for v in result["values"]:
        rel = "-" if v["relative"] is None else f"{100 * v['relative']:.1f}%"
        table.add_row(v["name"], str(v["original"]), str(v["deidentified"]), str(v["absolute"]), rel)
    console.print(table)


@privacy_app.command("reidentify")
@handle_errors
def reidentify(
    token: Annotated[str, typer.Argument(help="The token to look up.")],
    actor: ActorOption,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find the child identifier behind a token. Information governance only; every attempt is audited.

    Example: kinsight privacy reidentify 3f9a... --as ig.lead
    """
    from kinsight.services import privacy as service

    result = service.reidentify(settings_for(home), token, actor=actor)
    _show(result, as_json, "Re-identified", ["token", "identifier", "key"])


def register(app: typer.Typer) -> None:
    """Add the ``privacy`` and ``keys`` groups to the root app."""
    app.add_typer(privacy_app, name="privacy")
    app.add_typer(keys_app, name="keys")
