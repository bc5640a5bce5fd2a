"""Monitoring use cases: deployments, monitoring runs, alerts, reviews and retirement.

Every use case that changes something takes the ``settings`` and an ``Actor`` (user name and role),
checks the permission (the CLI acts as the trusted local operator, as in governance), does one
transaction in the app database and writes one audit record.  Other parts of Kinsight are read through
their services where they exist; a part that is missing or has nothing yet gives "no evidence
available" for its section, never an invented figure.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import (
    ConflictError,
    DataFileError,
    GateNotMetError,
    KinsightError,
    Location,
    NotFoundError,
    PermissionDeniedError,
    UsageError,
)
from kinsight.governance.vocabulary import Actor
from kinsight.monitoring import assess as assessment
from kinsight.monitoring.charts import line_chart, to_svg
from kinsight.monitoring.checklist import ReviewDecision, checklist, validate_answers
from kinsight.monitoring.drift import DriftReport, compare_frames
from kinsight.monitoring.fingerprint import frame_fingerprint
from kinsight.monitoring.lifecycle import (
    DeploymentStatus,
    LifecycleAction,
    is_monitored,
    next_status,
    produces_outputs,
)
from kinsight.monitoring.schedule import ReviewSchedule, next_review
from kinsight.monitoring.thresholds import MonitoringThresholds, default_thresholds, merged_thresholds
from kinsight.settings import Settings
from kinsight.storage import monitoring_repo as repo
from kinsight.storage.appdb import aware
from kinsight.storage.models_monitoring import MonDeployment, MonRun, MonVersion

log = logging.getLogger(__name__)

#: The role of someone running ``kinsight`` on the machine itself (trusted, like governance's CLI).
LOCAL_OPERATOR = "local_operator"


class DeploymentKind:
    MODEL = "model"
    INDICATOR_SET = "indicator_set"
    ALL = ("model", "indicator_set")


class Retention:
    RETAIN = "retain"
    DELETE = "delete"
    ALL = ("retain", "delete")


def today() -> dt.date:
    """A module function so tests can move the calendar."""
    return dt.date.today()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- permissions, audit, files -------------------------------------------------------------------------


def _authorise(settings: Settings, actor: Actor, permission: str) -> None:
    if actor.role == LOCAL_OPERATOR:
        return
    from kinsight.domain.roles import Permission, Role
    from kinsight.services import access

    try:
        allowed = access.role_allows(Role(actor.role), Permission(permission), settings.la_code)
    except ValueError:
        allowed = False
    if not allowed:
        raise PermissionDeniedError(
            f"Your role ({actor.role.replace('_', ' ')}) does not allow this: {permission}.",
            hint="Ask someone whose role allows it (see the Roles and permissions page).",
        )


def _audit(
    settings: Settings, actor: Actor, action: str, name: str, details: dict[str, Any] | None = None
) -> None:
    from kinsight.services import audit

    audit.record(
        settings,
        actor=actor.user,
        action=action,
        target=f"deployment/{name}",
        details={"role": actor.role, **(details or {})},
    )


def read_table(path: Path) -> pl.DataFrame:
    """A CSV or Parquet file as a frame; a file that cannot be read is a ``DataFileError``."""
    if not path.exists():
        raise DataFileError("file not found", location=Location(str(path)), hint="Check the path.")
    try:
        if path.suffix.lower() == ".parquet":
            return pl.read_parquet(path)
        return pl.read_csv(path, infer_schema_length=10000, null_values=[""], try_parse_dates=False)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        raise DataFileError(
            f"cannot be read as {'Parquet' if path.suffix.lower() == '.parquet' else 'CSV'}: "
            + str(error).splitlines()[0],
            location=Location(str(path)),
            hint="Give a CSV file with a header row (or a Parquet file).",
        ) from error


def _read_yaml(path: Path) -> Any:
    if not path.exists():
        raise NotFoundError(f"No file {path}.", hint="Check the path.")
    try:
        return read_yaml(path)
    except yaml.YAMLError as error:
        raise UsageError(f"{path.name} is not valid YAML: {error}", hint="Fix the file.") from error


def load_thresholds(path: Path | None) -> MonitoringThresholds:
    """The default thresholds, with any values given in ``path`` (YAML) replacing them."""
    if path is None:
        return default_thresholds()
    try:
        return merged_thresholds(_read_yaml(path))
    except ValueError as error:
        raise UsageError(
            f"The thresholds file {path.name} is not valid: {error}",
            hint="Use the sections and names of kinsight/monitoring/thresholds.yaml.",
        ) from error


def _home_config(settings: Settings) -> dict[str, Any]:
    """``<home>/monitoring.yaml``: ``schedule_minutes`` and ``retention`` until they become settings."""
    path = settings.home / "monitoring.yaml"
    if not path.exists():
        return {}
    data = _read_yaml(path) or {}
    return data if isinstance(data, dict) else {}


def schedule_minutes(settings: Settings) -> int | None:
    value = getattr(settings, "monitoring_schedule_minutes", None) or _home_config(settings).get(
        "schedule_minutes"
    )
    return int(value) if value else None


def retention_setting(settings: Settings) -> str:
    value = getattr(settings, "monitoring_retention", None) or _home_config(settings).get("retention")
    return str(value or Retention.RETAIN)


def _deployment_dir(settings: Settings, name: str) -> Path:
    return settings.home / "monitoring" / name


def _check_name(name: str) -> None:
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise UsageError(
            f"'{name}' is not a usable deployment name.",
            hint="Use letters, digits, '-' and '_' only, e.g. placement-forecast.",
        )


# --- drift between two files (no database) -------------------------------------------------------------


def drift_files(
    reference: Path,
    current: Path,
    *,
    fields: list[str] | None = None,
    categorical: list[str] | None = None,
    thresholds_file: Path | None = None,
    with_bins: bool = False,
) -> dict[str, Any]:
    """Per-field PSI, test and verdict for two files, with the thresholds used."""
    thresholds = load_thresholds(thresholds_file)
    report = compare_frames(
        read_table(reference),
        read_table(current),
        thresholds.drift,
        fields=fields,
        categorical=categorical or (),
    )
    return {"reference": str(reference), "current": str(current), **report.as_dict(with_bins=with_bins)}


# --- deployments ---------------------------------------------------------------------------------------


def _deployment_view(s: Any, d: MonDeployment, on: dt.date) -> dict[str, Any]:
    due = next_review(
        _schedule_of(d),
        went_live=d.went_live_on,
        last_review=max((r.held_on for r in repo.reviews(s, d)), default=None),
        today=on,
    )
    last = repo.last_run(s, d)
    return {
        "name": d.name,
        "kind": d.kind,
        "project": d.project,
        "owner": d.owner,
        "status": d.status,
        "live_version": d.live_version,
        "went_live_on": d.went_live_on,
        "versions": [v.version for v in repo.versions(s, d)],
        "next_review_due": due.due_on,
        "review_overdue": due.overdue,
        "days_overdue": due.days_overdue,
        "open_alerts": len(repo.alerts(s, deployment=d, open_only=True)),
        "last_run": None
        if last is None
        else {
            "id": last.id,
            "period": last.period,
            "run_at": aware(last.run_at),
            "breached": last.breached,
        },
        "producing_outputs": produces_outputs(d.status),
    }


def _schedule_of(d: MonDeployment) -> ReviewSchedule:
    return ReviewSchedule(d.early_interval_months, d.early_period_months, d.interval_months)


def deploy(
    settings: Settings,
    actor: Actor,
    name: str,
    *,
    version: str,
    reference: Path,
    owner: str | None = None,
    project: str = "",
    kind: str = DeploymentKind.MODEL,
    thresholds_file: Path | None = None,
    accuracy_thresholds_file: Path | None = None,
    categorical: list[str] | None = None,
    current: Path | None = None,
    outcomes: dict[str, Any] | None = None,
    interval_months: int | None = None,
    early_interval_months: int | None = None,
    early_period_months: int | None = None,
) -> dict[str, Any]:
    """Register a tool (first version) or a new version of it (after retraining); it starts in shadow.

    The reference (training) data is copied into the home and fingerprinted, and the thresholds it is
    approved against are stored with the version.
    """
    _authorise(settings, actor, "monitoring.manage")
    _check_name(name)
    if kind not in DeploymentKind.ALL:
        raise UsageError(f"Unknown kind '{kind}'.", hint="Use model or indicator_set.")
    frame = read_table(reference)
    if frame.width == 0 or frame.height == 0:
        raise DataFileError(
            "holds no data", location=Location(str(reference)), hint="Give the training data."
        )
    unknown = sorted(set(categorical or ()) - set(frame.columns))
    if unknown:
        raise UsageError(f"Not columns of the reference data: {', '.join(unknown)}.")
    thresholds = load_thresholds(thresholds_file)
    accuracy = _read_accuracy_thresholds(accuracy_thresholds_file)
    fingerprint = frame_fingerprint(frame)
    with repo.session(settings.app_database_url) as s:
        d = repo.find_deployment(s, name)
        new = d is None
        if d is None:
            schedule = ReviewSchedule(
                early_interval_months or 1,
                6 if early_period_months is None else early_period_months,
                interval_months or 3,
            )
            d = repo.add_deployment(
                s,
                name=name,
                kind=kind,
                project=project,
                owner=owner or actor.user,
                status=DeploymentStatus.SHADOW.value,
                early_interval_months=schedule.early_interval_months,
                early_period_months=schedule.early_period_months,
                interval_months=schedule.interval_months,
                current_path=str(current or ""),
                outcomes=outcomes,
                created_by=actor.user,
            )
        else:
            if not produces_outputs(d.status):
                raise ConflictError(
                    f"Deployment '{name}' is {d.status}: it takes no new versions.",
                    hint="Reinstate it first if it should return to use.",
                )
            if current is not None:
                d.current_path = str(current)
            if outcomes is not None:
                d.outcomes = outcomes
            if owner:
                d.owner = owner
        if repo.find_version(s, d, version) is not None:
            raise ConflictError(
                f"Deployment '{name}' already has a version {version}.",
                hint="Name the new version differently.",
            )
        target = _deployment_dir(settings, name) / version / f"reference{reference.suffix.lower() or '.csv'}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reference, target)
        repo.add_version(
            s,
            d,
            version=version,
            reference_path=str(target),
            fingerprint=fingerprint,
            reference_rows=frame.height,
            fields=list(frame.columns),
            categorical=list(categorical or ()),
            thresholds=thresholds.model_dump(),
            accuracy_thresholds=accuracy,
            registered_by=actor.user,
        )
        view = _deployment_view(s, d, today())
    _audit(
        settings,
        actor,
        "monitoring.deploy",
        name,
        {"version": version, "new": new, "fingerprint": fingerprint},
    )
    return {
        **view,
        "version": version,
        "fingerprint": fingerprint,
        "reference_rows": frame.height,
        "new": new,
    }


def _read_accuracy_thresholds(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from kinsight.services import evaluation

    return evaluation.load_thresholds(path).model_dump(mode="json")


def record_evaluation(
    settings: Settings,
    actor: Actor,
    name: str,
    *,
    version: str,
    predictions: Path,
    outcome: str,
    score: str | None = None,
    label: str | None = None,
    groups: list[str] | None = None,
    threshold: float = 0.5,
    min_group_size: int = 10,
) -> dict[str, Any]:
    """Evaluate a version's held-out predictions against the thresholds it was approved against.

    The record (passed or not) is what ``go_live`` checks: a version without a passing evaluation
    never goes live.
    """
    _authorise(settings, actor, "monitoring.manage")
    from kinsight.services import evaluation

    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        v = repo.get_version(s, d, version)
        approved = v.accuracy_thresholds
    if not approved:
        raise GateNotMetError(
            f"Version {version} of '{name}' has no approved accuracy thresholds to evaluate against.",
            hint="Register the version with --accuracy-thresholds FILE (the thresholds set at design).",
        )
    result = evaluation.evaluate_frame(
        read_table(predictions),
        outcome=outcome,
        score=score,
        label=label,
        threshold=threshold,
        groups=groups,
        min_group_size=min_group_size,
        resamples=0,
        thresholds=evaluation.Thresholds.model_validate(approved),
    )
    verdict = result["verdict"]
    kept = {"overall": result["overall"], "by_group": result.get("by_group"), "verdict": verdict}
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        v = repo.get_version(s, d, version)
        v.evaluation = json.loads(json.dumps(kept, default=str))
        v.evaluation_passed = bool(verdict["passed"])
        v.evaluated_at = now()
    _audit(settings, actor, "monitoring.evaluation", name, {"version": version, "passed": verdict["passed"]})
    return {"name": name, "version": version, "passed": verdict["passed"], "verdict": verdict}


def go_live(settings: Settings, actor: Actor, name: str, *, version: str) -> dict[str, Any]:
    """Make a version the live one; refused unless it has a passing evaluation record."""
    _authorise(settings, actor, "monitoring.manage")
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        v = repo.get_version(s, d, version)
        if v.evaluation_passed is not True:
            why = (
                "it has not been evaluated"
                if v.evaluation_passed is None
                else "its evaluation did not meet the approved thresholds"
            )
            raise GateNotMetError(
                f"Version {version} of '{name}' cannot go live: {why}.",
                hint=f"Run 'kinsight monitor evaluate {name} --version {version} ...'"
                " with held-out predictions;"
                " every approved threshold must be met.",
                details={"unmet": [{"id": "passing_evaluation", "detail": why}]},
            )
        before = d.status
        d.status = next_status(d.status, LifecycleAction.GO_LIVE).value
        previous = d.live_version
        d.live_version = version
        if d.went_live_on is None:
            d.went_live_on = today()
        repo.add_step(
            s,
            d,
            action=LifecycleAction.GO_LIVE.value,
            from_status=before,
            to_status=d.status,
            reason=f"version {version} live" + (f" (replaces {previous})" if previous else ""),
            actor=actor.user,
            actor_role=actor.role,
            details={"version": version, "previous": previous},
        )
        view = _deployment_view(s, d, today())
    _audit(settings, actor, "monitoring.go_live", name, {"version": version, "previous": previous})
    return view


def ensure_producing(settings: Settings, name: str) -> None:
    """The guard every producer of a tool's outputs calls first: deprecated and retired tools refuse."""
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        status = d.status
    if not produces_outputs(status):
        raise ConflictError(
            f"'{name}' is {status}: it no longer produces new outputs.",
            hint="Its past outputs and records stay readable;"
            " a senior leader or administrator can reinstate it.",
        )


