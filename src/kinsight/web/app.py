"""``create_app(settings)``: the whole web app, built from settings with no module-level state.

On start the app database is migrated (Alembic upgrade heads).  Front-end assets are served from the
package (``static/vendor``, built by ``scripts/build_assets.py``); when they are missing the app still
starts and logs a clear warning, and pages fall back to plain HTML.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from kinsight import __version__
from kinsight.services import auth
from kinsight.services.accounts import prepare_database
from kinsight.settings import Settings, load_settings
from kinsight.web import errors
from kinsight.web.areas import API_MODULES, PAGE_MODULES
from kinsight.web.nav import NavRegistry
from kinsight.web.security import SESSION_COOKIE
from kinsight.web.templating import build_environment

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
VENDOR = STATIC / "vendor"
ABSOLUTE_SESSION_SECONDS = 12 * 3600

API_DESCRIPTION = """Kinsight's JSON API.  Every path needs credentials: a bearer token
(`Authorization: Bearer kns_...`, made with `kinsight token create`) or a signed-in session.
Errors always have the shape `{"error": {"code": ..., "message": ..., "hint": ...}}`."""


def assets_present() -> bool:
    return (VENDOR / "govuk" / "govuk-frontend.min.css").exists() and (
        VENDOR / "htmx" / "htmx.min.js"
    ).exists()


#: Import string of the factory uvicorn calls in each worker process of ``kinsight serve --workers N``.
ENV_FACTORY = "kinsight.web.app:create_app_from_environment"


def create_app_from_environment() -> FastAPI:
    """The app built from ``KINSIGHT_*`` environment settings, for uvicorn's worker processes."""
    return create_app(load_settings())


def create_app(settings: Settings) -> FastAPI:
    prepare_database(settings)
    app = FastAPI(
        title="Kinsight",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.jinja = build_environment()
    app.state.nav = NavRegistry()
    app.state.oidc_enabled = auth.oidc_configured(settings)
    app.state.oidc_client = None
    app.state.assets_ok = assets_present()
    if not app.state.assets_ok:
        log.warning(
            "GOV.UK Frontend and htmx files are missing from %s: pages will be unstyled. "
            "Run `python scripts/build_assets.py` (needs npm) to fetch them.",
            VENDOR,
        )

    app.add_middleware(
        SessionMiddleware,
        secret_key=auth.secret_key(settings),
        session_cookie=SESSION_COOKIE,
        max_age=ABSOLUTE_SESSION_SECONDS,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    errors.install(app)

    VENDOR.mkdir(parents=True, exist_ok=True)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    govuk_assets = VENDOR / "govuk" / "assets"
    if govuk_assets.is_dir():
        # GOV.UK Frontend's stylesheet refers to its fonts and images under /assets.
        app.mount("/assets", StaticFiles(directory=govuk_assets), name="govuk-assets")

    for name in PAGE_MODULES:
        module = importlib.import_module(f"kinsight.web.pages.{name}")
        app.include_router(module.router)
        app.state.nav.add(*getattr(module, "NAV", ()))
    for name in API_MODULES:
        module = importlib.import_module(f"kinsight.web.api.{name}")
        app.include_router(module.router, prefix="/api/v1", responses=errors.API_ERROR_RESPONSES)
    return app
