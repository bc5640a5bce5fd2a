"""Governance use cases: projects through the ten stages, answers, sign-offs, evidence, gates, exports.

Every use case takes the ``settings`` and an ``Actor`` (user name and role) and returns plain data,
so the CLI and the web app present the same thing.  Each change is one transaction in the app
database followed by one audit event.  Gates read Kinsight's own results through the small evidence
readers below; where a result is not available the condition says "no evidence yet" and stays unmet.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kinsight.domain.exports import EXPORT_FORMATS
from kinsight.errors import GateNotMetError, KinsightError, PermissionDeniedError, UsageError
from kinsight.governance import exports
from kinsight.governance.definitions import Instrument, RiskMatrix
from kinsight.governance.gates import evaluate_gate, load_stages, stage_spec
from kinsight.governance.instruments import blank_template, get_instrument, load_instruments, validate_answers
from kinsight.governance.record import ProjectRecord
from kinsight.governance.scoring import risk_level, score_maturity, score_triage
from kinsight.governance.vocabulary import Actor, EvidenceKind, SignoffRole, Stage
from kinsight.settings import Settings
from kinsight.storage import governance_repo as repo
from kinsight.storage.appdb import ensure_db, make_sessionmaker
from kinsight.storage.models_governance import GovProject

#: The role of someone running the ``kinsight`` command on the machine itself.  They already hold the
#: database file, so the CLI acts as a trusted operator; the web app passes the signed-in user's role.
LOCAL_OPERATOR = "local_operator"


# --- database, permissions, audit ----------------------------------------------------------------


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    maker = make_sessionmaker(ensure_db(settings.app_database_url))
    with maker() as session, session.begin():
        yield session


def _authorise(settings: Settings, actor: Actor, permission: str) -> None:
    """Platform roles are checked against the permission matrix; the local operator is trusted."""
    if actor.role == LOCAL_OPERATOR:
        return
    try:
        access = importlib.import_module("kinsight.services.access")
        roles = importlib.import_module("kinsight.domain.roles")
        allowed = access.role_allows(roles.Role(actor.role), roles.Permission(permission), settings.la_code)
    except (ImportError, ValueError):
        allowed = False
    if not allowed:
        raise PermissionDeniedError(
            f"Your role ({actor.role}) does not allow this: {permission}.",
            hint="Ask an administrator, or someone whose role allows it, to do this.",
        )


def _audit(
    settings: Settings,
    actor: Actor,
    action: str,
    target: str,
    details: dict[str, Any] | None = None,
    outcome: str = "allowed",
) -> None:
    """SINGLE CALL SITE for the audit log (``kinsight.services.audit.record``)."""
    try:
        audit = importlib.import_module("kinsight.services.audit")
    except ImportError:  # pragma: no cover - the platform area provides it
        return
    audit.record(
        settings,
        actor=actor.user,
        action=action,
        target=target,
        outcome=outcome,
        details={"role": actor.role, **(details or {})},
    )


def _instruments(settings: Settings) -> dict[str, Instrument]:
    """Built-in instruments, replaced by any the authority keeps in ``<home>/governance/instruments``."""
    return load_instruments([settings.home / "governance" / "instruments"])


# --- evidence readers --------------------------------------------------------------------------------


def _service_function(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(f"kinsight.services.{module}"), name, None)
    except ImportError:
        return None


def read_quality_scores(settings: Settings) -> dict[str, dict[str, Any]]:
    """Latest data-quality result per dataset from ``services.quality.latest_scores`` (empty if absent).

    The quality service gives one score (0 to 100) per dataset and collection year; the gate reads the
    most recent collection year held, the one a new tool would learn from.
    """
    latest = _service_function("quality", "latest_scores")
    if latest is None:
        return {}
    try:
        rows = latest(settings)
    except KinsightError:
        return {}
    chosen: dict[str, dict[str, Any]] = {}
    for row in rows or []:
        dataset, score = row.get("dataset"), row.get("score")
        if not dataset or not isinstance(score, int | float):
            continue
        if dataset not in chosen or str(row.get("year") or "") > str(chosen[dataset].get("year") or ""):
            keep = ("year", "records", "records_with_error", "records_with_query", "run_id")
            chosen[str(dataset)] = {"dataset": str(dataset), "score": float(score)} | {
                k: (row[k] if isinstance(row.get(k), int | float | str) else str(row.get(k)))
                for k in keep
                if k in row
            }
    return chosen


def read_privacy_report(settings: Settings, project: str) -> dict[str, Any] | None:
    """Read ``services.evidence.latest_risk_report(settings, project=...)``.

    The reports are filed by ``kinsight privacy risk ... --project NAME``.
    Expected shape: ``{"passed": bool, "summary": str, ...}``; anything else counts as no evidence.
    """
    latest = _service_function("evidence", "latest_risk_report")
    if latest is None:
        return None
    try:
        report = latest(settings, project=project)
    except KinsightError:
        return None
    return dict(report) if isinstance(report, dict) and isinstance(report.get("passed"), bool) else None


def read_alpha_evaluation(settings: Settings, project: str) -> dict[str, Any] | None:
    """Read ``services.evidence.latest_alpha_result(settings, project=...)``.

    The evaluations are filed by ``kinsight evaluate ... --project NAME``.
    Expected shape: the evaluation payload documented in ``kinsight.governance.thresholds``.
    """
    latest = _service_function("evidence", "latest_alpha_result")
    if latest is None:
        return None
    try:
        result = latest(settings, project=project)
    except KinsightError:
        return None
    return dict(result) if isinstance(result, dict) and "overall" in result else None


def _refresh_evidence(settings: Settings, session: Session, project: GovProject, actor: Actor) -> None:
    """Record any new result the current gate reads, so each gate decision can be traced to it.

    Only the services the gate needs are asked (importing them can be slow).
    """
    kinds = {str(c.kind) for c in stage_spec(load_stages(), Stage(project.stage)).gate}
    found: list[tuple[EvidenceKind, str, dict[str, Any], str]] = []
    if EvidenceKind.DATA_QUALITY in kinds:
        for dataset, payload in read_quality_scores(settings).items():
            found.append((EvidenceKind.DATA_QUALITY, dataset, payload, "kinsight.services.quality"))
    if EvidenceKind.PRIVACY in kinds and (privacy := read_privacy_report(settings, project.name)) is not None:
        found.append((EvidenceKind.PRIVACY, "", privacy, "kinsight privacy risk --project"))
    if (
        EvidenceKind.EVALUATION in kinds
        and (evaluation := read_alpha_evaluation(settings, project.name)) is not None
    ):
        found.append((EvidenceKind.EVALUATION, "", evaluation, "kinsight evaluate --project"))
    for kind, subject, payload, source in found:
        latest = repo.latest_evidence_row(session, project, kind, subject)
        if latest is None or latest.payload != payload:
            repo.add_evidence(
                session, project, kind=kind, subject=subject, payload=payload, source=source, actor=actor
            )


def record_evidence(
    settings: Settings,
    actor: Actor,
    name: str,
    *,
    kind: EvidenceKind | str,
    payload: dict[str, Any],
    subject: str = "",
    source: str = "kinsight",
) -> dict[str, Any]:
    """The evidence interface: store one Kinsight result (quality score, privacy report, evaluation).

    Parts of Kinsight that compute these results call this (or are read by the readers above); tests
    use it to stand in for parts not built yet.
    """
    _authorise(settings, actor, "governance.edit")
    kind = EvidenceKind(kind)
    with _session(settings) as session:
        project = repo.get_project(session, name)
        row = repo.add_evidence(
            session, project, kind=kind, subject=subject, payload=payload, source=source, actor=actor
        )
        result = {"project": name, "kind": str(kind), "subject": subject, "source": source, "id": row.id}
    _audit(
        settings,
        actor,
        "governance.evidence",
        name,
        {"kind": str(kind), "subject": subject, "source": source},
    )
    return result


# --- projects and stages -----------------------------------------------------------------------------


def _stage_info(stage: Stage) -> dict[str, Any]:
    spec = stage_spec(load_stages(), stage)
    return {
        "id": str(stage),
        "number": stage.ordinal + 1,
        "label": spec.label,
        "question": spec.question,
        "purpose": spec.purpose,
    }


def create_project(
    settings: Settings, actor: Actor, name: str, *, title: str | None = None
) -> dict[str, Any]:
    _authorise(settings, actor, "governance.edit")
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise UsageError(
            f"'{name}' is not a usable project name.",
            hint="Use letters, digits, '-' and '_' only, e.g. placement-forecast.",
        )
    with _session(settings) as session:
        project = repo.create_project(
            session, name=name, title=title or name, la_code=settings.la_code, actor=actor
        )
        result = {"name": project.name, "title": project.title, "stage": project.stage}
    _audit(settings, actor, "governance.project_create", name)
    return result


def list_projects(settings: Settings, actor: Actor) -> list[dict[str, Any]]:
    _authorise(settings, actor, "governance.view")
    with _session(settings) as session:
        return [
            {"name": p.name, "title": p.title, "stage": p.stage, "created_at": p.created_at}
            for p in repo.list_projects(session)
        ]


def _results(record: ProjectRecord, instruments: dict[str, Instrument]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    if "data_maturity" in record.answers:
        results["data_maturity"] = score_maturity(
            instruments["data_maturity"], record.answers["data_maturity"].answers
        ).as_dict()
    if "ethics_triage" in record.answers:
        results["ethics_triage"] = score_triage(
            instruments["ethics_triage"], record.answers["ethics_triage"].answers
        ).as_dict()
    return results


def status(settings: Settings, actor: Actor, name: str) -> dict[str, Any]:
    """Where the project is, what its gate needs, and its maturity and triage results."""
    _authorise(settings, actor, "governance.view")
    instruments = _instruments(settings)
    with _session(settings) as session:
        project = repo.get_project(session, name)
        _refresh_evidence(settings, session, project, actor)
        record = repo.load_record(session, project)
    gate = evaluate_gate(record, instruments)
    spec = stage_spec(load_stages(), record.stage)
    return {
        "name": record.name,
        "title": record.title,
        "stage": str(record.stage),
        "stage_info": _stage_info(record.stage),
        "next_stage": str(spec.next) if spec.next else None,
        "back_to": [str(s) for s in spec.back],
        "gate": gate.as_dict(),
        "reopened": sorted(record.reopened()),
        "answered": {k: v.version for k, v in sorted(record.answers.items())},
        "results": _results(record, instruments),
    }


def advance(settings: Settings, actor: Actor, name: str) -> dict[str, Any]:
    """Move to the next stage if every gate condition is met; otherwise refuse, naming each unmet one."""
    _authorise(settings, actor, "governance.edit")
    instruments = _instruments(settings)
    with _session(settings) as session:
        project = repo.get_project(session, name)
        _refresh_evidence(settings, session, project, actor)
        record = repo.load_record(session, project)
        gate = evaluate_gate(record, instruments)
        if gate.met and gate.to_stage is not None:
            repo.move_stage(
                session,
                project,
                to_stage=gate.to_stage,
                direction="forward",
                reason="Gate met",
                gate=gate.as_dict(),
                actor=actor,
            )
    if not gate.met:
        unmet = [c.as_dict() for c in gate.unmet]
        _audit(
            settings,
            actor,
            "governance.stage_advance",
            name,
            {"from": str(gate.from_stage), "unmet": [c["id"] for c in unmet]},
            outcome="refused",
        )
        lines = "; ".join(f"{c['label']} ({c['detail']})" for c in unmet)
        raise GateNotMetError(
            f"Project '{name}' cannot leave {gate.from_stage}: {len(unmet)} condition(s) unmet: {lines}",
            hint=f"See 'kinsight project status {name}' for every condition.",
            details={
                "stage": str(gate.from_stage),
                "next_stage": str(gate.to_stage) if gate.to_stage else None,
                "unmet": unmet,
            },
        )
    _audit(
        settings,
        actor,
        "governance.stage_advance",
        name,
        {"from": str(gate.from_stage), "to": str(gate.to_stage)},
    )
    return {
        "name": name,
        "from_stage": str(gate.from_stage),
        "stage": str(gate.to_stage),
        "gate": gate.as_dict(),
    }


def move_back(settings: Settings, actor: Actor, name: str, *, to: Stage | str, reason: str) -> dict[str, Any]:
    """Return to an earlier stage with a reason (e.g. testing -> development after missing thresholds)."""
    _authorise(settings, actor, "governance.edit")
    target = Stage(to)
    if not reason.strip():
        raise UsageError(
            "A move back needs a reason.", hint="Say why, e.g. --reason 'recall below threshold'."
        )
    with _session(settings) as session:
        project = repo.get_project(session, name)
        spec = stage_spec(load_stages(), Stage(project.stage))
        if target not in spec.back:
            allowed = ", ".join(str(s) for s in spec.back) or "none"
            raise UsageError(
                f"From {project.stage} a project may go back to: {allowed}; not {target}.",
                hint="Choose one of the stages listed.",
            )
        from_stage = project.stage
        repo.move_stage(
            session, project, to_stage=target, direction="back", reason=reason.strip(), gate=None, actor=actor
        )
    _audit(settings, actor, "governance.stage_back", name, {"from": from_stage, "to": str(target)})
    return {"name": name, "from_stage": from_stage, "stage": str(target), "reason": reason.strip()}


# --- answers, sign-offs, validation, scope ----------------------------------------------------------


def list_instruments(settings: Settings) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "version": i.version,
            "title": i.title,
            "stage": str(i.stage),
            "questions": len(i.questions),
            "purpose": " ".join(i.purpose.split()),
        }
        for i in sorted(_instruments(settings).values(), key=lambda i: (Stage(i.stage).ordinal, i.id))
    ]


def instrument_definition(settings: Settings, instrument_id: str) -> dict[str, Any]:
    """One instrument in full (questions, help, answer types, options), for forms built from it."""
    return get_instrument(_instruments(settings), instrument_id).model_dump(mode="json", by_alias=True)


def gate_targets(stage: Stage | str) -> dict[str, dict[str, Any]]:
    """What each condition of a stage's gate points at (instrument, sign-off role and subject, kind).

    Pages use it to link an unmet condition to the place where it is put right.
    """
    return {
        c.id: {
            "kind": str(c.kind),
            "instrument": c.instrument,
            "role": str(c.role) if c.role else None,
            "subject": c.subject,
        }
        for c in stage_spec(load_stages(), Stage(stage)).gate
    }


def risk_log(settings: Settings, actor: Actor, name: str) -> list[dict[str, Any]]:
    """The latest version of every logged risk, with its overall level."""
    _authorise(settings, actor, "governance.view")
    with _session(settings) as session:
        record = repo.load_record(session, repo.get_project(session, name))
    return [
        {"ref": r.ref, "version": r.version, "level": r.level, "recorded_at": r.recorded_at, **r.row}
        for r in record.risks
    ]


def template(settings: Settings, instrument_id: str) -> str:
    return blank_template(get_instrument(_instruments(settings), instrument_id))


def answer(
    settings: Settings,
    actor: Actor,
    name: str,
    instrument_id: str,
    answers: dict[str, Any],
    *,
    replace: bool = False,
) -> dict[str, Any]:
    """Record a new version of an answer set (merged over the previous one unless ``replace``)."""
    _authorise(settings, actor, "governance.edit")
    instruments = _instruments(settings)
    instrument = get_instrument(instruments, instrument_id)
    if not isinstance(answers, dict):
        validate_answers(instrument, answers)  # raises the usual, helpful error
    with _session(settings) as session:
        project = repo.get_project(session, name)
        previous = repo.latest_answers(session, project, instrument_id)
        given = {k: v for k, v in answers.items() if v is not None}
        merged = validate_answers(
            instrument, given if replace or previous is None else {**previous.answers, **given}
        )
        row = repo.add_answers(
            session,
            project,
            instrument=instrument_id,
            instrument_version=instrument.version,
            answers=merged,
            actor=actor,
        )
        risks = []
        if isinstance(instrument.scoring, RiskMatrix) and "risks" in given:
            rows = [(r, _level(instrument, r)) for r in merged.get("risks", [])]
            added = repo.add_risks(session, project, rows, actor)
            risks = [{"ref": r.ref, "version": r.version, "level": r.level} for r in added]
        record = repo.load_record(session, project)
        version = row.version
    _audit(settings, actor, "governance.answer", name, {"instrument": instrument_id, "version": version})
    result: dict[str, Any] = {
        "name": name,
        "instrument": instrument_id,
        "version": version,
        "instrument_version": instrument.version,
    }
    scores = _results(record, instruments)
    if instrument_id in scores:
        result["result"] = scores[instrument_id]
    if risks:
        result["risks"] = risks
    return result


def _level(instrument: Instrument, row: dict[str, Any]) -> str | None:
    level = risk_level(instrument, row)
    return str(level) if level else None


def answers_of(
    settings: Settings, actor: Actor, name: str, instrument_id: str, *, version: int | None = None
) -> dict[str, Any]:
    _authorise(settings, actor, "governance.view")
    with _session(settings) as session:
        project = repo.get_project(session, name)
        rows = repo.answer_history(session, project, instrument_id)
    if not rows:
        raise UsageError(
            f"No answers recorded for '{instrument_id}' in '{name}'.",
            hint=f"Record some with 'kinsight project answer {name} {instrument_id} --file ...'.",
        )
    chosen = rows[-1] if version is None else next((r for r in rows if r.version == version), None)
    if chosen is None:
        raise UsageError(
            f"'{instrument_id}' has no version {version}.", hint=f"Versions: 1 to {rows[-1].version}."
        )
    return {
        "instrument": instrument_id,
        "version": chosen.version,
        "versions": len(rows),
        "answers": chosen.answers,
        "recorded_at": chosen.recorded_at,
        "recorded_by": chosen.recorded_by,
    }


#: Sign-offs that only certain platform roles may give (a sign-off role not listed here needs only the
#: governance.sign_off permission): an information governance officer cannot sign as a senior leader.
SIGNATORY_PLATFORM_ROLES: dict[SignoffRole, frozenset[str]] = {
    SignoffRole.SENIOR_LEADER: frozenset({"senior_leader"}),
    SignoffRole.DATA_PROTECTION_OFFICER: frozenset({"information_governance"}),
    SignoffRole.INFORMATION_GOVERNANCE: frozenset({"information_governance"}),
}


def signoff(
    settings: Settings,
    actor: Actor,
    name: str,
    *,
    role: SignoffRole | str,
    user: str,
    subject: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Record that ``user``, acting as ``role``, signed off ``subject``.

    Without a subject, the sign-off is for the first unmet sign-off condition for that role at the
    current gate (for example the business case at the ethics triage stage).
    """
    _authorise(settings, actor, "governance.sign_off")
    role = SignoffRole(role)
    if actor.role != LOCAL_OPERATOR and user != actor.user:
        raise PermissionDeniedError(
            "You can only sign off in your own name.", hint="Ask the signatory to sign in and sign."
        )
    needed = SIGNATORY_PLATFORM_ROLES.get(role)
    if actor.role != LOCAL_OPERATOR and needed is not None and actor.role not in needed:
        raise PermissionDeniedError(
            f"Your role ({actor.role}) cannot sign off as {role}.",
            hint="Only someone who holds the role " + " or ".join(sorted(needed)) + " can sign this.",
        )
    instruments = _instruments(settings)
    with _session(settings) as session:
        project = repo.get_project(session, name)
        if subject is None:
            record = repo.load_record(session, project)
            wanted = [
                c
                for c in stage_spec(load_stages(), record.stage).gate
                if c.kind == "signoff" and c.role == role
            ]
            gate = {c.id: c for c in evaluate_gate(record, instruments).conditions}
            open_ = [c.subject for c in wanted if not gate[c.id].met]
            if not open_:
                raise UsageError(
                    f"Nothing at the {record.stage} gate awaits a {role} sign-off.",
                    hint="Give --subject to sign off something else.",
                )
            subject = str(open_[0])
        row = repo.add_signoff(
            session, project, role=role, subject=subject, user=user, note=note, actor=actor
        )
        result = {
            "name": name,
            "role": str(role),
            "subject": subject,
            "user": user,
            "stage": row.stage,
            "signed_at": row.signed_at,
        }
    _audit(settings, actor, "governance.signoff", name, {"role": str(role), "subject": subject, "user": user})
    return result


