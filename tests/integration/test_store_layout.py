"""How ingest lays a large file out in the store: row groups of ``ROW_GROUP_SIZE`` rows, written on
several threads, committed straight into the file, and the file's order still there for readers that ask
for it.

The file is written here with the ``csv`` module, and what comes back is compared with it.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import duckdb
import pytest

from kinsight.errors import ConfigurationError
from kinsight.ingest import ingest_files
from kinsight.services.ingest import ingest
from kinsight.settings import Settings, load_settings
from kinsight.storage.analytical import ROW_GROUP_SIZE, file_order, open_store

ROWS = 60_000  # several row groups, and enough Arrow batches for DuckDB to insert on more than one thread


@pytest.fixture()
def loaded(tmp_path: Path) -> tuple[Settings, list[str]]:
    folder = tmp_path / "2025-26"
    folder.mkdir()
    children = [f"C{(i * 7919) % 1_000_003:07d}" for i in range(ROWS)]  # not in sorted order
    with (folder / "header.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        for i, child in enumerate(children):
            writer.writerow([child, "1" if i % 2 else "2", f"{i % 28 + 1:02d}/03/2015", "WBRI", "", "", ""])
    settings = load_settings(tmp_path / "home")
    ingest(settings, [folder])
    return settings, children


def test_large_files_are_stored_in_groups_of_at_most_row_group_size(
    loaded: tuple[Settings, list[str]],
) -> None:
    settings, _ = loaded
    with duckdb.connect(str(settings.store_path), read_only=True) as con:
        groups = con.execute(
            "SELECT row_group_id, sum(count) FROM pragma_storage_info('ssda903_header')"
            " WHERE column_path = '[0]' GROUP BY ALL"
        ).fetchall()
    sizes = [int(rows) for _, rows in groups]
    assert sum(sizes) == ROWS
    assert max(sizes) <= ROW_GROUP_SIZE
    assert len(sizes) >= math.ceil(ROWS / ROW_GROUP_SIZE)


def test_a_reader_asking_for_file_order_gets_the_files_order(loaded: tuple[Settings, list[str]]) -> None:
    settings, children = loaded
    with open_store(settings.store_path, read_only=True) as con:
        order = file_order(con, "ssda903_header")
        rows = con.execute(f"SELECT _row, CHILD FROM ssda903_header{order}").fetchall()
        raw = con.execute(f"SELECT CHILD FROM raw_ssda903_header{file_order(con, 'raw_ssda903_header')}")
        raw_children = [child for (child,) in raw.fetchall()]
    assert order == " ORDER BY collection_year, _row"
    assert [child for _, child in rows] == children == raw_children
    assert [row for row, _ in rows] == sorted(row for row, _ in rows)


def test_a_table_made_by_hand_has_no_file_order(tmp_path: Path) -> None:
    with open_store(tmp_path / "store.duckdb") as con:
        con.execute("CREATE TABLE made (CHILD VARCHAR)")
        assert file_order(con, "made") == ""


def test_writing_while_this_process_reads_the_store_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with open_store(path):
        pass
    with (
        open_store(path, read_only=True),
        pytest.raises(ConfigurationError, match="cannot open the analytical store"),
        open_store(path),
    ):
        pass
    with open_store(path) as con:  # and once the reader has gone, the writer opens
        assert con.execute("SELECT count(*) FROM _files").fetchone() == (0,)


def test_a_large_ingest_commits_straight_into_the_file_and_a_small_change_through_the_log(
    tmp_path: Path,
) -> None:
    """A large change would otherwise be written twice: to the write-ahead log at commit and into the
    file when the connection closes.  Either way every row is there when the store is opened again.  The
    file has fewer rows than a row group, so DuckDB cannot write them out early while they go in."""
    rows = ROW_GROUP_SIZE - 1
    folder = tmp_path / "2025-26"
    folder.mkdir()
    with (folder / "header.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        for i in range(rows):
            writer.writerow([f"C{i:07d}", "1", f"{i % 28 + 1:02d}/03/2015", "WBRI", f"A{i:012d}", "", ""])
    path = tmp_path / "store.duckdb"
    log = path.with_name(path.name + ".wal")
    with open_store(path) as con:
        ingest_files(con, [folder])
        assert not log.exists() or log.stat().st_size < 1_000_000
        con.execute("CREATE TABLE small (CHILD VARCHAR)")
        con.execute("INSERT INTO small VALUES ('C1')")
        assert log.exists() and 0 < log.stat().st_size < 1_000_000
    with open_store(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ssda903_header").fetchone() == (rows,)
        assert con.execute("SELECT * FROM small").fetchall() == [("C1",)]
