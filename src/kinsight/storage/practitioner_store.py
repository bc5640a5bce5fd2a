"""Fast read-only access to the analytical store for per-request reads (the practitioner's child page).

Starting a DuckDB database instance costs about 60-80 ms here, whatever the file: more than half the
child page's budget.  Keeping a read-only connection open for the life of the web process would remove
that cost but hold a lock on the store file, so ``kinsight ingest`` (which needs the write lock) could
never run while the site is up.

So one in-memory DuckDB instance is kept per process and the store is ATTACHed to it read-only while
at least one request is reading, and DETACHed (releasing the file lock) as soon as the last reader
finishes.  Attaching costs about 1 ms.  Ingest is blocked only while a read is actually in progress,
exactly as it would be with a connection opened per request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kinsight.errors import ConfigurationError, NotFoundError

ALIAS = "kinsight_store"


class _SharedReader:
    """The process's in-memory instance and how many readers are using the attached store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._instance: duckdb.DuckDBPyConnection | None = None
        self._readers = 0
        self._attached: str | None = None

    def _base(self) -> duckdb.DuckDBPyConnection:
        if self._instance is None:
            self._instance = duckdb.connect(":memory:")
            self._instance.execute("SET enable_progress_bar = false")
        return self._instance

    def enter(self, path: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
        """A cursor on the attached store and True; or a private connection and False."""
        target = str(path.resolve())
        with self._lock:
            base = self._base()
            if self._readers == 0 or self._attached != target:
                if self._readers:
                    # another store is being read (tests with several homes): use a private instance
                    return _private(path), False
                quoted = target.replace("'", "''")
                try:
                    base.execute(f"ATTACH '{quoted}' AS {ALIAS} (READ_ONLY)")
                except duckdb.IOException as error:
                    raise ConfigurationError(
                        f"cannot read the analytical store {path}: {error}",
                        hint="Data is being loaded into it; try again when the load has finished.",
                    ) from error
                self._attached = target
            self._readers += 1
            cursor = base.cursor()
        cursor.execute(f"USE {ALIAS}")
        return cursor, True

    def leave(self, cursor: duckdb.DuckDBPyConnection) -> None:
        cursor.close()
        with self._lock:
            self._readers -= 1
            if self._readers == 0 and self._instance is not None:
                self._instance.execute(f"DETACH {ALIAS}")
                self._attached = None


def _private(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET enable_progress_bar = false")
    return con


_READER = _SharedReader()


@contextmanager
def read_store(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the store for one request; the file lock is released afterwards."""
    if not path.exists():
        raise NotFoundError(f"no analytical store at {path}", hint="Load data first: kinsight ingest PATH")
    con, shared = _READER.enter(path)
    try:
        yield con
    finally:
        if shared:
            _READER.leave(con)
        else:
            con.close()
