"""Fixtures for ingest tests (helpers live in ingest_fixtures.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from kinsight.storage.analytical import open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_store(tmp_path / "home" / "store.duckdb") as con:
        yield con
