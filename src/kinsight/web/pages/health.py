"""``GET /healthz``: answers 200 without sign-in, for load balancers and the acceptance checks."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