def record_validation(
    settings: Settings,
    actor: Actor,
    name: str,
    *,
    validator: str,
    organisation: str,
    validated: bool,
    summary: str,
    validated_on: dt.date | None = None,
) -> dict[str, Any]:
    """Record an external validation of the tool by experts outside the project team."""
    _authorise(settings, actor, "governance.edit")
    with _session(settings) as session:
        project = repo.get_project(session, name)
        row = repo.add_validation(
            session,
            project,
            validator=validator,
            organisation=organisation,
            validated=validated,
            summary=summary,
            validated_on=validated_on or dt.date.today(),
            actor=actor,
        )
        result = {
            "name": name,
            "validator": validator,
            "organisation": organisation,
            "validated": validated,
            "validated_on": row.validated_on,
        }
    _audit(settings, actor, "governance.external_validation", name, {"validated": validated})
    return result


def scope_change(settings: Settings, actor: Actor, name: str, *, description: str) -> dict[str, Any]:
    """Record a change of scope; it reopens the ethics triage and the impact assessments."""
    _authorise(settings, actor, "governance.edit")
    reopened = list(load_stages().reopened_by_scope_change)
    with _session(settings) as session:
        project = repo.get_project(session, name)
        repo.add_scope_change(session, project, description=description, reopened=reopened, actor=actor)
    _audit(settings, actor, "governance.scope_change", name, {"reopened": reopened})
    return {"name": name, "description": description, "reopened": reopened}


