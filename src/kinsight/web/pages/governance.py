"""Governance pages: walk an analytics project from idea to retirement in the browser.

Every page is a thin view over ``kinsight.services.governance`` (which checks the role, writes the
record and the audit log): projects, the project page with its gate, instrument forms built from the
instrument YAML, sign-offs, moves forward and back, external validation, scope changes, the risk log,
history and exports.  ``/transparency`` is public: it lists the transparency records an authority has
published, with no sign-in.  Everything works as plain HTML forms, without JavaScript.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from kinsight.domain.roles import Permission
from kinsight.errors import GateNotMetError, KinsightError, NotFoundError, PermissionDeniedError, UsageError
from kinsight.services import governance as svc
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.web.deps import current_principal, get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.pages import governance_forms as forms
from kinsight.web.security import check_csrf
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Projects", "/projects", Permission.GOVERNANCE_VIEW, order=70),)

VIEW = Depends(require(Permission.GOVERNANCE_VIEW))
EDIT = Depends(require(Permission.GOVERNANCE_EDIT))
SIGN = Depends(require(Permission.GOVERNANCE_SIGN_OFF))

EXPORTS = {
    "atrs-json": ("Transparency record (ATRS), JSON", "application/json"),
    "atrs-html": ("Transparency record (ATRS), web page", "text/html"),
    "model-card": ("Model card", "text/html"),
    "datasheet": ("Datasheet for a dataset", "text/html"),
    "business-case": ("Business case pack, web page", "text/html"),
    "business-case-pdf": ("Business case pack, PDF", "application/pdf"),
    "dpia-annex": ("DPIA risk annex, web page", "text/html"),
    "dpia-annex-pdf": ("DPIA risk annex, PDF", "application/pdf"),
}

#: Where to put right a condition whose evidence Kinsight computes elsewhere (plain words).
EVIDENCE_HELP = {
    "data_quality": (
        "/quality",
        "Load the datasets and run the data-quality checks: kinsight quality run.",
    ),
    "privacy": (
        None,
        "Measure the re-identification risk of the tool's extract and file it for this project: "
        "kinsight privacy risk EXTRACT.csv --qi COLUMNS --project {name}.",
    ),
    "evaluation": (
        None,
        "Evaluate the alpha test predictions and file them for this project: "
        "kinsight evaluate PREDICTIONS.csv --outcome COL --score COL --group COLS --project {name}.",
    ),
}

STATUS_TAGS = {
    "met": ("Met", "green"),
    "not_applicable": ("Does not apply", "grey"),
    "unmet": ("Not met", "red"),
    "no_evidence": ("No evidence yet", "yellow"),
}


def _actor(principal: Principal) -> svc.Actor:
    return svc.Actor(user=principal.username, role=principal.role.value)


def _fix_link(name: str, condition: dict[str, Any], targets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Where a person goes to put a condition right: a link, an instruction, or both."""
    target = targets.get(condition["id"], {})
    kind = condition["kind"]
    base = f"/projects/{name}"
    if kind == "scope_change":
        instrument = condition["id"].removeprefix("reopened_")
        return {"href": f"{base}/instruments/{instrument}", "text": "Answer it again"}
    if target.get("instrument"):
        return {"href": f"{base}/instruments/{target['instrument']}", "text": "Answer the questions"}
    if kind == "signoff":
        return {
            "href": f"{base}/signoff?role={target['role']}&subject={target['subject']}",
            "text": "Record the sign-off",
        }
    if kind in ("maturity_tier", "maturity_level"):
        return {"href": f"{base}/instruments/data_maturity", "text": "Review the data maturity answers"}
    if kind == "triage_verdict":
        return {"href": f"{base}/instruments/ethics_triage", "text": "Review the ethics triage"}
    if kind == "risk_log":
        return {"href": f"{base}/instruments/risk_log", "text": "Add to the risk log"}
    if kind == "external_validation":
        return {"href": f"{base}/validation", "text": "Record an external validation"}
    if kind in EVIDENCE_HELP:
        href, how = EVIDENCE_HELP[kind]
        link = {"href": href, "text": "Go to data quality"} if href else {}
        if kind == "evaluation":
            link = {
                "href": f"{base}/instruments/success_criteria",
                "text": "See the thresholds set at design",
            }
        return link | {"how": how.format(name=name)}
    return {}


