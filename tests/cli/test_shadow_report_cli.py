"""`kinsight model shadow-report --group a,b`: the JSON shape, the HTML and PDF files, refusals, help."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from tests.shadow_decisions import decide_quickly
from typer.testing import CliRunner

from kinsight.cli.main import build_app
from kinsight.settings import Settings
from kinsight.storage.appdb import dispose_engine

runner = CliRunner()
N = 48


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A home with a shadow run keeping SEX and ETHNIC, and a decision for every child."""
    base = tmp_path_factory.mktemp("shadow_cli")
    home = base / "home"
    rng = np.random.default_rng(6)
    frame = pl.DataFrame(
        {
            "child": [f"C{i:02d}" for i in range(N)],
            "p": np.round(rng.random(N), 3),
            "happened": (rng.random(N) < 0.4).astype(int),
            "SEX": rng.choice(["F", "M"], N).tolist(),
            "ETHNIC": ["GRTH"] * 3 + rng.choice(["WBRI", "ASIA"], N - 3).tolist(),
        }
    )
    frame.write_csv(base / "preds.csv")
    h = ["--home", str(home), "--json"]
    for args in (
        ["model", "register", "risk", "--version", "1.0", "--mode", "shadow"],
        ["model", "shadow-run", "risk", "--predictions", str(base / "preds.csv"), "--subject", "child",
         "--score", "p", "--outcome", "happened", "--group", "SEX,ETHNIC"],
    ):  # fmt: skip
        result = runner.invoke(build_app(), [*args, *h])
        assert result.exit_code == 0, result.output
    settings = Settings(home=home)
    children = frame["child"].to_list()
    decide_quickly(
        settings, "risk", {c: "refer" if i % 3 == 0 else "no_further_action" for i, c in enumerate(children)}
    )
    yield home, base
    dispose_engine(settings.app_database_url)


def _invoke(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), ["model", "shadow-report", "risk", *args, "--home", str(home)])
    return result.exit_code, result.stdout, result.stderr


def test_group_a_b_json_shape(home: tuple[Path, Path]) -> None:
    path, _ = home
    code, out, _ = _invoke(path, "--group", "SEX,ETHNIC", "--resamples", "50", "--json")
    assert code == 0
    report = json.loads(out)  # stdout carries only the JSON
    assert report["group_columns"] == ["SEX", "ETHNIC"]
    assert report["available_group_columns"] == ["SEX", "ETHNIC"]
    assert list(report["by_column"]) == ["SEX", "ETHNIC"]
    assert set(report["by_column"]["SEX"]) == {"F", "M"}
    assert set(report["by_column"]["ETHNIC"]) == {"ASIA", "GRTH", "WBRI"}
    assert all(k.count("|") == 1 for k in report["by_group"])
    assert sum(b["n"] for b in report["by_group"].values()) == report["compared"] == N
    assert report["by_column"]["ETHNIC"]["GRTH"] == {
        "n": 3,
        "n_display": "<10",
        "suppressed": True,
        "children": None,
        "notes": ["fewer than 10 children: metrics withheld"],
    }
    shown = [b for b in report["by_group"].values() if not b["suppressed"]]
    assert shown, "some intersections must be large enough to show"
    for block in shown:
        assert {"agreement", "outcomes", "model", "decisions", "paired_test"} <= set(block)
        assert set(block["model"]["ci"]) >= {"precision", "recall"}
    assert report["conventions"]["min_group_size"] == 10
    assert set(report["gaps"]) == {"model", "decisions"}


def test_html_and_pdf_files(home: tuple[Path, Path]) -> None:
    path, base = home
    html, pdf = base / "out" / "shadow.html", base / "out" / "shadow.pdf"
    code, out, _ = _invoke(
        path, "--group", "SEX,ETHNIC", "--resamples", "0", "--html", str(html), "--pdf", str(pdf), "--json"
    )
    assert code == 0
    assert json.loads(out)["files"] == {"html": str(html), "pdf": str(pdf)}
    text = html.read_text(encoding="utf-8")
    assert "never shown to decision makers" in text and 'id="intersections"' in text
    assert pdf.read_bytes().startswith(b"%PDF")


def test_text_output_shows_each_column_and_the_intersection(home: tuple[Path, Path]) -> None:
    path, _ = home
    code, out, _ = _invoke(path, "--group", "SEX,ETHNIC", "--resamples", "0")
    assert code == 0
    assert "By SEX" in out and "By ETHNIC" in out and "By SEX x ETHNIC" in out
    assert "withheld" in out and "never shown" in out


def test_unknown_group_column_is_refused_with_the_columns_available(home: tuple[Path, Path]) -> None:
    path, _ = home
    code, out, err = _invoke(path, "--group", "SEX,AGE", "--json")
    assert code == 2 and out.strip() == ""
    assert "AGE" in err and "SEX, ETHNIC" in err


def test_help_teaches_groups_and_the_report() -> None:
    result = runner.invoke(build_app(), ["model", "shadow-report", "--help"])
    assert result.exit_code == 0
    for text in ("--group", "--html", "--pdf", "intersection", "Example"):
        assert text in result.stdout
