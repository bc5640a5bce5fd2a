"""The shared read-only reader: reads the store, and lets go of the file so ingest can write."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kinsight.errors import NotFoundError
from kinsight.storage.practitioner_store import read_store


def _store(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE OR REPLACE TABLE t AS SELECT range AS x FROM range(?)", [rows])
    con.close()


def test_reads_and_releases_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    _store(path, 3)
    with read_store(path) as con:
        assert con.execute("SELECT count(*) FROM t").fetchone() == (3,)
    _store(path, 5)  # a writer gets the file once the read is over
    with read_store(path) as con:
        assert con.execute("SELECT sum(x) FROM t").fetchone() == (10,)  # 0+1+2+3+4, the new data


def test_readers_overlap_and_a_second_store_is_read_privately(tmp_path: Path) -> None:
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    _store(first, 2)
    _store(second, 7)
    with read_store(first) as a, read_store(first) as b, read_store(second) as c:
        counts = [con.execute("SELECT count(*) FROM t").fetchone()[0] for con in (a, b, c)]  # type: ignore[index]
    assert counts == [2, 2, 7]
    _store(first, 1)  # every reader has let go
    _store(second, 1)


def test_a_missing_store_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError), read_store(tmp_path / "none.duckdb"):
        pass
