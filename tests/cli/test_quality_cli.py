"""The CLI contract: ``rules list --json`` and ``quality --json`` print only JSON with the agreed keys."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kinsight.cli.main import build_app


def test_rules_list_json() -> None:
    result = CliRunner().invoke(
        build_app(), ["rules", "list", "--dataset", "ssda903", "--year", "2025-26", "--json"]
    )
    assert result.exit_code == 0, result.output
    rules = json.loads(result.stdout)
    assert {"code", "message", "severity"} <= set(rules[0])
    assert {r["code"] for r in rules} >= {"101", "142", "205A", "392a"}


def test_quality_json_on_a_tiny_store(tmp_path: Path) -> None:
    data = tmp_path / "data" / "ssda903" / "2025-26"
    data.mkdir(parents=True)
    (data / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2015,WBRI,UN1,,\n2,X,01/01/2014,WBRI,UN1,,\n"
    )
    runner = CliRunner()
    home = str(tmp_path / "home")
    assert (
        runner.invoke(build_app(), ["ingest", str(tmp_path / "data" / "ssda903"), "--home", home]).exit_code
        == 0
    )
    result = runner.invoke(
        build_app(),
        ["quality", "--year", "2025-26", "--json", "--home", home, "--out", str(tmp_path / "rep")],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"findings", "rules_run", "rules_skipped", "rules_failed", "summary"} <= set(payload)
    sex = [f for f in payload["findings"] if f["rule"] == "101"]
    assert [(f["table"], f["row"], f["child"], f["severity"]) for f in sex] == [("header", 2, "2", "error")]
    assert (tmp_path / "rep" / "findings.xlsx").exists()


def test_check_json_reads_files_without_a_store(tmp_path: Path) -> None:
    data = tmp_path / "data" / "ssda903" / "2025-26"
    data.mkdir(parents=True)
    (data / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2015,WBRI,UN1,,\n2,X,31/02/2014,WBRI,UN1,,\n"
    )
    home = tmp_path / "home"
    result = CliRunner().invoke(
        build_app(),
        ["check", str(tmp_path / "data"), "--json", "--home", str(home), "--out", str(tmp_path / "rep")],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"findings", "rules_run", "rules_skipped", "rules_failed", "read_findings", "files"} <= set(
        payload
    )
    # the impossible date is a reading finding on its file, row and field
    bad = [f for f in payload["read_findings"] if f["field"] == "DOB"]
    assert [(Path(f["file"]).name, f["row"], f["code"]) for f in bad] == [("header.csv", 2, "bad_date")]
    assert {f["child"] for f in payload["findings"] if f["severity"] == "error"} >= {"2"}
    assert (tmp_path / "rep" / "findings.xlsx").exists()
    assert not (home / "store.duckdb").exists()


def test_check_refuses_a_folder_with_no_returns(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(
        build_app(), ["check", str(tmp_path / "empty"), "--home", str(tmp_path / "h")]
    )
    assert result.exit_code != 0
    assert "Error" in result.output