def history(settings: Settings, actor: Actor, name: str) -> list[dict[str, Any]]:
    """Every recorded event of the project, oldest first."""
    _authorise(settings, actor, "governance.view")
    with _session(settings) as session:
        project = repo.get_project(session, name)
        record = repo.load_record(session, project)
        answer_rows = repo.answer_history(session, project)
    events: list[dict[str, Any]] = []
    for m in record.history:
        events.append(
            {
                "at": m.moved_at,
                "event": f"stage_{m.direction}",
                "by": m.moved_by,
                "detail": f"{m.from_stage or '-'} -> {m.to_stage}" + (f": {m.reason}" if m.reason else ""),
            }
        )
    for a in answer_rows:
        events.append(
            {
                "at": repo.aware(a.recorded_at),
                "event": "answers",
                "by": a.recorded_by,
                "detail": f"{a.instrument} version {a.version}",
            }
        )
    for s in record.signoffs:
        events.append(
            {
                "at": s.signed_at,
                "event": "signoff",
                "by": s.recorded_by,
                "detail": f"{s.subject} signed off by {s.user} ({s.role})",
            }
        )
    for e in record.evidence:
        events.append(
            {
                "at": e.recorded_at,
                "event": "evidence",
                "by": e.source,
                "detail": f"{e.kind}{' ' + e.subject if e.subject else ''}",
            }
        )
    for v in record.validations:
        events.append(
            {
                "at": v.recorded_at,
                "event": "external_validation",
                "by": v.recorded_by,
                "detail": f"{v.validator} ({v.organisation}): "
                + ("validated" if v.validated else "not validated"),
            }
        )
    for c in record.scope_changes:
        events.append(
            {"at": c.recorded_at, "event": "scope_change", "by": c.recorded_by, "detail": c.description}
        )
    return sorted(events, key=lambda e: e["at"])


