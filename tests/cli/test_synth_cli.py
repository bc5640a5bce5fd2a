"""``kinsight synth``: the CLI contract (arguments, --json on stdout only, errors with exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kinsight.cli.main import build_app


def test_synth_json_summary(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        build_app(), ["synth", str(out), "--children", "120", "--years", "2024-2025", "--seed", "4", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["years"] == ["2023-24", "2024-25"]
    assert [y["year"] for y in summary["per_year"]] == ["2023-24", "2024-25"]
    assert summary["faults"] == 0
    assert (out / "ssda903" / "2024-25" / "episodes.csv").exists()
    assert (out / "cin_census" / "2023-24" / "cin_census.xml").exists()
    assert (out / "identities" / "people.csv").exists()
    assert json.loads((out / "faults.json").read_text()) == []


def test_synth_table_output_and_datasets(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        build_app(), ["synth", str(out), "--children", "100", "--years", "2025-2025", "--datasets", "ssda903"]
    )
    assert result.exit_code == 0, result.output
    assert "2024-25" in result.stdout
    assert not (out / "cin_census").exists()


def test_synth_bad_years_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(build_app(), ["synth", str(tmp_path / "x"), "--years", "2025"])
    assert result.exit_code == 2


def test_synth_help_teaches() -> None:
    result = CliRunner().invoke(build_app(), ["synth", "--help"])
    assert result.exit_code == 0
    assert "--faults" in result.stdout and "kinsight synth demo-data" in result.stdout
