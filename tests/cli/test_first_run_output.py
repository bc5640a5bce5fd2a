"""What ``make run`` prints for a newcomer: demo accounts never cut short, a catalogue one row per table.

Under make there is no terminal, so Rich draws at 80 columns; the serve test reproduces that with an
80-column console and ``COLUMNS=80``.  Only the web server itself is left out (``uvicorn.run`` and the
app factory are replaced): what is printed does not depend on them, and building the whole site
takes many seconds.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from kinsight.cli import catalogue, ingest, platform, specs
from kinsight.services import accounts
from kinsight.settings import Settings


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Kinsight command line."""

    for module in (specs, ingest, catalogue):
        module.register(app)
    return app


def _run(*args: str):
    return CliRunner().invoke(_app(), list(args), env={"COLUMNS": "80"})


# Two SSDA903 tables over three years, with row counts chosen so every total is easy to check by hand.
ROWS = {
    ("reviews", "2022-23"): 2,
    ("reviews", "2023-24"): 3,
    ("reviews", "2024-25"): 4,
    ("missing", "2023-24"): 6,
    ("missing", "2024-25"): 5,
}


def _write_returns(root: Path) -> None:
    for (table, year), rows in ROWS.items():
        path = root / year / f"{table}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            if table == "reviews":
                writer.writerow(["CHILD", "DOB", "REVIEW", "REVIEW_CODE"])
                for i in range(rows):
                    # REVIEW_CODE blank on every row but the first: (rows - 1) of rows missing
                    code = "PN1" if i == 0 else ""
                    writer.writerow([str(i), "01/01/2015", f"0{i + 1}/06/{year[:4]}", code])
            else:
                writer.writerow(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
                for i in range(rows):
                    start, end = f"0{i + 1}/07/{year[:4]}", f"0{i + 2}/07/{year[:4]}"
                    writer.writerow([str(i), "01/01/2012", "M", start, end])


def _loaded_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    _write_returns(tmp_path / "returns")
    result = _run("ingest", str(tmp_path / "returns"), "--home", str(home))
    assert result.exit_code == 0, result.output
    return home


def test_serve_demo_prints_every_password_whole_at_80_columns(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    import kinsight.web

    served: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(kwargs))
    monkeypatch.setattr(kinsight.web, "create_app", lambda settings: object())
    monkeypatch.setattr(platform, "console", Console(width=80))
    monkeypatch.setenv("KINSIGHT_SECRET_KEY", sqlite_settings.secret_key or "")
    accounts.prepare_database(sqlite_settings)
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Kinsight command line."""

    platform.register(app)
    result = CliRunner().invoke(
        app, ["serve", "--demo", "--home", str(sqlite_settings.home)], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    assert served == [{"host": "127.0.0.1", "port": 8000, "log_level": "warning"}]
    out = result.stdout
    assert "…" not in out and "..." not in out
    lines = out.splitlines()
    for username, role, password in accounts.demo_accounts():
        # the user name, role and password of each account on one line, each word whole
        assert any(line.split() == [username, role.value, password] for line in lines), (username, out)
    assert "  http://127.0.0.1:8000/" in lines
    analyst = next(a for a in accounts.demo_accounts() if a[1].value == "analyst")
    assert f"  Sign in as {analyst[0]} with password {analyst[2]}" in lines


def test_catalogue_plain_output_has_one_row_per_table(tmp_path: Path) -> None:
    home = _loaded_home(tmp_path)
    result = _run("catalogue", "--home", str(home))
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith("  ") and line.split()]
    by_table = {r[0]: r for r in rows if r[0] in {"reviews", "missing"}}
    assert sum(1 for r in rows if r[0] in {"reviews", "missing"}) == 2
    # reviews: 2022-23 to 2024-25, 4 rows in the latest year, 2 + 3 + 4 = 9 in all;
    # REVIEW_CODE blank on 3 of the 4 latest rows = 75.0 %
    assert by_table["reviews"][1:6] == ["2022-23", "to", "2024-25", "4", "9"]
    assert by_table["reviews"][7:] == ["REVIEW_CODE", "75.0%"]
    # missing: 2023-24 to 2024-25, 5 latest, 6 + 5 = 11, nothing blank
    assert by_table["missing"][1:6] == ["2023-24", "to", "2024-25", "5", "11"]
    assert by_table["missing"][7:] == ["none", "blank"]
    assert "Children looked after (SSDA903) (ssda903)" in result.stdout
    assert "Owner: not recorded" in result.stdout


def test_catalogue_by_year_lists_each_year_and_json_is_unchanged(tmp_path: Path) -> None:
    home = _loaded_home(tmp_path)
    detailed = _run("catalogue", "--by-year", "--home", str(home))
    assert detailed.exit_code == 0, detailed.output
    listed = {
        (parts[0], parts[1], int(parts[2]))
        for parts in (line.split() for line in detailed.stdout.splitlines())
        if len(parts) > 2 and parts[0] in {"reviews", "missing"}
    }
    assert listed == {(table, year, rows) for (table, year), rows in ROWS.items()}
    as_json = _run("catalogue", "--json", "--by-year", "--home", str(home))
    entries = json.loads(as_json.stdout)
    assert sorted((e["table"], e["year"], e["rows"]) for e in entries) == sorted(
        (table, year, rows) for (table, year), rows in ROWS.items()
    )
    assert set(entries[0]) == {
        "dataset", "table", "year", "rows", "owner", "source", "loaded_at", "file", "fields"
    }


def test_ingest_plain_output_is_one_line_per_dataset_and_year(tmp_path: Path) -> None:
    _write_returns(tmp_path / "returns")
    result = _run("ingest", str(tmp_path / "returns"), "--home", str(tmp_path / "home"))
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.stdout.splitlines() if re.match(r"\s+ssda903\s", line)]
    expected = {}
    for (_, year), rows in ROWS.items():
        tables, total = expected.get(year, (0, 0))
        expected[year] = (tables + 1, total + rows)
    assert {(p[1], int(p[2]), int(p[4])) for p in lines} == {(y, t, n) for y, (t, n) in expected.items()}
    assert len(lines) == len(expected)
    assert "5 tables loaded, 0 replaced, 0 unchanged; 20 rows" in result.stdout