# --- exports and publication -------------------------------------------------------------------------


def _dataset_facts(settings: Settings) -> dict[str, dict[str, Any]]:
    """Rows, tables and years per dataset from the catalogue service, when it is available."""
    entries_of = _service_function("catalogue", "catalogue_entries")
    if entries_of is None:
        return {}
    try:
        entries = entries_of(settings)
    except KinsightError:
        return {}
    facts: dict[str, dict[str, Any]] = {}
    for entry in entries or []:
        item = facts.setdefault(str(entry.get("dataset")), {"rows": 0, "tables": set(), "years": set()})
        item["rows"] += int(entry.get("rows") or 0)
        item["tables"].add(entry.get("table"))
        item["years"].add(entry.get("year"))
    return {
        k: {"rows": v["rows"], "tables": sorted(v["tables"]), "years": sorted(v["years"])}
        for k, v in facts.items()
    }


def _context(settings: Settings, session: Session, project: GovProject) -> exports.ExportContext:
    return exports.ExportContext(
        record=repo.load_record(session, project),
        instruments=_instruments(settings),
        stages=load_stages(),
        organisation=settings.la_name,
        record_id=project.id,
        today=dt.date.today(),
        dataset_facts=_dataset_facts(settings),
    )


def transparency_record(settings: Settings, actor: Actor, name: str) -> dict[str, Any]:
    """The ATRS record as data, with schema problems and the required fields not yet recorded."""
    _authorise(settings, actor, "governance.view")
    with _session(settings) as session:
        ctx = _context(settings, session, repo.get_project(session, name))
    record, missing = exports.build_atrs(ctx)
    return {"record": record, "incomplete": missing, "schema_errors": exports.validate_atrs(record)}