def record_output(settings: Settings, actor: Actor, name: str, *, file: Path) -> dict[str, Any]:
    """File one output of the tool (e.g. a scores export) with its records; refused once deprecated."""
    _authorise(settings, actor, "monitoring.manage")
    ensure_producing(settings, name)
    if not file.exists():
        raise DataFileError("file not found", location=Location(str(file)))
    stamp = now().strftime("%Y%m%dT%H%M%S")
    target = _deployment_dir(settings, name) / "outputs" / f"{stamp}-{file.name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, target)
    _audit(settings, actor, "monitoring.output", name, {"file": target.name})
    return {"name": name, "output": str(target)}


# --- monitoring runs -----------------------------------------------------------------------------------


def _service(module: str, function: str) -> Callable[..., Any] | None:
    try:
        return getattr(importlib.import_module(f"kinsight.services.{module}"), function, None)
    except ImportError:
        return None


def _quality_scores(settings: Settings) -> list[dict[str, Any]] | None:
    latest = _service("quality", "latest_scores")
    if latest is None:
        return None
    try:
        return list(latest(settings))
    except (KinsightError, OSError) as error:
        log.info("quality scores unavailable: %s", type(error).__name__)
        return None


def _challenge_counts(settings: Settings) -> dict[str, int] | None:
    counts = _service("challenges", "counts")
    if counts is None:
        return None
    try:
        return dict(counts(settings))
    except Exception as error:  # noqa: BLE001 - a missing platform table means no evidence, not a failed run
        log.info("challenge counts unavailable: %s", type(error).__name__)
        return None


