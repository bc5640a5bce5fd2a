"""Use cases for models in use: the model registry, shadow (beta) runs, and professionals' decisions.

A model registered in *shadow* mode scores live data in parallel with the existing way of working: its
outputs are stored in the analytical store and never reach a decision maker.  Later, the decisions people
actually made and the outcomes that followed are compared with what the model would have said.  A *live*
model's outputs are advice shown to practitioners (the score itself only when the model allows it).

Nothing here takes an action on a child: the only writing use case about a child is
:func:`record_decision`, which needs a named professional and their own reasons.  Every registration,
shadow run and decision (including a refused one) writes an audit record; details never carry child-level
values, only the child's reference in the target.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl

from kinsight.errors import ConflictError, DataFileError, KinsightError, Location, NotFoundError, UsageError
from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.characteristics import PREFIX, attach
from kinsight.evaluation.demo import demo_config, placements, scores
from kinsight.evaluation.oversight import Decision, make_decision
from kinsight.evaluation.shadow import compare_shadow_groups
from kinsight.evaluation.shadow_report import write_shadow_report
from kinsight.services import audit
from kinsight.settings import Settings
from kinsight.storage import evaluation_repo as repo
from kinsight.storage.analytical import file_order, open_store
from kinsight.storage.appdb import aware

DEMO_SOURCE = "demonstration model"
SHADOW_NOTICE = (
    "Shadow running: these figures compare what the model would have said with what professionals "
    "decided. The model's outputs were never shown to decision makers."
)
LIVE_NOTICE = (
    "This model is live: its outputs were shown to practitioners as advice. These figures compare what "
    "it said with what professionals decided."
)
LEGACY_GROUP = "group"  # the name given to a run's single group column stored before columns were named


class ModelMode(StrEnum):
    """How a registered model's outputs may be used."""

    SHADOW = "shadow"  # scores in parallel; outputs stored, never shown to decision makers
    LIVE = "live"  # outputs shown to practitioners as advice


def _mode(value: str) -> ModelMode:
    try:
        return ModelMode(value)
    except ValueError as error:
        raise UsageError(
            f"'{value}' is not a model mode", hint="Use --mode shadow (outputs hidden) or --mode live."
        ) from error


def _model_dict(row: Any) -> dict[str, Any]:
    extra = row.evaluation or {}
    return {
        "name": row.name,
        "version": row.version,
        "mode": row.mode,
        "description": row.purpose,
        "project": extra.get("project"),
        "threshold": row.threshold,
        "show_score": row.show_score,
        "registered_by": row.registered_by,
        "registered_at": aware(row.registered_at),
    }


def register_model(
    settings: Settings,
    *,
    name: str,
    version: str,
    mode: str,
    actor: str,
    description: str = "",
    project: str | None = None,
    threshold: float = 0.5,
    show_score: bool = False,
) -> dict[str, Any]:
    """Add a model version to the registry; a shadow model's outputs are never shown to decision makers."""
    chosen = _mode(mode)
    if not name.strip() or not version.strip():
        raise UsageError("a model needs a name and a version", hint="e.g. --version 1.0")
    if not 0.0 <= threshold <= 1.0:
        raise UsageError("the threshold must be between 0 and 1")
    with repo.session(settings.app_database_url) as s:
        if repo.find_model(s, name, version) is not None:
            raise ConflictError(
                f"model {name} version {version} is already registered",
                hint="Register a new version (--version) to change its mode or threshold.",
            )
        row = repo.add_model(
            s,
            name=name.strip(),
            version=version.strip(),
            mode=chosen.value,
            purpose=description,
            threshold=threshold,
            show_score=show_score,
            evaluation={"project": project} if project else None,
            registered_by=actor,
        )
        out = _model_dict(row)
    audit.record(
        settings,
        actor=actor,
        action="model.register",
        target=f"model:{name}:{version}",
        details={"mode": chosen.value, "threshold": threshold, "project": project},
    )
    return out


def list_models(settings: Settings) -> list[dict[str, Any]]:
    with repo.session(settings.app_database_url) as s:
        return [_model_dict(m) for m in repo.models(s)]


