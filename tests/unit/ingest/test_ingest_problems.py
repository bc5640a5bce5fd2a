"""Bad values found after typing straight into the store agree with a plain Python check, value by value;
and a run of several years is written all or nothing."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest
from ingest_fixtures import EPISODE_COLUMNS, HEADER_COLUMNS, expected_problems, is_date, write_csv

from kinsight.ingest import ingest_files
from kinsight.ingest import run as ingest_run

YEAR = "2025-26"


def _random_episodes(seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    dates = [
        "01/05/2025",
        "2025-06-30",
        "31/02/2025",
        "1/5/25",
        "banana",
        "",
        "  ",
        "15/13/2025",
        "29/02/2024",
    ]
    rne = ["S", "P", "L", "Q", "s", ""]
    rows = []
    for i in range(250):
        row = {c: "" for c in EPISODE_COLUMNS}
        row.update(CHILD=f"C{i % 40}", DECOM=rng.choice(dates), DEC=rng.choice(dates), RNE=rng.choice(rne))
        rows.append([row[c] for c in EPISODE_COLUMNS])
    return rows


def test_bad_dates_and_codes_match_a_python_check(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = _random_episodes(3)
    write_csv(tmp_path / YEAR / "episodes.csv", EPISODE_COLUMNS, rows)
    ingest_files(store, [tmp_path / YEAR])
    got = {
        (r, f, c)
        for r, f, c in store.execute(
            "SELECT \"row\", field, code FROM _ingest_findings WHERE code IN ('bad_date', 'unknown_code')"
        ).fetchall()
    }
    expected = expected_problems(rows, YEAR)
    assert got == expected
    assert any(c == "bad_date" for _, _, c in expected) and any(c == "unknown_code" for _, _, c in expected)
    typed = store.execute(
        "SELECT count(*) FILTER (WHERE DECOM IS NOT NULL), count(*) FROM ssda903_episodes"
    ).fetchone()
    assert typed == (sum(1 for r in rows if is_date(r[1].strip())), len(rows))


def test_a_failure_in_a_later_year_leaves_the_store_as_it_was(
    store: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for year in ("2024-25", "2025-26"):
        write_csv(
            tmp_path / year / "header.csv", HEADER_COLUMNS, [["C1", "1", "01/01/2012", "WBRI", "", "", ""]]
        )
    real = ingest_run.write_submission
    calls = []

    def failing(con, spec, year, reads, **kw):  # type: ignore[no-untyped-def]
        calls.append(year)
        if year == "2025-26":
            raise RuntimeError("disk full")
        return real(con, spec, year, reads, **kw)

    monkeypatch.setattr(ingest_run, "write_submission", failing)
    before = store.execute("SELECT count(*) FROM _files").fetchone()
    with pytest.raises(RuntimeError):
        ingest_files(store, [tmp_path])
    assert calls == ["2024-25", "2025-26"]
    assert store.execute("SELECT count(*) FROM _files").fetchone() == before
    tables = {r[0] for r in store.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "ssda903_header" not in tables