def _accuracy(
    settings: Settings, v: MonVersion, config: dict[str, Any] | None, path: Path | None
) -> dict[str, Any] | None:
    """Evaluate the period's predictions against the outcomes that have arrived (None if none have)."""
    config = dict(config or {})
    source = path or (Path(config["path"]) if config.get("path") else None)
    if source is None or not config.get("outcome"):
        return None
    evaluate_frame = _service("evaluation", "evaluate_frame")
    if evaluate_frame is None:
        return None
    frame = read_table(source).filter(pl.col(config["outcome"]).is_not_null())
    if frame.height == 0:
        return None
    from kinsight.services import evaluation

    thresholds = (
        evaluation.Thresholds.model_validate(v.accuracy_thresholds) if v.accuracy_thresholds else None
    )
    return evaluate_frame(
        frame,
        outcome=config["outcome"],
        score=config.get("score"),
        label=config.get("label"),
        threshold=float(config.get("threshold", 0.5)),
        groups=list(config.get("groups") or []) or None,
        min_group_size=int(config.get("min_group_size", 10)),
        resamples=0,
        thresholds=thresholds,
    )


def _previous_quality(last: MonRun | None) -> dict[str, float]:
    if last is None:
        return {}
    datasets = (last.sections.get("quality") or {}).get("datasets") or {}
    return {
        k: float(v["score"])
        for k, v in datasets.items()
        if isinstance(v, dict) and v.get("score") is not None
    }


