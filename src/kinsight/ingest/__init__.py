"""Ingest: read return files (SSDA903 CSV, CIN census XML, local identities) into the analytical store."""

from kinsight.ingest.model import IngestResult, Outcome, TableOutcome
from kinsight.ingest.run import ingest_files

__all__ = ["IngestResult", "Outcome", "TableOutcome", "ingest_files"]