def _owner(settings: Any, actor: svc.Actor, name: str) -> dict[str, Any]:
    try:
        return svc.answers_of(settings, actor, name, "project_profile")["answers"]
    except UsageError:
        return {}


def _project_context(request: Request, principal: Principal, name: str) -> dict[str, Any]:
    settings = get_settings(request)
    actor = _actor(principal)
    status = svc.status(settings, actor, name)
    targets = svc.gate_targets(status["stage"])
    conditions = []
    for condition in status["gate"]["conditions"]:
        text, colour = STATUS_TAGS.get(condition["status"], (condition["status"], "grey"))
        conditions.append(
            condition | {"tag": text, "colour": colour, "fix": _fix_link(name, condition, targets)}
        )
    instruments = svc.list_instruments(settings)
    return {
        "title": f"Project {status['title']}",
        "status": status,
        "conditions": conditions,
        "profile": _owner(settings, actor, name),
        "instruments": instruments,
        "stages": _stage_labels(),
        "can_edit": is_allowed(principal, Permission.GOVERNANCE_EDIT),
        "can_sign": is_allowed(principal, Permission.GOVERNANCE_SIGN_OFF),
        "output": f"/projects/{name}",
    }


def _stage_labels() -> dict[str, str]:
    labels = {}
    for stage in svc.Stage:
        spec = svc.stage_spec(svc.load_stages(), stage)
        labels[str(stage)] = f"{stage.ordinal + 1}. {spec.label}"
    return labels


# --- projects ----------------------------------------------------------------------------------------


@router.get("/projects")
def projects(request: Request, principal: Principal = VIEW) -> Response:
    return _projects_page(request, principal)


def _projects_page(
    request: Request, principal: Principal, *, error: KinsightError | None = None, form: dict | None = None
) -> Response:
    items = svc.list_projects(get_settings(request), _actor(principal))
    return render(
        request,
        "governance/projects.html",
        {
            "title": "Projects",
            "projects": items,
            "stages": _stage_labels(),
            "can_edit": is_allowed(principal, Permission.GOVERNANCE_EDIT),
            "error": error,
            "form": form or {},
        },
        status_code=422 if error else 200,
    )