# --- shadow runs --------------------------------------------------------------------------------------


def _demo_placements(settings: Settings) -> tuple[pl.DataFrame, str]:
    """Every placement in the store with its outcome so far, and the date the data runs to."""
    with open_store(settings.store_path, read_only=True) as con:
        present = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if not {"ssda903_episodes", "ssda903_header"} <= present:
            raise NotFoundError(
                "the store has no SSDA903 episodes to score",
                hint="Load data first: kinsight synth demo-data, then kinsight ingest demo-data.",
            )
        episodes = con.sql("select * from ssda903_episodes" + file_order(con, "ssda903_episodes")).pl()
        header = con.sql("select * from ssda903_header" + file_order(con, "ssda903_header")).pl()
    frame = placements(episodes, header, demo_config())
    latest = max(d for d in (episodes["DECOM"].max(), episodes["DEC"].max()) if d is not None)
    return frame, str(latest)


def _encode_groups(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """Each child's group values as one JSON object (column -> value) for the store's ``grp`` column.

    One column holds any number of group columns, so a report can later pick single columns or their
    intersections without the store's layout changing.
    """
    if not columns:
        return pl.Series("grp", [None] * frame.height, dtype=pl.String)
    encoded = frame.select(
        pl.struct([pl.col(c).cast(pl.String).alias(c) for c in columns]).struct.json_encode().alias("grp")
    )
    return encoded["grp"]


def _score_with_demo(settings: Settings) -> tuple[pl.DataFrame, str, list[str]]:
    """The demonstration model's score for each child's current (latest) placement, with its groups."""
    model_file = settings.home / "models" / "demo" / "model.pkl"
    if not model_file.exists():
        raise NotFoundError("the demonstration model has not been trained", hint="Run: kinsight model demo")
    with model_file.open("rb") as handle:
        model = pickle.load(handle)  # noqa: S301 - written by kinsight model demo in the user's own home
    frame, as_at = _demo_placements(settings)
    current = frame.sort(["CHILD", "start"]).group_by("CHILD", maintain_order=True).last().sort("CHILD")
    current, found = attach(current, dataset="ssda903", on=date.today())
    preferred = [g for g in demo_config().groups if PREFIX + g in current.columns]
    others = sorted(
        c.value for c in found if c.value not in preferred and PREFIX + c.value in current.columns
    )
    names = preferred + others
    named = current.select([pl.col(PREFIX + g).alias(g) for g in names])
    out = pl.DataFrame(
        {
            "subject": current["CHILD"].cast(pl.String),
            "placement_start": current["start"],
            "score": scores(model, current),
            "outcome": current["outcome"].cast(pl.Int32),
            "grp": _encode_groups(named, names),
        }
    )
    return out, as_at, names


def _score_from_file(
    path: Path, *, subject: str, score: str, outcome: str | None, groups: Sequence[str]
) -> pl.DataFrame:
    """A registered model's own stored predictions (a CSV, one row per child)."""
    if not path.exists():
        raise NotFoundError(f"no predictions file {path}", hint="Give the path of a CSV file.")
    try:
        frame = pl.read_csv(path, infer_schema_length=0)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise DataFileError(f"cannot read it as CSV: {error}", location=Location(str(path))) from error
    for column in (subject, score, outcome, *groups):
        if column is not None and column not in frame.columns:
            raise UsageError(
                f"{path.name} has no column '{column}'", hint=f"Columns: {', '.join(frame.columns)}"
            )
    values = frame[score].cast(pl.Float64, strict=False)
    bad = values.is_null() | (values < 0) | (values > 1)
    if bad.any():
        row = int(bad.arg_true()[0]) + 1
        raise DataFileError(
            "the score is not a probability between 0 and 1",
            location=Location(path.name, row=row, field=score),
        )
    return pl.DataFrame(
        {
            "subject": frame[subject].cast(pl.String).str.strip_chars(),
            "placement_start": pl.Series([None] * frame.height, dtype=pl.Date),
            "score": values,
            "outcome": frame[outcome].cast(pl.Int32, strict=False) if outcome else None,
            "grp": _encode_groups(frame, groups),
        }
    )


def parse_group_columns(value: str | Sequence[str] | None) -> list[str]:
    """``"SEX,ETHNIC"`` (the CLI syntax of ``kinsight evaluate``) or a list -> column names, in order."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    names = [p.strip() for p in parts if p and p.strip()]
    if len(set(names)) != len(names):
        raise UsageError(
            "a group column is named twice", hint="Name each column once, e.g. --group SEX,ETHNIC"
        )
    return names


def _check_known(wanted: Sequence[str], known: Sequence[str], where: str) -> None:
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UsageError(
            f"no group column {', '.join(unknown)} in {where}",
            hint=f"Group columns available: {', '.join(known) or 'none'}."
            + ("" if known else " Give --group COL[,COL] to kinsight model shadow-run."),
        )


def shadow_run(
    settings: Settings,
    name: str,
    *,
    actor: str,
    predictions: Path | None = None,
    subject_column: str = "CHILD",
    score_column: str = "score",
    outcome_column: str | None = None,
    group_column: str | Sequence[str] | None = None,
) -> dict[str, Any]:
    """Score the current data with a registered model and store the outputs without showing them.

    Without ``predictions`` the demonstration model scores each child's current placement in the store
    (its groups are every protected characteristic found: sex, ethnicity, age band ...); with it, the
    model's own stored predictions (a CSV) are taken as its outputs, with the group columns named in
    ``group_column`` (one name, a comma-separated list or a sequence) kept for the report.  The answer
    carries only counts: the scores themselves stay in the analytical store.
    """
    wanted = parse_group_columns(group_column)
    with repo.session(settings.app_database_url) as s:
        model = repo.find_model(s, name)
        if model is None:
            raise NotFoundError(f"no model {name} is registered", hint="Register it: kinsight model register")
        model_id, version, mode = model.id, model.version, model.mode
    if predictions is None:
        outputs, as_at, group_columns = _score_with_demo(settings)
        _check_known(wanted, group_columns, "the demonstration model's groups")
        source = DEMO_SOURCE
    else:
        outputs = _score_from_file(
            predictions,
            subject=subject_column,
            score=score_column,
            outcome=outcome_column,
            groups=wanted,
        )
        as_at, source, group_columns = predictions.name, "stored predictions", wanted
    with repo.session(settings.app_database_url) as s:
        run = repo.add_shadow_run(
            s,
            model_id=model_id,
            scored=outputs.height,
            data_as_at=as_at,
            comparison={"source": source, "group_columns": group_columns},
        )
        run_id, run_at = run.id, aware(run.run_at)
    stamped = outputs.with_columns(
        pl.lit(run_id, dtype=pl.Int32).alias("run_id"),
        pl.lit(name).alias("model"),
        pl.lit(version).alias("version"),
        pl.lit(datetime.now(UTC).replace(tzinfo=None)).alias("scored_at"),
        pl.col("grp").cast(pl.String),
        pl.col("outcome").cast(pl.Int32),
    )
    with open_store(settings.store_path) as con:
        repo.write_shadow_outputs(con, stamped)
    audit.record(
        settings,
        actor=actor,
        action="model.shadow_run",
        target=f"model:{name}:{version}",
        details={"run": run_id, "scored": outputs.height, "source": source, "mode": mode},
    )
    return {
        "model": name,
        "version": version,
        "mode": mode,
        "run": run_id,
        "run_at": run_at,
        "scored": outputs.height,
        "data_as_at": as_at,
        "source": source,
        "group_columns": group_columns,
        "outputs_shown_to_decision_makers": mode == ModelMode.LIVE,
    }


def _refreshed_outcomes(settings: Settings, outputs: pl.DataFrame) -> pl.DataFrame:
    """Outcomes as the store knows them now: a placement open at scoring time may have ended since."""
    try:
        frame, _ = _demo_placements(settings)
    except NotFoundError:
        return outputs
    now = frame.select(
        pl.col("CHILD").cast(pl.String).alias("subject"),
        pl.col("start").alias("placement_start"),
        pl.col("outcome").cast(pl.Int32).alias("outcome_now"),
    )
    joined = outputs.join(now, on=["subject", "placement_start"], how="left")
    return joined.with_columns(pl.coalesce("outcome_now", "outcome").alias("outcome")).drop("outcome_now")


def _decoded_groups(
    outputs: pl.DataFrame, stored: Sequence[str] | None, wanted: Sequence[str]
) -> dict[str, list[str | None]]:
    """The wanted group columns' values, one per output row, from the stored ``grp`` column.

    Runs made before group columns were named (``stored`` is ``None``) kept one plain value per child;
    that column is offered as ``group``.
    """
    if not wanted:
        return {}
    if stored is None:
        return {LEGACY_GROUP: outputs["grp"].cast(pl.String).to_list()}
    decoded = outputs["grp"].cast(pl.String).str.json_decode(pl.Struct({c: pl.String for c in stored}))
    return {c: decoded.struct.field(c).to_list() for c in wanted}


def shadow_report(
    settings: Settings,
    name: str,
    *,
    groups: str | Sequence[str] | None = None,
    min_group_size: int = 10,
    resamples: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """What the model would have said against the decisions made and the outcomes, overall and per group.

    Uses the model's latest run; children count when a professional recorded a decision about them for
    this model and their outcome is known.  ``groups`` names group columns kept by the run (``"SEX,ETHNIC"``
    or a list; by default the run's first): each is reported on its own and, with several, so is each
    intersection.  Groups under ``min_group_size`` are withheld as ``kinsight evaluate`` withholds them;
    intervals are percentile bootstrap intervals from ``resamples`` resamples (0 for none).
    """
    if min_group_size < 1:
        raise UsageError("the minimum group size must be at least 1")
    if resamples < 0:
        raise UsageError("the number of bootstrap resamples cannot be negative")
    asked = parse_group_columns(groups)
    with repo.session(settings.app_database_url) as s:
        model = repo.find_model(s, name)
        if model is None:
            raise NotFoundError(f"no model {name} is registered", hint="Register it: kinsight model register")
        ids = [m.id for m in repo.models(s) if m.name == name]
        run = repo.latest_run(s, ids)
        if run is None:
            raise NotFoundError(
                f"model {name} has no shadow run yet", hint=f"Run: kinsight model shadow-run {name}"
            )
        run_id, threshold, stored_comparison = run.id, model.threshold, dict(run.comparison or {})
        decisions = {k: Decision(d.decision).acts for k, d in repo.latest_decisions(s, ids).items()}
    source = stored_comparison.get("source")
    stored_columns: list[str] | None = stored_comparison.get("group_columns")
    with open_store(settings.store_path, read_only=True) as con:
        outputs = repo.run_outputs(con, run_id)
    if stored_columns is None and outputs.height and outputs["grp"].is_not_null().any():
        available = [LEGACY_GROUP]
    else:
        available = list(stored_columns or [])
    _check_known(asked, available, f"run {run_id} of {name}")
    chosen = asked or available[:1]
    if source == DEMO_SOURCE:
        outputs = _refreshed_outcomes(settings, outputs)
    decided = pl.DataFrame(
        {"subject": list(decisions), "acted": [int(v) for v in decisions.values()]},
        schema={"subject": pl.String, "acted": pl.Int32},
    )
    both = (
        outputs.join(decided, on="subject", how="inner")
        .filter(pl.col("outcome").is_not_null())
        .sort("subject")
    )
    score = both["score"].to_numpy().astype(float)
    acted = both["acted"].to_numpy().astype(int)
    outcome = both["outcome"].to_numpy().astype(int)
    shown = model.mode == ModelMode.LIVE
    result: dict[str, Any] = {
        "model": name,
        "version": model.version,
        "mode": model.mode,
        "run": run_id,
        "source": source,
        "threshold": threshold,
        "scored": outputs.height,
        "with_decision": int(outputs["subject"].is_in(list(decisions)).sum()) if outputs.height else 0,
        "compared": both.height,
        "outputs_shown_to_decision_makers": shown,
        "notice": LIVE_NOTICE if shown else SHADOW_NOTICE,
        "available_group_columns": available,
        "group_columns": chosen,
    }
    if both.height == 0:
        result["overall"] = None
        result["by_group"] = {}
        result["by_column"] = {}
        result["plain_words"] = [
            "No child yet has both a recorded decision and a known outcome: nothing to compare."
        ]
    else:
        comparison = compare_shadow_groups(
            score,
            acted,
            outcome,
            _decoded_groups(both, stored_columns, chosen),
            threshold=threshold,
            min_group_size=min_group_size,
            bootstrap=BootstrapSettings(resamples=resamples, seed=seed),
        )
        result["conventions"] = comparison["conventions"]
        result["overall"] = comparison["overall"]
        result["by_group"] = comparison.get("by_group", {})
        result["by_column"] = comparison.get("by_column", {})
        if "gaps" in comparison:
            result["gaps"] = comparison["gaps"]
        result["plain_words"] = shadow_words(result["overall"])
    with repo.session(settings.app_database_url) as s:
        repo.set_comparison(
            s,
            run_id,
            {**stored_comparison, "compared": both.height, "overall": result["overall"]},
        )
    return result


def write_report_files(
    result: dict[str, Any], *, html: Path | None = None, pdf: Path | None = None
) -> dict[str, str]:
    """Write a shadow report (from :func:`shadow_report`) as HTML and/or PDF for the oversight group."""
    if html is None and pdf is None:
        return {}
    title = f"Shadow running: {result['model']} {result['version']}"
    try:
        return write_shadow_report(result, title=title, html_path=html, pdf_path=pdf)
    except OSError as error:
        raise UsageError(
            f"cannot write the report: {error}", hint="Choose a file in a folder you can write to."
        ) from error


def _count(n: int, one: str, many: str) -> str:
    return f"{'no' if n == 0 else n} {one if n == 1 else many}"


def _share(value: float | None, interval: list[float | None] | None) -> str:
    if value is None:
        return "cannot be measured"
    text = f"{value:.0%}"
    if interval and interval[0] is not None and interval[1] is not None:
        text += f" (95% interval {interval[0]:.0%} to {interval[1]:.0%})"
    return text


def _judged_words(who: str, block: dict[str, Any], *, chosen: str) -> str:
    ci = block.get("ci") or {}
    return (
        f"{who}: precision {_share(block['precision'], ci.get('precision'))} (of the children {chosen}, "
        f"the share who had the outcome); recall {_share(block['recall'], ci.get('recall'))} (of the "
        f"children who had the outcome, the share {chosen})."
    )


def shadow_words(overall: dict[str, Any]) -> list[str]:
    """The comparison in plain words, with singular and plural right for 0 and 1, and intervals if known."""
    o = overall["outcomes"]
    lines = [
        f"The model would have agreed with the professionals about "
        f"{_share(overall['agreement'], overall.get('agreement_ci'))} of "
        f"{_count(overall['children'], 'child', 'children')}."
    ]
    if o["happened"] == 0:
        lines.append("None of these children has had the outcome so far.")
    else:
        lines.append(
            f"Of {_count(o['happened'], 'child', 'children')} who had the outcome, the model would have "
            f"caught {o['model_would_have_caught']} and missed {o['model_would_have_missed']}; "
            f"professionals acted for {o['people_caught']}."
        )
    lines.append(
        f"The model would have caught {_count(o['model_caught_people_missed'], 'child', 'children')} "
        "that professionals did not act for, and missed "
        f"{_count(o['people_caught_model_missed'], 'child', 'children')} they did act for."
    )
    lines.append(
        _judged_words("Judged by what happened later, the model", overall["model"], chosen="it would flag")
    )
    lines.append(_judged_words("The professionals' decisions", overall["decisions"], chosen="they acted for"))
    return lines


# --- what practitioners see ---------------------------------------------------------------------------


def advice_for_child(settings: Settings, child: str) -> dict[str, Any]:
    """The model advice a practitioner may see about one child: live models only, never shadow outputs.

    The score appears only where the model was registered to show it; otherwise the practitioner is told
    that advice exists and sees the factors elsewhere.  Shadow models are not mentioned at all.
    """
    with repo.session(settings.app_database_url) as s:
        live = {m.id: m for m in repo.models(s) if m.mode == ModelMode.LIVE}
        runs = {m_id: repo.runs_of(s, [m_id]) for m_id in live}
    advice: list[dict[str, Any]] = []
    run_ids = [r for ids in runs.values() for r in ids]
    if run_ids and settings.store_path.exists():
        with open_store(settings.store_path, read_only=True) as con:
            rows = repo.outputs_for_subject(con, child, run_ids)
        seen: set[int] = set()
        for row in rows.iter_rows(named=True) if rows.height else []:
            model_id = next(k for k, ids in runs.items() if row["run_id"] in ids)
            if model_id in seen:
                continue
            seen.add(model_id)
            model = live[model_id]
            entry: dict[str, Any] = {
                "model": model.name,
                "version": model.version,
                "advisory": "Advice only: you decide, and record your own reasons.",
            }
            if model.show_score:
                entry["score"] = float(row["score"])
            advice.append(entry)
    return {"child": child, "advice": advice}


# --- human oversight ----------------------------------------------------------------------------------


def record_decision(
    settings: Settings,
    *,
    user: str,
    subject: str,
    decision: str,
    reasons: str,
    model: str = "",
) -> dict[str, Any]:
    """Record a professional's decision with their own reasons; refused (and audited) without them.

    When the decision concerns a registered model's case, what that model last said about the child is
    kept beside the decision (and whether it was shown: never, for a shadow model), so that shadow running
    can compare the two later.
    """
    model_id: int | None = None
    model_output: float | None = None
    shown = False
    try:
        if model:
            with repo.session(settings.app_database_url) as s:
                found = repo.find_model(s, model)
                if found is None:
                    raise NotFoundError(f"no model {model} is registered", hint="See: kinsight model list")
                model_id, shown_allowed = found.id, found.mode == ModelMode.LIVE and found.show_score
                run_ids = repo.runs_of(s, [m.id for m in repo.models(s) if m.name == model])
            if run_ids and settings.store_path.exists():
                with open_store(settings.store_path, read_only=True) as con:
                    rows = repo.outputs_for_subject(con, subject.strip(), run_ids)
                if rows.height:
                    model_output, shown = float(rows["score"][0]), bool(shown_allowed)
        record = make_decision(
            model=model,
            subject=subject,
            decision=decision,
            decided_by=user,
            reasons=reasons,
            model_output=model_output,
            model_output_shown=shown,
        )
    except KinsightError as error:
        audit.record(
            settings,
            actor=user or "(nobody)",
            action="decision.record",
            target=f"child:{(subject or '').strip()}",
            outcome="refused",
            details={"model": model or None, "why": error.message},
        )
        raise
    with repo.session(settings.app_database_url) as s:
        row = repo.add_decision(
            s,
            model_id=model_id,
            subject=record.subject,
            decision=record.decision.value,
            decided_by=record.decided_by,
            reasons=record.reasons,
            model_output_shown=record.model_output_shown,
            model_output=record.model_output,
            decided_at=record.decided_at,
        )
        row_id = row.id
    audit.record(
        settings,
        actor=record.decided_by,
        action="decision.record",
        target=f"child:{record.subject}",
        details={"decision_id": row_id, "decision": record.decision.value, "model": model or None},
    )
    return {
        "id": row_id,
        "child": record.subject,
        "decision": record.decision.value,
        "decided_by": record.decided_by,
        "decided_at": record.decided_at,
        "model": model or None,
        "model_output_kept": record.model_output is not None,
        "model_output_shown": record.model_output_shown,
    }


__all__ = [
    "ModelMode",
    "parse_group_columns",
    "advice_for_child",
    "list_models",
    "record_decision",
    "register_model",
    "shadow_report",
    "shadow_run",
    "shadow_words",
    "write_report_files",
]
