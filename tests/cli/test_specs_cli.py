"""``kinsight specs``: list the specs and show the one in force for a year."""

from __future__ import annotations

import json

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


def test_specs_list_json() -> None:
    result = _run("specs", "list", "--json")
    assert result.exit_code == 0, result.output
    assert [s["dataset"] for s in json.loads(result.stdout)] == ["cin_census", "identities", "ssda903"]


def test_show_json_is_the_spec_in_force() -> None:
    old = json.loads(_run("specs", "show", "ssda903", "--year", "2023-24", "--json").stdout)
    new = json.loads(_run("specs", "show", "ssda903", "--year", "2025-26", "--json").stdout)
    assert "swepisodes" in [t["table"] for t in new["tables"]]
    assert [c["code"] for c in old["codesets"]["sex"]["codes"]] == ["1", "2"]
    placements = {c["code"]: c["meaning"] for c in new["codesets"]["placement"]["codes"]}
    assert "H5" not in placements and placements["K3"] == "Registered supported accommodation"
    header = next(t for t in new["tables"] if t["table"] == "header")
    child = next(f for f in header["fields"] if f["name"] == "CHILD")
    assert child["privacy"] == "direct_identifier" and child["type"] == "string"


def test_show_prints_readable_tables() -> None:
    result = _run("specs", "show", "cin_census", "--year", "2025-26")
    assert result.exit_code == 0, result.output
    assert "preproceedings" in result.stdout and "Neglect" in result.stdout


def test_unknown_dataset_and_bad_year() -> None:
    assert _run("specs", "show", "nope", "--year", "2024-25").exit_code == 2
    bad = _run("specs", "show", "ssda903", "--year", "2024")
    assert bad.exit_code == 2 and "collection year" in bad.stderr
