"""``/api/v1/audit``: records, flags and the chain check, for information governance."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from kinsight.domain.roles import Permission
from kinsight.services import audit
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require

router = APIRouter(tags=["audit"])


def _row(r: audit.AuditRow) -> dict[str, Any]:
    return {
        "seq": r.seq,
        "at": r.at,
        "actor": r.actor,
        "action": r.action,
        "target": r.target,
        "outcome": r.outcome,
        "details": r.details,
        "flags": list(r.flags),
    }


@router.get("/audit", summary="Audit records, newest first")
def records(
    request: Request,
    limit: int = Query(default=50, ge=1, le=1000),
    offset: int = Query(default=0, ge=0, le=10**9),
    actor: str | None = None,
    action: str | None = None,
    principal: Principal = Depends(require(Permission.AUDIT_VIEW)),
) -> list[dict[str, Any]]:
    return [
        _row(r)
        for r in audit.recent(get_settings(request), limit=limit, offset=offset, actor=actor, action=action)
    ]


@router.get("/audit/flags", summary="Records flagged by the suspicious-access rules")
def flags(
    request: Request, principal: Principal = Depends(require(Permission.AUDIT_VIEW))
) -> list[dict[str, Any]]:
    return [_row(r) for r in audit.flags(get_settings(request))]


@router.get("/audit/verify", summary="Check the hash chain; names the first broken record")
def verify(
    request: Request, principal: Principal = Depends(require(Permission.AUDIT_VERIFY))
) -> dict[str, Any]:
    return audit.verify(get_settings(request)).as_dict()