def run_one(
    settings: Settings,
    actor: Actor,
    name: str,
    *,
    current: Path | None = None,
    outcomes: Path | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """One monitoring run of one deployment: gather, assess, store figures, raise alerts to the owner."""
    _authorise(settings, actor, "monitoring.manage")
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        if not is_monitored(d.status):
            raise ConflictError(
                f"'{name}' is retired: it is no longer monitored.", hint="Its records stay readable."
            )
        v = repo.get_version(s, d, None)
        reference_path, categorical = Path(v.reference_path), list(v.categorical)
        thresholds = MonitoringThresholds.model_validate(v.thresholds)
        source = current or (Path(d.current_path) if d.current_path else None)
        outcomes_config = d.outcomes
        last = repo.last_run(s, d)
        since = aware(last.run_at) if last else None
        moment = now()
        usage = repo.usage_events(s, name, since, moment)
        version_row = v
    report: DriftReport | None = None
    current_fp, current_rows = "", 0
    if source is not None:
        frame = read_table(source)
        current_fp, current_rows = frame_fingerprint(frame), frame.height
        report = compare_frames(
            read_table(reference_path), frame, thresholds.drift, fields=None, categorical=categorical
        )
    result = assessment.assess(
        thresholds=thresholds,
        drift=report,
        quality_scores=_quality_scores(settings),
        previous_quality=_previous_quality(last),
        accuracy=_accuracy(settings, version_row, outcomes_config, outcomes),
        usage_events=usage,
        challenge_counts=_challenge_counts(settings),
    )
    label = period or moment.strftime("%Y-%m")
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        run = repo.add_run(
            s,
            d,
            [
                {
                    "section": f.section.value,
                    "subject": f.subject,
                    "metric": f.metric,
                    "value": f.value,
                    "threshold": f.threshold,
                    "breached": f.breached,
                }
                for f in result.figures
            ],
            version=version_row.version,
            period=label,
            run_at=moment,
            triggered_by=actor.user,
            current_fingerprint=current_fp,
            current_rows=current_rows,
            breached=result.breached,
            sections=json.loads(json.dumps(result.as_dict(), default=str)),
        )
        for alert in result.alerts:
            repo.add_alert(
                s,
                deployment_id=d.id,
                run_id=run.id,
                project=d.project,
                owner=d.owner,
                section=alert.section.value,
                subject=alert.subject,
                message=alert.message,
                period=label,
                raised_at=moment,
            )
        run_id, owner = run.id, d.owner
    _audit(
        settings,
        actor,
        "monitoring.run",
        name,
        {"run": run_id, "period": label, "alerts": len(result.alerts)},
    )
    return {
        "deployment": name,
        "run": run_id,
        "version": version_row.version,
        "period": label,
        "breached": result.breached,
        "alerts": [
            {"section": a.section.value, "subject": a.subject, "message": a.message, "owner": owner}
            for a in result.alerts
        ],
        "sections": result.as_dict(),
    }


def run(
    settings: Settings,
    actor: Actor,
    name: str | None = None,
    *,
    current: Path | None = None,
    outcomes: Path | None = None,
    period: str | None = None,
) -> list[dict[str, Any]]:
    """Run monitoring for one deployment, or for every deployment still monitored."""
    if name is not None:
        return [run_one(settings, actor, name, current=current, outcomes=outcomes, period=period)]
    if current is not None or outcomes is not None:
        raise UsageError(
            "--current and --outcomes need --deployment NAME.", hint="Name the deployment they belong to."
        )
    _authorise(settings, actor, "monitoring.manage")
    with repo.session(settings.app_database_url) as s:
        names = [d.name for d in repo.list_deployments(s) if is_monitored(d.status)]
    return [run_one(settings, actor, n, period=period) for n in names]


def scheduled_run(settings: Settings) -> list[dict[str, Any]]:
    """What the web app's scheduler calls: every monitored deployment, as the system."""
    results = []
    for item in run(settings, Actor(user="scheduler", role=LOCAL_OPERATOR)):
        results.append(item)
    log.info("scheduled monitoring run: %d deployments", len(results))
    return results


def start_scheduler(settings: Settings) -> Any | None:
    """Start an APScheduler BackgroundScheduler when ``schedule_minutes`` is set; returns it (or None)."""
    minutes = schedule_minutes(settings)
    if not minutes:
        return None
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        scheduled_run,
        "interval",
        minutes=minutes,
        args=[settings],
        id="kinsight-monitoring",
        coalesce=True,
        max_instances=1,
    )
    scheduler.start()
    return scheduler


