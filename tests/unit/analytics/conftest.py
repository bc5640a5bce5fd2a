"""Fixtures for the analytics tests; the table builders live in analytics_tables.py."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest
from analytics_tables import EPISODE_COLS, HEADER_COLS, make_table


@pytest.fixture
def store() -> Callable[..., duckdb.DuckDBPyConnection]:
    """Build a store from episodes, header (and optional other tables) rows."""

    def build(episodes: list[dict], header: list[dict], **others: tuple[dict[str, str], list[dict]]):
        con = duckdb.connect()
        make_table(con, "ssda903_episodes", EPISODE_COLS, episodes)
        make_table(con, "ssda903_header", HEADER_COLS, header)
        for name, (cols, rows) in others.items():
            make_table(con, name, cols, rows)
        return con

    return build
