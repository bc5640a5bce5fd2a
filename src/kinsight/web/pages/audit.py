"""The audit log for information governance: recent records, flagged records, and a chain check.

The check uses htmx to update in place; with JavaScript off the same link opens a full page.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from kinsight.domain.roles import Permission
from kinsight.services import audit
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Audit log", "/audit", Permission.AUDIT_VIEW, order=80),)
PAGE_SIZE = 50


@router.get("/audit")
def audit_log(
    request: Request,
    page: int = 1,
    actor: str | None = None,
    action: str | None = None,
    principal: Principal = Depends(require(Permission.AUDIT_VIEW)),
) -> Response:
    page = max(1, min(page, 100000))
    settings = get_settings(request)
    rows = audit.recent(
        settings, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, actor=actor or None, action=action or None
    )
    return render(
        request,
        "pages/audit.html",
        {
            "title": "Audit log",
            "rows": rows,
            "flags": audit.flags(settings)[:100],
            "page": page,
            "actor": actor or "",
            "action": action or "",
            "page_size": PAGE_SIZE,
            "can_verify": is_allowed(principal, Permission.AUDIT_VERIFY),
        },
    )


@router.get("/audit/verify")
def audit_verify(
    request: Request, principal: Principal = Depends(require(Permission.AUDIT_VERIFY))
) -> Response:
    report = audit.verify(get_settings(request))
    fragment = request.headers.get("hx-request") == "true"
    return render(
        request,
        "pages/audit_verify_fragment.html" if fragment else "pages/audit_verify.html",
        {"title": "Audit log check", "report": report},
    )