# --- reading ----------------------------------------------------------------------------------------------


def status(settings: Settings, actor: Actor, name: str | None = None) -> list[dict[str, Any]]:
    """Every deployment (or one): status, live version, next review and whether it is overdue, alerts."""
    _authorise(settings, actor, "monitoring.view")
    with repo.session(settings.app_database_url) as s:
        found = [repo.get_deployment(s, name)] if name else repo.list_deployments(s)
        return [_deployment_view(s, d, today()) for d in found]


def overdue_reviews(settings: Settings) -> list[dict[str, Any]]:
    return [d for d in status(settings, Actor("system", LOCAL_OPERATOR)) if d["review_overdue"]]


def _run_view(r: MonRun) -> dict[str, Any]:
    return {
        "id": r.id,
        "period": r.period,
        "version": r.version,
        "run_at": aware(r.run_at),
        "breached": r.breached,
        "triggered_by": r.triggered_by,
        "current_rows": r.current_rows,
        "sections": r.sections,
    }


def _alert_view(a: Any, name: str | None = None) -> dict[str, Any]:
    return {
        "id": a.id,
        "deployment": name,
        "project": a.project,
        "owner": a.owner,
        "section": a.section,
        "subject": a.subject,
        "message": a.message,
        "period": a.period,
        "raised_at": aware(a.raised_at),
        "acknowledged_at": aware(a.acknowledged_at),
        "acknowledged_by": a.acknowledged_by,
    }