def export(
    settings: Settings,
    actor: Actor,
    name: str,
    fmt: str,
    *,
    out: Path | None = None,
    dataset: str | None = None,
) -> dict[str, Any]:
    """Write one export to ``out`` (default ``<home>/reports/governance/<name>/``); say what was written."""
    _authorise(settings, actor, "governance.view")
    if fmt not in EXPORT_FORMATS:
        raise UsageError(
            f"Unknown export format '{fmt}'.", hint="Choose one of: " + ", ".join(EXPORT_FORMATS)
        )
    with _session(settings) as session:
        ctx = _context(settings, session, repo.get_project(session, name))
    folder = settings.reports_dir / "governance" / name
    written: list[Path] = []
    result: dict[str, Any] = {"name": name, "format": fmt}
    if fmt.startswith("atrs"):
        record, missing = exports.build_atrs(ctx)
        errors = exports.validate_atrs(record)
        result |= {"valid": not errors, "schema_errors": errors, "incomplete": missing}
        if fmt == "atrs-json":
            import json

            path = out or folder / "atrs-record.json"
            _write(path, json.dumps(record, indent=2, ensure_ascii=False))
            result["record"] = record
        else:
            path = out or folder / "atrs-record.html"
            _write(path, exports.render(exports.atrs_document(ctx, record)))
        written.append(path)
    elif fmt == "model-card":
        written.append(_write(out or folder / "model-card.html", exports.render(exports.model_card(ctx))))
    elif fmt == "datasheet":
        datasets = [dataset] if dataset else (ctx.record.profile.get("datasets") or [])
        if not datasets:
            raise UsageError(
                "The project names no datasets.",
                hint="Answer 'datasets' in project_profile, or give --dataset.",
            )
        for item in datasets:
            target = out if out and len(datasets) == 1 else folder / f"datasheet-{item}.html"
            written.append(_write(target, exports.render(exports.datasheet(ctx, item))))
    else:
        build = exports.business_case_pack if fmt.startswith("business-case") else exports.dpia_annex
        html = exports.render(build(ctx))
        stem = "business-case" if fmt.startswith("business-case") else "dpia-annex"
        if fmt.endswith("-pdf"):
            written.append(exports.write_pdf(html, out or folder / f"{stem}.pdf"))
        else:
            written.append(_write(out or folder / f"{stem}.html", html))
    result["paths"] = [str(p) for p in written]
    _audit(settings, actor, "governance.export", name, {"format": fmt})
    return result


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PUBLISHABLE = (Stage.DEPLOYMENT_MONITORING, Stage.RETIREMENT)