@router.post("/projects")
def create_project(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    principal: Principal = EDIT,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        created = svc.create_project(
            get_settings(request), _actor(principal), name.strip(), title=title.strip() or None
        )
    except KinsightError as error:
        if isinstance(error, UsageError | NotFoundError) or error.http_status == 409:
            return _projects_page(request, principal, error=error, form={"name": name, "title": title})
        raise
    return RedirectResponse(f"/projects/{created['name']}", status_code=303)


@router.get("/projects/{name}")
def project_page(request: Request, name: str, principal: Principal = VIEW) -> Response:
    return render(request, "governance/project.html", _project_context(request, principal, name))


@router.post("/projects/{name}/advance")
def advance(
    request: Request, name: str, csrf_token: Annotated[str, Form()] = "", principal: Principal = EDIT
) -> Response:
    check_csrf(request, csrf_token)
    try:
        svc.advance(get_settings(request), _actor(principal), name)
    except GateNotMetError as refused:
        context = _project_context(request, principal, name)
        context["refusal"] = refused.details.get("unmet", [])
        return render(request, "governance/project.html", context, status_code=409)
    return RedirectResponse(f"/projects/{name}?moved=forward", status_code=303)


# --- going back --------------------------------------------------------------------------------------


@router.get("/projects/{name}/back")
def back_form(request: Request, name: str, principal: Principal = EDIT) -> Response:
    return _back_page(request, principal, name)


def _back_page(
    request: Request, principal: Principal, name: str, *, error: str | None = None, form: dict | None = None
) -> Response:
    status = svc.status(get_settings(request), _actor(principal), name)
    return render(
        request,
        "governance/back.html",
        {
            "title": "Go back to an earlier stage",
            "status": status,
            "stages": _stage_labels(),
            "error": error,
            "form": form or {},
        },
        status_code=422 if error else 200,
    )


@router.post("/projects/{name}/back")
def back(
    request: Request,
    name: str,
    csrf_token: Annotated[str, Form()] = "",
    to: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    principal: Principal = EDIT,
) -> Response:
    check_csrf(request, csrf_token)
    form = {"to": to, "reason": reason}
    if not to:
        return _back_page(request, principal, name, error="Choose the stage to go back to", form=form)
    try:
        svc.move_back(get_settings(request), _actor(principal), name, to=to, reason=reason)
    except (UsageError, ValueError) as error:
        message = error.message if isinstance(error, UsageError) else "Choose one of the stages listed"
        return _back_page(request, principal, name, error=message, form=form)
    return RedirectResponse(f"/projects/{name}?moved=back", status_code=303)


# --- instruments -------------------------------------------------------------------------------------


def _instrument_page(
    request: Request,
    principal: Principal,
    name: str,
    instrument_id: str,
    *,
    state: forms.FormState | None = None,
    status_code: int = 200,
) -> Response:
    settings = get_settings(request)
    instrument = svc.instrument_definition(settings, instrument_id)
    current: dict[str, Any] = {}
    version = None
    if state is None:
        try:
            saved = svc.answers_of(settings, _actor(principal), name, instrument_id)
            current, version = saved["answers"], saved["version"]
        except UsageError:
            current = {}
        state = forms.FormState(values=current)
    questions = []
    for question in instrument["questions"]:
        value = state.values.get(question["id"])
        item = question | {
            "anchor": forms.anchor(question["id"]),
            "value": value,
            "error": state.errors.get(forms.anchor(question["id"])),
        }
        if question["type"] == "date":
            item["parts"] = forms.date_parts(value)
        if question["type"] == "table":
            rows = forms.table_rows_for_display(question, value)
            item["rows"] = [
                [
                    column
                    | {
                        "anchor": forms.anchor(question["id"], i, column["id"]),
                        "value": row.get(column["id"]),
                        "error": state.errors.get(forms.anchor(question["id"], i, column["id"])),
                    }
                    for column in question["columns"]
                ]
                for i, row in enumerate(rows)
            ]
        questions.append(item)
    return render(
        request,
        "governance/instrument.html",
        {
            "title": instrument["title"],
            "name": name,
            "instrument": instrument,
            "questions": questions,
            "summary": state.summary,
            "version": version,
            "can_edit": is_allowed(principal, Permission.GOVERNANCE_EDIT),
        },
        status_code=status_code,
    )


@router.get("/projects/{name}/instruments/{instrument_id}")
def instrument_form(request: Request, name: str, instrument_id: str, principal: Principal = VIEW) -> Response:
    return _instrument_page(request, principal, name, instrument_id)


@router.post("/projects/{name}/instruments/{instrument_id}")
async def instrument_submit(
    request: Request, name: str, instrument_id: str, principal: Principal = EDIT
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    settings = get_settings(request)
    instrument = svc.instrument_definition(settings, instrument_id)
    answers = forms.answers_from_form(instrument, form)
    try:
        svc.answer(settings, _actor(principal), name, instrument_id, answers, replace=True)
    except UsageError as error:
        problems = list(error.details.get("problems") or [])
        state = forms.errors_from_problems(instrument, problems)
        if not state.summary:
            state.summary.append(forms.FieldError("#answers", error.message))
        state.values = answers
        return _instrument_page(request, principal, name, instrument_id, state=state, status_code=422)
    return RedirectResponse(f"/projects/{name}?saved={instrument_id}", status_code=303)


# --- sign-offs, validation, scope --------------------------------------------------------------------


@router.get("/projects/{name}/signoff")
def signoff_form(
    request: Request, name: str, role: str = "", subject: str = "", principal: Principal = SIGN
) -> Response:
    return _signoff_page(request, principal, name, form={"role": role, "subject": subject})


def _signoff_page(
    request: Request,
    principal: Principal,
    name: str,
    *,
    form: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    status = svc.status(get_settings(request), _actor(principal), name)
    targets = svc.gate_targets(status["stage"])
    open_items = [
        {"role": targets[c["id"]]["role"], "subject": targets[c["id"]]["subject"], "label": c["label"]}
        for c in status["gate"]["conditions"]
        if c["kind"] == "signoff" and not c["met"]
    ]
    return render(
        request,
        "governance/signoff.html",
        {
            "title": "Record a sign-off",
            "status": status,
            "roles": [str(r) for r in svc.SignoffRole],
            "open_items": open_items,
            "form": form,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.post("/projects/{name}/signoff")
def signoff(
    request: Request,
    name: str,
    csrf_token: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    subject: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    principal: Principal = SIGN,
) -> Response:
    check_csrf(request, csrf_token)
    form = {"role": role, "subject": subject.strip(), "note": note}
    errors = {}
    if role not in {str(r) for r in svc.SignoffRole}:
        errors["role"] = "Choose the role you are signing as"
    if not subject.strip():
        errors["subject"] = "Say what you are signing off, for example business_case"
    if errors:
        return _signoff_page(request, principal, name, form=form, errors=errors, status_code=422)
    try:
        svc.signoff(
            get_settings(request),
            _actor(principal),
            name,
            role=role,
            user=principal.username,
            subject=subject.strip(),
            note=note.strip(),
        )
    except PermissionDeniedError as refused:
        errors = {"role": f"{refused.message} {refused.hint}".strip()}
        return _signoff_page(request, principal, name, form=form, errors=errors, status_code=403)
    return RedirectResponse(f"/projects/{name}?signed={subject.strip()}", status_code=303)


@router.get("/projects/{name}/validation")
def validation_form(request: Request, name: str, principal: Principal = EDIT) -> Response:
    return _simple_form(request, principal, name, "validation")


def _simple_form(
    request: Request,
    principal: Principal,
    name: str,
    which: str,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    status = svc.status(get_settings(request), _actor(principal), name)
    titles = {"validation": "Record an external validation", "scope": "Record a change of scope"}
    return render(
        request,
        f"governance/{which}.html",
        {"title": titles[which], "status": status, "form": form or {}, "errors": errors or {}},
        status_code=422 if errors else 200,
    )


@router.post("/projects/{name}/validation")
def validation(
    request: Request,
    name: str,
    csrf_token: Annotated[str, Form()] = "",
    validator: Annotated[str, Form()] = "",
    organisation: Annotated[str, Form()] = "",
    validated: Annotated[str, Form()] = "",
    summary: Annotated[str, Form()] = "",
    principal: Principal = EDIT,
) -> Response:
    check_csrf(request, csrf_token)
    form = {"validator": validator, "organisation": organisation, "validated": validated, "summary": summary}
    errors = {}
    if not validator.strip():
        errors["validator"] = "Enter the name of the person who validated the tool"
    if not organisation.strip():
        errors["organisation"] = "Enter their organisation"
    if validated not in ("yes", "no"):
        errors["validated"] = "Say whether they validated the tool"
    if not summary.strip():
        errors["summary"] = "Summarise what they checked and found"
    if errors:
        return _simple_form(request, principal, name, "validation", form=form, errors=errors)
    svc.record_validation(
        get_settings(request),
        _actor(principal),
        name,
        validator=validator.strip(),
        organisation=organisation.strip(),
        validated=validated == "yes",
        summary=summary.strip(),
        validated_on=dt.date.today(),
    )
    return RedirectResponse(f"/projects/{name}?validated=1", status_code=303)


@router.get("/projects/{name}/scope-change")
def scope_form(request: Request, name: str, principal: Principal = EDIT) -> Response:
    return _simple_form(request, principal, name, "scope")


@router.post("/projects/{name}/scope-change")
def scope_change(
    request: Request,
    name: str,
    csrf_token: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    principal: Principal = EDIT,
) -> Response:
    check_csrf(request, csrf_token)
    if not description.strip():
        return _simple_form(
            request,
            principal,
            name,
            "scope",
            form={"description": description},
            errors={"description": "Describe how the scope changed"},
        )
    svc.scope_change(get_settings(request), _actor(principal), name, description=description.strip())
    return RedirectResponse(f"/projects/{name}?scope=1", status_code=303)


# --- risk log, history, exports ------------------------------------------------------------------------


@router.get("/projects/{name}/risks")
def risks(request: Request, name: str, principal: Principal = VIEW) -> Response:
    settings = get_settings(request)
    status = svc.status(settings, _actor(principal), name)
    return render(
        request,
        "governance/risks.html",
        {
            "title": "Risk log",
            "status": status,
            "risks": svc.risk_log(settings, _actor(principal), name),
            "can_edit": is_allowed(principal, Permission.GOVERNANCE_EDIT),
            "output": f"/projects/{name}/risks",
        },
    )


@router.get("/projects/{name}/history")
def history(request: Request, name: str, principal: Principal = VIEW) -> Response:
    settings = get_settings(request)
    status = svc.status(settings, _actor(principal), name)
    events = svc.history(settings, _actor(principal), name)
    return render(
        request, "governance/history.html", {"title": "History", "status": status, "events": events}
    )


@router.get("/projects/{name}/exports")
def exports(request: Request, name: str, principal: Principal = VIEW) -> Response:
    settings = get_settings(request)
    actor = _actor(principal)
    status = svc.status(settings, actor, name)
    atrs = svc.transparency_record(settings, actor, name)
    return render(
        request,
        "governance/exports.html",
        {
            "title": "Exports",
            "status": status,
            "exports": EXPORTS,
            "datasets": _owner(settings, actor, name).get("datasets") or [],
            "atrs": atrs,
            "can_publish": is_allowed(principal, Permission.GOVERNANCE_SIGN_OFF),
            "output": f"/projects/{name}/exports",
        },
    )


@router.get("/projects/{name}/exports/{fmt}")
def download(
    request: Request, name: str, fmt: str, dataset: str | None = None, principal: Principal = VIEW
) -> Response:
    if fmt not in EXPORTS:
        raise NotFoundError(f"There is no export called '{fmt}'.", hint=f"See /projects/{name}/exports.")
    if fmt == "datasheet" and not dataset:
        raise UsageError("Choose the dataset for the datasheet.", hint=f"See /projects/{name}/exports.")
    result = svc.export(get_settings(request), _actor(principal), name, fmt, dataset=dataset)
    path = Path(result["paths"][0])
    return FileResponse(path, media_type=EXPORTS[fmt][1], filename=f"{name}-{path.name}")


@router.post("/projects/{name}/publish")
def publish(
    request: Request, name: str, csrf_token: Annotated[str, Form()] = "", principal: Principal = SIGN
) -> Response:
    check_csrf(request, csrf_token)
    try:
        svc.publish_transparency_record(get_settings(request), _actor(principal), name)
    except GateNotMetError as refused:
        context = _project_context(request, principal, name)
        context["publish_refusal"] = refused.details.get("unmet", [])
        return render(request, "governance/project.html", context, status_code=409)
    return RedirectResponse("/transparency", status_code=303)


# --- the public transparency records ----------------------------------------------------------------


@router.get("/transparency")
def transparency(request: Request, principal: Principal | None = Depends(current_principal)) -> Response:
    records = svc.published_transparency_records(get_settings(request))
    return render(
        request,
        "governance/transparency.html",
        {"title": "Algorithmic transparency records", "records": records, "output": "/transparency"},
    )


def _published(request: Request, name: str) -> dict[str, Any]:
    for item in svc.published_transparency_records(get_settings(request)):
        if item["name"] == name:
            return item
    raise NotFoundError(
        f"No transparency record is published for '{name}'.", hint="See the list at /transparency."
    )


@router.get("/transparency/{name}.json")
def transparency_json(request: Request, name: str) -> Response:
    return JSONResponse(_published(request, name)["record"])


@router.get("/transparency/{name}")
def transparency_record(
    request: Request, name: str, principal: Principal | None = Depends(current_principal)
) -> Response:
    item = _published(request, name)
    return render(
        request,
        "governance/transparency_record.html",
        {"title": item["title"], "item": item, "output": f"/transparency/{name}"},
    )
