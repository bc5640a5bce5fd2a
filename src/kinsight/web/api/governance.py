"""``/api/v1/projects``: the governance lifecycle as JSON, mirroring ``kinsight project ...``.

Same permissions as the pages (view, edit, sign off), same services, same one error shape.  A refused
advance answers 409 with ``error.code == "gate_not_met"`` and every unmet condition in
``error.details.unmet``.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.roles import Permission
from kinsight.services import governance as svc
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require

router = APIRouter(tags=["governance"])

VIEW = Depends(require(Permission.GOVERNANCE_VIEW))
EDIT = Depends(require(Permission.GOVERNANCE_EDIT))
SIGN = Depends(require(Permission.GOVERNANCE_SIGN_OFF))

ExportFormat = StrEnum("ExportFormat", {f.replace("-", "_").upper(): f for f in svc.EXPORT_FORMATS})  # type: ignore[misc]
StageName = StrEnum("StageName", {s.name: s.value for s in svc.Stage})  # type: ignore[misc]
SignoffRoleName = StrEnum("SignoffRoleName", {r.name: r.value for r in svc.SignoffRole})  # type: ignore[misc]

GATE_REFUSED = {409: {"description": "The gate is not met: error.details.unmet lists every unmet condition."}}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewProject(_Body):
    name: str = Field(min_length=1, max_length=80, description="Short name: letters, digits, - and _")
    title: str | None = Field(default=None, max_length=200)


class MoveBack(_Body):
    to: StageName  # type: ignore[valid-type]
    reason: str = Field(min_length=1, max_length=2000)


class Answers(_Body):
    answers: dict[str, Any] = Field(description="Question id to answer, as in the instrument")
    replace: bool = Field(default=False, description="Replace the previous answers instead of merging")


class NewSignoff(_Body):
    role: SignoffRoleName  # type: ignore[valid-type]
    subject: str | None = Field(default=None, max_length=100, description="Default: the first awaiting one")
    note: str = Field(default="", max_length=2000)


class NewValidation(_Body):
    validator: str = Field(min_length=1, max_length=200)
    organisation: str = Field(min_length=1, max_length=200)
    validated: bool
    summary: str = Field(min_length=1, max_length=4000)
    validated_on: dt.date | None = None


class ScopeChange(_Body):
    description: str = Field(min_length=1, max_length=4000)


class ExportRequest(_Body):
    format: ExportFormat  # type: ignore[valid-type]
    dataset: str | None = Field(default=None, max_length=100)


def _actor(principal: Principal) -> svc.Actor:
    return svc.Actor(user=principal.username, role=principal.role.value)


@router.get("/instruments", summary="Every instrument (questionnaire) a project answers")
def instruments(request: Request, principal: Principal = VIEW) -> list[dict[str, Any]]:
    return svc.list_instruments(get_settings(request))


@router.get("/instruments/{instrument_id}", summary="One instrument: its questions, help and answer types")
def instrument(request: Request, instrument_id: str, principal: Principal = VIEW) -> dict[str, Any]:
    return svc.instrument_definition(get_settings(request), instrument_id)


@router.get("/projects", summary="Every project with its current stage")
def list_projects(request: Request, principal: Principal = VIEW) -> list[dict[str, Any]]:
    return svc.list_projects(get_settings(request), _actor(principal))


@router.post("/projects", status_code=201, summary="Start a project at problem identification")
def create_project(request: Request, body: NewProject, principal: Principal = EDIT) -> dict[str, Any]:
    return svc.create_project(get_settings(request), _actor(principal), body.name, title=body.title)


@router.get("/projects/{name}", summary="Stage, the next gate with every condition, maturity and triage")
def project_status(request: Request, name: str, principal: Principal = VIEW) -> dict[str, Any]:
    return svc.status(get_settings(request), _actor(principal), name)


@router.post(
    "/projects/{name}/advance",
    summary="Move to the next stage if its gate is met (409 naming every unmet condition if not)",
    responses=GATE_REFUSED,
)
def advance(request: Request, name: str, principal: Principal = EDIT) -> dict[str, Any]:
    return svc.advance(get_settings(request), _actor(principal), name)


@router.post("/projects/{name}/back", summary="Go back to an earlier stage, with a reason")
def move_back(request: Request, name: str, body: MoveBack, principal: Principal = EDIT) -> dict[str, Any]:
    return svc.move_back(get_settings(request), _actor(principal), name, to=body.to, reason=body.reason)


@router.get("/projects/{name}/answers/{instrument_id}", summary="The latest answers to one instrument")
def get_answers(
    request: Request, name: str, instrument_id: str, version: int | None = None, principal: Principal = VIEW
) -> dict[str, Any]:
    return svc.answers_of(get_settings(request), _actor(principal), name, instrument_id, version=version)


@router.post(
    "/projects/{name}/answers/{instrument_id}",
    status_code=201,
    summary="Record a new version of the answers (checked against the instrument)",
)
def post_answers(
    request: Request, name: str, instrument_id: str, body: Answers, principal: Principal = EDIT
) -> dict[str, Any]:
    return svc.answer(
        get_settings(request), _actor(principal), name, instrument_id, body.answers, replace=body.replace
    )


@router.post("/projects/{name}/signoffs", status_code=201, summary="Sign off in your own name")
def signoff(request: Request, name: str, body: NewSignoff, principal: Principal = SIGN) -> dict[str, Any]:
    return svc.signoff(
        get_settings(request),
        _actor(principal),
        name,
        role=body.role,
        user=principal.username,
        subject=body.subject,
        note=body.note,
    )


@router.post("/projects/{name}/validations", status_code=201, summary="Record an external validation")
def validation(
    request: Request, name: str, body: NewValidation, principal: Principal = EDIT
) -> dict[str, Any]:
    return svc.record_validation(
        get_settings(request),
        _actor(principal),
        name,
        validator=body.validator,
        organisation=body.organisation,
        validated=body.validated,
        summary=body.summary,
        validated_on=body.validated_on,
    )


@router.post(
    "/projects/{name}/scope-changes",
    status_code=201,
    summary="Record a change of scope (reopens the ethics triage and impact assessments)",
)
def scope_change(
    request: Request, name: str, body: ScopeChange, principal: Principal = EDIT
) -> dict[str, Any]:
    return svc.scope_change(get_settings(request), _actor(principal), name, description=body.description)


@router.get("/projects/{name}/risks", summary="The latest version of every logged risk, with its level")
def risks(request: Request, name: str, principal: Principal = VIEW) -> list[dict[str, Any]]:
    return svc.risk_log(get_settings(request), _actor(principal), name)


@router.get("/projects/{name}/history", summary="Every recorded event of the project, oldest first")
def history(request: Request, name: str, principal: Principal = VIEW) -> list[dict[str, Any]]:
    return svc.history(get_settings(request), _actor(principal), name)


@router.get(
    "/projects/{name}/transparency-record",
    summary="The ATRS record as data, with required fields still missing and schema problems",
)
def transparency_record(request: Request, name: str, principal: Principal = VIEW) -> dict[str, Any]:
    return svc.transparency_record(get_settings(request), _actor(principal), name)


@router.post(
    "/projects/{name}/exports",
    status_code=201,
    summary="Write an export (ATRS, model card, datasheet, business case, DPIA annex) to the reports folder",
)
def export(request: Request, name: str, body: ExportRequest, principal: Principal = VIEW) -> dict[str, Any]:
    return svc.export(get_settings(request), _actor(principal), name, str(body.format), dataset=body.dataset)


@router.post(
    "/projects/{name}/publish",
    status_code=201,
    summary="Publish the transparency record (live or retired tools, complete, cleared)",
    responses=GATE_REFUSED,
)
def publish(request: Request, name: str, principal: Principal = SIGN) -> dict[str, Any]:
    return svc.publish_transparency_record(get_settings(request), _actor(principal), name)
