"""``kinsight catalogue``: JSON list of dataset × table × year with rows, and set-owner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from kinsight.cli import catalogue, ingest, specs


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


def _load(tmp_path: Path, home: Path) -> None:
    for year, rows in (("2023-24", 3), ("2024-25", 5)):
        path = tmp_path / "returns" / year / "reviews.csv"
        path.parent.mkdir(parents=True)
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["CHILD", "DOB", "REVIEW", "REVIEW_CODE"])
            for i in range(rows):
                writer.writerow([str(i), "01/01/2015", f"0{i + 1}/06/{year[:4]}", "PN1" if i % 2 else ""])
    assert _run("ingest", str(tmp_path / "returns"), "--home", str(home), "--json").exit_code == 0


def test_catalogue_json_contract(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _load(tmp_path, home)
    result = _run("catalogue", "--json", "--home", str(home))
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [(e["dataset"], e["table"], e["year"], e["rows"]) for e in entries] == [
        ("ssda903", "reviews", "2023-24", 3),
        ("ssda903", "reviews", "2024-25", 5),
    ]
    fields = {f["name"]: f for f in entries[1]["fields"]}
    # 5 rows, REVIEW_CODE filled on rows 1 and 3 only: 3 of 5 blank = 60 %, one distinct value
    assert fields["REVIEW_CODE"] == {
        "name": "REVIEW_CODE",
        "type": "code",
        "missing_pct": 60.0,
        "distinct": 1,
    }
    assert fields["REVIEW"]["distinct"] == 5 and fields["REVIEW"]["type"] == "date"
    assert {"owner", "source", "loaded_at"} <= set(entries[0])


def test_set_owner_then_listing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _load(tmp_path, home)
    result = _run(
        "catalogue",
        "set-owner",
        "ssda903",
        "--owner",
        "CSC data team",
        "--source",
        "LCS export",
        "--home",
        str(home),
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "dataset": "ssda903",
        "owner": "CSC data team",
        "source": "LCS export",
    }
    entries = json.loads(_run("catalogue", "--json", "--home", str(home)).stdout)
    assert {(e["owner"], e["source"]) for e in entries} == {("CSC data team", "LCS export")}
    table = _run("catalogue", "--home", str(home))
    assert table.exit_code == 0 and "reviews" in table.stdout and "CSC data team" in table.stdout


def test_unknown_dataset_and_empty_home(tmp_path: Path) -> None:
    result = _run("catalogue", "set-owner", "nope", "--owner", "x", "--home", str(tmp_path / "home"))
    assert result.exit_code == 2 and "no dataset" in result.stderr
    empty = _run("catalogue", "--json", "--home", str(tmp_path / "empty"))
    assert empty.exit_code == 0 and json.loads(empty.stdout) == []
