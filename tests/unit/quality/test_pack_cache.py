"""The rule-pack cache returns exactly what parsing returns, and never a stale pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinsight.quality import pack_cache
from kinsight.quality.registry import _parse_pack, load_pack
from kinsight.rules import builtin_pack

ENTRY = """
- code: "900"
  message: "A test rule."
  severity: error
  years: ["2025-26"]
  tables: [header]
  sql: {sql}
  cases:
    pass: [{{header: [{{CHILD: "1", SEX: "M"}}]}}]
    fail: [{{header: [{{CHILD: "1", SEX: "X"}}]}}]
"""


@pytest.fixture(autouse=True)
def _cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KINSIGHT_CACHE_DIR", str(folder))
    return folder


def _pack(folder: Path, sql_text: str, sql_ref: str = "sql/900.sql") -> Path:
    (folder / "sql").mkdir(parents=True)
    (folder / "rules.yaml").write_text(ENTRY.format(sql=sql_ref))
    (folder / "sql" / "900.sql").write_text(sql_text)
    return folder


def _cached_files() -> list[Path]:
    return sorted(pack_cache.cache_dir().glob("*.pickle"))


def test_builtin_pack_from_cache_equals_a_fresh_parse() -> None:
    folder = builtin_pack("ssda903")
    assert folder is not None
    parsed, cacheable = _parse_pack(folder, "ssda903")
    assert cacheable
    first = load_pack(folder, dataset="ssda903")  # parses and stores
    assert len(_cached_files()) == 1
    second = load_pack(folder, dataset="ssda903")  # from the cache
    for rules in (first, second):
        assert [(r.code, r.years, r.sql_text, r.fails_when, r.tables, r.fields) for r in rules] == [
            (r.code, r.years, r.sql_text, r.fails_when, r.tables, r.fields) for r in parsed
        ]
        assert [r.cases for r in rules] == [r.cases for r in parsed]


def test_an_edited_sql_file_is_read_again(tmp_path: Path) -> None:
    pack = _pack(tmp_path / "pack", "SELECT 'header' AS table_name, _row, CHILD AS child FROM header WHERE 1")
    assert load_pack(pack, dataset="ssda903")[0].sql_text.endswith("WHERE 1")
    # Same size, written at once: only the contents tell the versions apart.
    (pack / "sql" / "900.sql").write_text(
        "SELECT 'header' AS table_name, _row, CHILD AS child FROM header WHERE 2"
    )
    assert load_pack(pack, dataset="ssda903")[0].sql_text.endswith("WHERE 2")


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    pack = _pack(tmp_path / "pack", "SELECT 'header' AS table_name, _row, CHILD AS child FROM header")
    expected = load_pack(pack, dataset="ssda903")
    (cached,) = _cached_files()
    cached.write_bytes(b"not a pickle")
    assert [r.sql_text for r in load_pack(pack, dataset="ssda903")] == [r.sql_text for r in expected]


def test_a_pack_reading_sql_outside_its_folder_is_not_cached(tmp_path: Path) -> None:
    (tmp_path / "shared.sql").write_text("SELECT 'header' AS table_name, _row, CHILD AS child FROM header")
    pack = _pack(tmp_path / "pack", "SELECT 1", sql_ref="../shared.sql")
    assert load_pack(pack, dataset="ssda903")[0].sql_text.startswith("SELECT 'header'")
    assert _cached_files() == []


def test_an_unwritable_cache_folder_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("KINSIGHT_CACHE_DIR", str(blocker))  # a file, so no folder can be made under it
    pack = _pack(tmp_path / "pack", "SELECT 'header' AS table_name, _row, CHILD AS child FROM header")
    assert [r.code for r in load_pack(pack, dataset="ssda903")] == ["900"]
