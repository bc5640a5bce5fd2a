"""Jinja set-up: our templates first, then the GOV.UK Frontend Jinja macros under their own prefix."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

TEMPLATES = Path(__file__).with_name("templates")


def build_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("kinsight.web", "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["words"] = lambda value: str(value).replace("_", " ")
    return env


def _when(value: datetime | None) -> str:
    if value is None:
        return "never"
    return value.strftime("%-d %B %Y at %H:%M") + " UTC"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page with what every page needs (the person, nav, CSRF token) added to its context."""
    from kinsight.web.security import csrf_token

    app = request.app
    principal = getattr(request.state, "principal", None)
    from kinsight.services.access import is_allowed

    nav = [
        item
        for item in app.state.nav.items
        if item.permission is None or is_allowed(principal, item.permission)
    ]
    page = {
        "request": request,
        "settings": app.state.settings,
        "principal": principal,
        "nav": nav if principal else [],
        "current_path": request.url.path,
        "csrf_token": csrf_token(request),
        "assets_ok": app.state.assets_ok,
        "oidc_enabled": app.state.oidc_enabled,
        **(context or {}),
    }
    html = app.state.jinja.get_template(template).render(page)
    return HTMLResponse(html, status_code=status_code)