def publish_transparency_record(settings: Settings, actor: Actor, name: str) -> dict[str, Any]:
    """Publish the ATRS record: only for live or retired tools, complete, and cleared by communications."""
    _authorise(settings, actor, "governance.sign_off")
    with _session(settings) as session:
        project = repo.get_project(session, name)
        ctx = _context(settings, session, project)
        record, missing = exports.build_atrs(ctx)
        errors = exports.validate_atrs(record)
        cleared = any(
            s.role is SignoffRole.COMMUNICATIONS and s.subject == "transparency_record"
            for s in ctx.record.signoffs
        )
        unmet = []
        if ctx.record.stage not in PUBLISHABLE:
            unmet.append(
                {
                    "id": "live_tool",
                    "detail": "Only records of live or retired tools are published;"
                    f" stage is {ctx.record.stage}.",
                }
            )
        if missing or errors:
            unmet.append(
                {
                    "id": "complete_record",
                    "detail": "Required fields not recorded: " + ", ".join(missing + errors),
                }
            )
        if not cleared:
            unmet.append(
                {
                    "id": "communications_clearance",
                    "detail": "The communications team has not cleared the record"
                    " (sign-off subject 'transparency_record').",
                }
            )
        if unmet:
            raise GateNotMetError(
                f"The transparency record of '{name}' cannot be published yet: "
                + "; ".join(u["detail"] for u in unmet),
                hint="Complete the 'transparency' instrument and get clearance.",
                details={"unmet": unmet},
            )
        row = repo.publish_record(session, project, record, actor)
        result = {"name": name, "version": row.version, "published_at": row.published_at}
    _audit(settings, actor, "governance.publish", name, {"version": result["version"]})
    return result


def published_transparency_records(settings: Settings) -> list[dict[str, Any]]:
    """The newest published record of each tool, for the public page (no permission needed: it is public)."""
    with _session(settings) as session:
        rows = repo.published_records(session)
        return [
            {
                "name": p.name,
                "title": r.record["title_information"]["title"],
                "description": r.record["title_information"]["one_sentence_description"],
                "phase": r.record["title_information"]["phase"],
                "version": r.version,
                "published_at": repo.aware(r.published_at).date().isoformat(),
                "record": r.record,
            }
            for p, r in rows
        ]


def published_page(settings: Settings) -> str:
    return exports.render_published(settings.la_name, published_transparency_records(settings))
