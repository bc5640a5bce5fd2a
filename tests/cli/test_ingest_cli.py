"""``kinsight ingest``: the CLI contract (paths, --year, --json on stdout only, exit codes)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import typer
from typer.testing import CliRunner

from kinsight.cli import catalogue, ingest, specs

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]


def _header_csv(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _app() -> typer.Typer:
    """Only this area's commands, registered as cli.main registers them (the full app imports every area)."""
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Kinsight command line."""

    for module in (specs, ingest, catalogue):
        module.register(app)
    return app


def _run(*args: str):
    return CliRunner().invoke(_app(), list(args))


def test_ingest_json_reports_each_table(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = _header_csv(
        tmp_path / "returns" / "header.csv",
        [["1", "M", "01/01/2015", "WBRI", "", "", ""], ["2", "F", "30/02/2016", "WBRI", "", "", ""]],
    )
    result = _run("ingest", str(path), "--year", "2024-25", "--home", str(home), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["tables"] == [
        {
            "dataset": "ssda903",
            "table": "header",
            "year": "2024-25",
            "file": str(path),
            "outcome": "loaded",
            "rows": 2,
            "findings": 1,
            "previous_rows": None,
        }
    ]
    assert body["summary"]["findings"] == 1
    con = duckdb.connect(str(home / "store.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM ssda903_header").fetchall() == [(2,)]
    finally:
        con.close()
    again = _run("ingest", str(path), "--year", "2024-25", "--home", str(home), "--json")
    assert json.loads(again.stdout)["tables"][0]["outcome"] == "unchanged"


def test_ingest_table_output(tmp_path: Path) -> None:
    path = _header_csv(tmp_path / "2024-25" / "header.csv", [["1", "M", "01/01/2015", "WBRI", "", "", ""]])
    result = _run("ingest", str(path.parent), "--home", str(tmp_path / "home"))
    assert result.exit_code == 0, result.output
    assert "loaded" in result.stdout and "1 tables loaded" in result.stdout


def test_unreadable_file_exits_3_and_names_it(tmp_path: Path) -> None:
    bad = tmp_path / "2024-25" / "header.csv"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    result = _run("ingest", str(bad), "--home", str(tmp_path / "home"), "--json")
    assert result.exit_code == 3
    assert result.stdout == ""
    error = json.loads(result.stderr.splitlines()[0])["error"]
    assert error["code"] == "unreadable_file" and error["details"]["file"] == str(bad)
    assert "empty" in error["message"]


def test_bad_year_is_a_usage_error(tmp_path: Path) -> None:
    path = _header_csv(tmp_path / "header.csv", [["1", "M", "01/01/2015", "WBRI", "", "", ""]])
    result = _run("ingest", str(path), "--year", "2024", "--home", str(tmp_path / "home"))
    assert result.exit_code == 2
    assert "collection year" in result.stderr


def test_help_teaches() -> None:
    result = _run("ingest", "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "--year" in result.stdout
