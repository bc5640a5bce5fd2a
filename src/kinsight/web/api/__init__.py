"""JSON API routers under /api/v1, one module per area (see ``kinsight.web.areas``)."""
