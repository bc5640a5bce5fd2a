"""Page routers, one module per area (see ``kinsight.web.areas``)."""
