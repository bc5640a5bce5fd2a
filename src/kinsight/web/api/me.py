"""``/api/v1/me`` and ``/api/v1/roles``: who is asking, and the role x permission matrix."""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from kinsight.domain.roles import Permission, load_matrix
from kinsight.services.access import permissions_of
from kinsight.services.auth import Principal
from kinsight.web.deps import require, signed_in

router = APIRouter(tags=["account"])


@router.get("/me", summary="Who you are signed in as, your role and what you may do")
def me(principal: Principal = Depends(signed_in)) -> dict[str, Any]:
    return {
        "username": principal.username,
        "display_name": principal.display_name,
        "role": principal.role.value,
        "la_code": principal.la_code,
        "via": principal.via,
        "permissions": sorted(p.value for p in permissions_of(principal)),
    }


@router.get("/roles", summary="The role x permission matrix and which fields each role may see")
def roles(principal: Principal = Depends(require(Permission.ROLES_VIEW))) -> dict[str, Any]:
    matrix = load_matrix()
    return {
        "roles": [
            {
                "role": r.role.value,
                "label": r.label,
                "purpose": r.purpose,
                "permissions": sorted(p.value for p in r.permissions),
                "privacy": sorted(c.value for c in r.privacy),
            }
            for r in matrix.roles
        ],
        "permissions": [
            {"permission": p.permission.value, "label": p.label, "sensitivity": p.sensitivity}
            for p in matrix.permissions
        ],
    }
