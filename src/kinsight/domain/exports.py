"""The documents a governance project can be exported as (kinsight project export --format ...).

Kept in the domain layer, apart from the governance service, so the CLI can list them in ``--help``
without loading the service and its database code.
"""

from __future__ import annotations

EXPORT_FORMATS: tuple[str, ...] = (
    "atrs-json",
    "atrs-html",
    "model-card",
    "datasheet",
    "business-case",
    "business-case-pdf",
    "dpia-annex",
    "dpia-annex-pdf",
)
