"""The web areas.  Each module named here exposes ``router`` (an ``APIRouter``) and ``NAV`` (nav items).

A later issue adds its pages by writing ``kinsight/web/pages/<area>.py`` (and, for its JSON API,
``kinsight/web/api/<area>.py``) and naming it below, like the CLI's ``COMMAND_MODULES``.
"""

from __future__ import annotations

PAGE_MODULES = (
    "health", "auth", "home", "catalogue", "dictionary", "challenges", "audit", "users", "monitoring",
    "quality", "indicators", "forecast", "evaluation", "governance", "practitioner",
)
API_MODULES = (
    "me", "catalogue", "dictionary", "challenges", "audit", "users", "monitoring",
    "quality", "indicators", "forecast", "evaluation", "governance", "practitioner",
)