def detail(settings: Settings, actor: Actor, name: str) -> dict[str, Any]:
    """Everything about one deployment: versions, runs, alerts, reviews and lifecycle steps."""
    _authorise(settings, actor, "monitoring.view")
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        view = _deployment_view(s, d, today())
        view["versions_detail"] = [
            {
                "version": v.version,
                "fingerprint": v.fingerprint,
                "reference_rows": v.reference_rows,
                "fields": v.fields,
                "thresholds": MonitoringThresholds.model_validate(v.thresholds).public(),
                "accuracy_thresholds": v.accuracy_thresholds,
                "evaluation_passed": v.evaluation_passed,
                "evaluation": v.evaluation,
                "registered_at": aware(v.registered_at),
                "registered_by": v.registered_by,
            }
            for v in repo.versions(s, d)
        ]
        view["runs"] = [_run_view(r) for r in repo.runs(s, d)]
        view["alerts"] = [_alert_view(a, name) for a in repo.alerts(s, deployment=d)]
        view["reviews"] = [
            {
                "id": r.id,
                "version": r.version,
                "due_on": r.due_on,
                "held_on": r.held_on,
                "answers": r.answers,
                "decision": r.decision,
                "notes": r.notes,
                "signed_off_by": r.signed_off_by,
                "signed_off_role": r.signed_off_role,
                "evidence_runs": [e["id"] for e in r.evidence.get("runs", [])],
                "follow_up": r.follow_up,
            }
            for r in repo.reviews(s, d)
        ]
        view["steps"] = [
            {
                "action": st.action,
                "from": st.from_status,
                "to": st.to_status,
                "reason": st.reason,
                "by": st.actor,
                "role": st.actor_role,
                "at": aware(st.at),
                "details": st.details,
            }
            for st in repo.steps(s, d)
        ]
        view["schedule"] = {
            "early_interval_months": d.early_interval_months,
            "early_period_months": d.early_period_months,
            "interval_months": d.interval_months,
        }
    return view


def series(settings: Settings, actor: Actor, name: str, section: str, metric: str) -> list[dict[str, Any]]:
    """One metric of one section over the runs (``period, subject, value, threshold, breached``)."""
    _authorise(settings, actor, "monitoring.view")
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        return [
            {
                "run": r.id,
                "period": r.period,
                "subject": f.subject,
                "value": f.value,
                "threshold": f.threshold,
                "breached": f.breached,
            }
            for r, f in repo.figures(s, d, section)
            if f.metric == metric
        ]


def charts(settings: Settings, actor: Actor, name: str, *, svg: bool = True) -> dict[str, Any]:
    """Drift (PSI per field) and accuracy (per group) over time, as Vega-Lite specs and static SVG."""
    drift_rows = series(settings, actor, name, "drift", "psi")
    accuracy_rows = series(settings, actor, name, "accuracy", "recall")
    threshold = next((r["threshold"] for r in drift_rows if r["threshold"] is not None), None)
    out: dict[str, Any] = {"drift_rows": drift_rows, "accuracy_rows": accuracy_rows}
    for key, rows, title, y, line in (
        ("drift", drift_rows, "Drift of each input field (PSI)", "PSI", threshold),
        ("accuracy", accuracy_rows, "Recall overall and by group", "recall", None),
    ):
        spec = line_chart(rows, title=title, y_title=y, threshold=line) if rows else None
        out[key] = {"spec": spec, "svg": to_svg(spec) if (spec and svg) else None}
    return out


def alerts_for(settings: Settings, username: str, *, open_only: bool = True) -> list[dict[str, Any]]:
    """Alerts addressed to a person (for their home page); no permission needed to read one's own."""
    with repo.session(settings.app_database_url) as s:
        names = {d.id: d.name for d in repo.list_deployments(s)}
        return [
            _alert_view(a, names.get(a.deployment_id))
            for a in repo.alerts(s, owner=username, open_only=open_only)
        ]


