"""``kinsight synth --format xml``: the 903 return of each year as one XML file instead of CSVs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kinsight.cli.main import build_app


def test_format_xml_writes_one_903_file_per_year(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    args = ["synth", str(out), "--children", "60", "--years", "2024-2025", "--datasets", "ssda903"]
    result = CliRunner().invoke(build_app(), [*args, "--format", "xml", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [y["files"] for y in summary["per_year"]] == [1, 1]
    for year in ("2023-24", "2024-25"):
        files = sorted(p.name for p in (out / "ssda903" / year).iterdir())
        assert files == ["ssda903.xml"]
        head = (out / "ssda903" / year / "ssda903.xml").read_text(encoding="utf-8")[:200]
        assert "<EXPSSDA903>" in head


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["synth", str(tmp_path / "x"), "--children", "20", "--format", "parquet", "--json"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown SSDA903 format 'parquet'" in result.stderr


def test_help_explains_the_format_option() -> None:
    result = CliRunner().invoke(build_app(), ["synth", "--help"])
    assert result.exit_code == 0
    assert "--format" in result.stdout and "EXPSSDA903" in result.stdout
