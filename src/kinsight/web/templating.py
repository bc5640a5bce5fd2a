"""Jinja set-up: our templates first, then the GOV.UK Frontend Jinja macros under their own prefix."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kinsight.domain.years import year_spans
from kinsight.errors import KinsightError

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
        # Templates ship inside the package and never change while the app runs: without this, every
        # render stats each template file (a few per cent of a page's time under load).
        auto_reload=False,
    )
    env.filters["when"] = _when
    env.filters["govuk_datetime"] = govuk_datetime
    env.filters["govuk_date"] = govuk_date
    env.filters["govuk_month"] = govuk_month
    env.filters["words"] = lambda value: str(value).replace("_", " ")
    env.globals["dataset_title"] = dataset_title
    env.globals["table_title"] = table_title
    env.globals["year_spans"] = year_spans
    env.globals["govuk_component"] = ComponentCache(env)
    return env


class ComponentCache:
    """Renders a GOV.UK Frontend component once per distinct set of parameters and reuses the HTML.

    The page chrome (skip link, service navigation, phase banner) is the same for everyone in a role on a
    given page, yet the govuk-frontend-jinja macros that draw it are the most expensive part of rendering
    a page.  Called from a template as ``govuk_component("service-navigation", {...})``; the parameters
    must be plain JSON values (the cache key is their JSON text).  Only for components without a
    ``caller`` block, whose output depends on nothing but their parameters.
    """

    def __init__(self, env: Environment, size: int = 2048) -> None:
        self._env = env
        self._render = lru_cache(maxsize=size)(self._render_uncached)

    def __call__(self, component: str, params: dict[str, Any]) -> Markup:
        return self._render(component, json.dumps(params, sort_keys=True))

    def _render_uncached(self, component: str, params_json: str) -> Markup:
        module = self._env.get_template(f"govuk_frontend_jinja/components/{component}/macro.html").module
        macro_name = "govuk" + "".join(part.title() for part in component.split("-"))
        return Markup(getattr(module, macro_name)(json.loads(params_json)))


# Kinsight stores times in UTC; people in English authorities read them on UK clocks (GMT or BST).
UK = ZoneInfo("Europe/London")


def _as_datetime(value: datetime | date | str) -> datetime | date:
    """Accept what pages are handed: datetimes, dates, or ISO text from JSON-shaped service results."""
    if isinstance(value, str):
        text = value.strip()
        return datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
    return value


def _uk_time(moment: datetime) -> datetime:
    """A naive datetime is UTC by the project's convention; show it on the UK clock."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UK)


def _clock(moment: datetime) -> str:
    """GOV.UK style times: 7:25am, 10am, 1:05pm, midday, midnight."""
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def govuk_date(value: datetime | date | str | None, empty: str = "never") -> str:
    """A date as GOV.UK writes it: "25 November 2026" (a datetime is first put on the UK clock)."""
    if value is None or value == "":
        return empty
    moment = _as_datetime(value)
    day = _uk_time(moment).date() if isinstance(moment, datetime) else moment
    return f"{day.day} {day:%B %Y}"


def govuk_month(value: datetime | date | str | None, empty: str = "never") -> str:
    """A month as GOV.UK writes it: "March 2028" (for monthly figures such as a forecast)."""
    text = govuk_date(value, empty)
    return text.split(" ", 1)[1] if text != empty and " " in text else text


def govuk_datetime(value: datetime | date | str | None, empty: str = "never") -> str:
    """A moment as GOV.UK writes it, on the UK clock: "25 November 2026 at 7:25am"."""
    if value is None or value == "":
        return empty
    moment = _as_datetime(value)
    if not isinstance(moment, datetime):
        return govuk_date(moment, empty)
    local = _uk_time(moment)
    return f"{local.day} {local:%B %Y} at {_clock(local)}"


def _when(value: datetime | date | str | None) -> str:
    """The older name of ``govuk_datetime``, kept so every template that uses it reads the same way."""
    return govuk_datetime(value)


def dataset_title(dataset: str) -> str:
    """The dataset's title from its spec ("Children in need census"); the key itself if it has none."""
    from kinsight.specs import load_spec

    try:
        return load_spec(dataset).title
    except KinsightError:
        return dataset


def table_title(dataset: str, table: str) -> str:
    """The DfE's own name for a table ("ChildProtectionPlans"), else the key."""
    from kinsight.specs import load_spec

    try:
        spec = load_spec(dataset).tables.get(table)
    except KinsightError:
        return table
    return spec.dfe_name if spec is not None else table


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