def alerts(
    settings: Settings, actor: Actor, *, project: str | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    _authorise(settings, actor, "monitoring.view")
    with repo.session(settings.app_database_url) as s:
        names = {d.id: d.name for d in repo.list_deployments(s)}
        return [
            _alert_view(a, names.get(a.deployment_id))
            for a in repo.alerts(s, project=project, open_only=open_only)
        ]


def acknowledge(settings: Settings, actor: Actor, alert_id: int) -> dict[str, Any]:
    """The owner (or anyone who manages monitoring) marks an alert as seen."""
    with repo.session(settings.app_database_url) as s:
        a = repo.get_alert(s, alert_id)
        if a.owner != actor.user:
            _authorise(settings, actor, "monitoring.manage")
        if a.acknowledged_at is None:
            a.acknowledged_at, a.acknowledged_by = now(), actor.user
        d = s.get(MonDeployment, a.deployment_id)
        view = _alert_view(a, d.name if d else None)
    _audit(settings, actor, "monitoring.alert_ack", view["deployment"] or "", {"alert": alert_id})
    return view


# --- reviews -------------------------------------------------------------------------------------------


def review_checklist() -> list[dict[str, Any]]:
    return [{"id": q.id, "text": q.text, "evidence": q.evidence} for q in checklist()]


def _scope_change(settings: Settings, actor: Actor, project: str, description: str) -> dict[str, Any]:
    change = _service("governance", "scope_change")
    if not project:
        return {"done": False, "detail": "no governance project is linked to this deployment"}
    if change is None:
        return {"done": False, "detail": "governance's scope-change use case is not available"}
    try:
        result = change(settings, actor, project, description=description)
    except KinsightError as error:
        return {"done": False, "detail": error.message}
    return {"done": True, "detail": "governance triage re-opened", "reopened": result.get("reopened")}


def record_review(
    settings: Settings,
    actor: Actor,
    name: str,
    *,
    answers: dict[str, Any],
    decision: str,
    notes: str = "",
    held_on: dt.date | None = None,
    scope_description: str = "",
) -> dict[str, Any]:
    """A review with every checklist answer, the runs since the last review as evidence, a decision.

    The person recording it signs it off (their name and role are kept).  A change-of-scope decision
    re-opens the governance triage; retraining is a new version that must pass evaluation again.
    """
    _authorise(settings, actor, "monitoring.manage")
    try:
        chosen = ReviewDecision(decision)
    except ValueError as error:
        raise UsageError(
            f"Unknown decision '{decision}'.", hint="Use " + ", ".join(d.value for d in ReviewDecision) + "."
        ) from error
    checked = validate_answers(answers)
    if chosen is ReviewDecision.CHANGE_SCOPE and not scope_description.strip():
        raise UsageError("A change of scope needs a description.", hint="Say what changes (--scope TEXT).")
    held = held_on or today()
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        if d.status == DeploymentStatus.RETIRED.value:
            raise ConflictError(f"'{name}' is retired: it is no longer reviewed.")
        past = repo.reviews(s, d)
        last = past[-1] if past else None
        since = aware(last.recorded_at) if last else None
        due = next_review(
            _schedule_of(d), went_live=d.went_live_on, last_review=last.held_on if last else None, today=held
        )
        evidence_runs = [_run_view(r) for r in repo.runs(s, d, since)]
        evidence = json.loads(
            json.dumps(
                {
                    "runs": [
                        {
                            "id": r["id"],
                            "period": r["period"],
                            "breached": r["breached"],
                            "sections": r["sections"],
                        }
                        for r in evidence_runs
                    ],
                    "alerts": [
                        _alert_view(a, name)
                        for a in repo.alerts(s, deployment=d)
                        if since is None or aware(a.raised_at) > since  # type: ignore[operator]
                    ],
                },
                default=str,
            )
        )
        project, live = d.project, d.live_version or ""
    follow_up: dict[str, Any] = {}
    if chosen is ReviewDecision.CHANGE_SCOPE:
        follow_up = {"scope_change": _scope_change(settings, actor, project, scope_description.strip())}
    elif chosen is ReviewDecision.RETRAIN:
        follow_up = {
            "retrain": "Register the retrained version with 'kinsight monitor deploy NAME --version NEW"
            " --reference NEW.csv'; it must pass 'kinsight monitor evaluate' before 'go-live'."
        }
    elif chosen is ReviewDecision.DEPRECATE:
        follow_up = {
            "deprecate": "A senior leader or administrator deprecates the tool"
            " ('kinsight monitor deprecate')."
        }
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        row = repo.add_review(
            s,
            d,
            version=live,
            due_on=due.due_on,
            held_on=held,
            answers=checked,
            evidence=evidence,
            decision=chosen.value,
            notes=notes,
            signed_off_by=actor.user,
            signed_off_role=actor.role,
            follow_up=follow_up or None,
        )
        review_id = row.id
    _audit(settings, actor, "monitoring.review", name, {"review": review_id, "decision": chosen.value})
    return {
        "deployment": name,
        "review": review_id,
        "held_on": held,
        "due_on": due.due_on,
        "was_overdue": due.due_on is not None and held > due.due_on,
        "decision": chosen.value,
        "evidence_runs": [r["id"] for r in evidence["runs"]],
        "concerns": [k for k, v in checked.items() if v["answer"] == "concern"],
        "signed_off_by": actor.user,
        "follow_up": follow_up,
    }


# --- retirement ----------------------------------------------------------------------------------------


def _step(
    settings: Settings,
    actor: Actor,
    name: str,
    action: LifecycleAction,
    reason: str,
    work: Callable[[MonDeployment], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    _authorise(settings, actor, "monitoring.retire")
    if not reason.strip():
        raise UsageError("Each retirement step needs a reason.", hint="Say why (--reason TEXT).")
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        before = d.status
        after = next_status(before, action)
        details = work(d) if work else {}
        d.status = after.value
        repo.add_step(
            s,
            d,
            action=action.value,
            from_status=before,
            to_status=after.value,
            reason=reason.strip(),
            actor=actor.user,
            actor_role=actor.role,
            details=details or None,
        )
        view = _deployment_view(s, d, today())
    _audit(settings, actor, f"monitoring.{action.value}", name, {"from": before, "to": after.value})
    return {**view, "step": action.value, "from": before, "details": details}


def deprecate(settings: Settings, actor: Actor, name: str, *, reason: str) -> dict[str, Any]:
    """Phase one: the tool stays readable (with a banner) and stops producing new outputs."""
    return _step(settings, actor, name, LifecycleAction.DEPRECATE, reason)


def reinstate(settings: Settings, actor: Actor, name: str, *, reason: str) -> dict[str, Any]:
    """Undo a deprecation (senior leader or administrator only)."""
    return _step(settings, actor, name, LifecycleAction.REINSTATE, reason)


def restore(settings: Settings, actor: Actor, name: str, *, reason: str) -> dict[str, Any]:
    """Undo a decommissioning back to deprecated (the archive is kept; deleted data is not recovered)."""
    return _step(settings, actor, name, LifecycleAction.RESTORE, reason)


def _records_of(settings: Settings, name: str) -> dict[str, Any]:
    return detail(settings, Actor("system", LOCAL_OPERATOR), name)


def _transparency(settings: Settings, actor: Actor, project: str) -> dict[str, Any]:
    """Move the governance project to retirement, so its transparency record reads 'retired'."""
    if not project:
        return {"updated": False, "detail": "no governance project is linked to this deployment"}
    status_of = _service("governance", "status")
    advance = _service("governance", "advance")
    if status_of is None or advance is None:
        return {"updated": False, "detail": "governance is not available"}
    try:
        stage = status_of(settings, actor, project)["stage"]
        if stage == "deployment_monitoring":
            stage = advance(settings, actor, project)["stage"]
    except KinsightError as error:
        return {"updated": False, "detail": error.message, "hint": error.hint}
    if stage != "retirement":
        return {"updated": False, "detail": f"the project is at stage {stage}, not retirement"}
    return {
        "updated": True,
        "detail": "the project is at the retirement stage: its transparency record reads 'retired'",
    }


def decommission(
    settings: Settings, actor: Actor, name: str, *, reason: str, retention: str | None = None
) -> dict[str, Any]:
    """Phase two (after deprecation): revoke access, archive outputs with their records, keep or delete
    the data as the retention setting says, and update the transparency record."""
    _authorise(settings, actor, "monitoring.retire")
    keep = retention or retention_setting(settings)
    if keep not in Retention.ALL:
        raise UsageError(f"Unknown retention '{keep}'.", hint="Use retain or delete.")
    with repo.session(settings.app_database_url) as s:
        d = repo.get_deployment(s, name)
        next_status(d.status, LifecycleAction.DECOMMISSION)  # refuse early, before touching files
        project = d.project
    records = _records_of(settings, name)
    folder = _deployment_dir(settings, name)
    archive = settings.home / "archive" / "monitoring" / f"{name}-{now().strftime('%Y%m%dT%H%M%S')}.zip"
    archive.parent.mkdir(parents=True, exist_ok=True)
    archived: list[str] = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("records.json", json.dumps(records, default=str, indent=2))
        archived.append("records.json")
        if folder.exists():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                relative = path.relative_to(folder).as_posix()
                if keep == Retention.DELETE and not relative.startswith("outputs/"):
                    continue
                zf.write(path, relative)
                archived.append(relative)
    deleted: list[str] = []
    if keep == Retention.DELETE and folder.exists():
        deleted = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder)
    elif (folder / "outputs").exists():
        shutil.rmtree(folder / "outputs")  # kept in the archive; nothing is served from the live folder
    transparency = _transparency(settings, actor, project)
    details = {
        "archive": str(archive),
        "archived": archived,
        "retention": keep,
        "deleted": deleted,
        "access": "revoked: no runs, outputs, versions or reviews; the record stays readable",
        "transparency": transparency,
    }
    return _step(settings, actor, name, LifecycleAction.DECOMMISSION, reason, lambda _d: details)
