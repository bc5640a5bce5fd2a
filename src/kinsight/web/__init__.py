"""The web adapter: GOV.UK-styled pages and the JSON API.  Build it with ``create_app(settings)``."""

from kinsight.web.app import create_app

__all__ = ["create_app"]
