"""Data-quality audit: a rule engine over the typed tables, generic checks, findings, scores and reports.

Rules are data (``kinsight.rules`` packs, see docs/RULES.md): single-table checks are compiled into one
query per table, cross-table and cross-year rules are small SQL modules.  Everything runs on DuckDB over
the typed tables the ingest step built, for one collection year at a time.
"""
