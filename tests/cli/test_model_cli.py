"""The model registry, shadow running and decision CLI: JSON contracts, refusals, help that teaches."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from kinsight.cli.main import build_app
from kinsight.storage.appdb import dispose_engine

runner = CliRunner()
REASONS = "Met the child and carer at school; both describe a settled month and the child wants to stay put."


@pytest.fixture
def home(tmp_path: Path):  # type: ignore[no-untyped-def]
    yield tmp_path / "home"
    dispose_engine(f"sqlite:///{tmp_path / 'home' / 'app.db'}")


def _run(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(build_app(), [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_register_shadow_run_decide_and_report(home: Path, tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    n = 30
    frame = pl.DataFrame(
        {
            "child": [f"C{i:02d}" for i in range(n)],
            "p": np.round(rng.random(n), 3),
            "happened": (rng.random(n) < 0.4).astype(int),
        }
    )
    frame.write_csv(tmp_path / "preds.csv")
    h = ["--home", str(home)]
    registered = _run(
        "model", "register", "risk", "--version", "2.0", "--mode", "shadow", "--project", "p1", *h
    )
    assert registered["mode"] == "shadow" and registered["project"] == "p1"
    assert [m["name"] for m in _run("model", "list", *h)] == ["risk"]
    run = _run(
        "model", "shadow-run", "risk", "--predictions", str(tmp_path / "preds.csv"),
        "--subject", "child", "--score", "p", "--outcome", "happened", *h,
    )  # fmt: skip
    assert run["scored"] == n and run["outputs_shown_to_decision_makers"] is False
    decided = {"C01": "refer", "C02": "no_further_action", "C03": "review_placement_support"}
    for child, decision in decided.items():
        out = _run(
            "decision", "record", "--child", child, "--decision", decision,
            "--reasons", REASONS, "--as", "sw.jones", "--model", "risk", *h,
        )  # fmt: skip
        assert out["decision"] == decision and out["model_output_kept"] and not out["model_output_shown"]
    report = _run("model", "shadow-report", "risk", *h)
    rows = frame.filter(pl.col("child").is_in(list(decided))).sort("child")
    flag = (rows["p"].to_numpy() >= 0.5).astype(int)
    acted = np.array([1, 0, 1])
    assert report["compared"] == 3 and report["scored"] == n
    assert report["overall"]["agreement"] == pytest.approx(np.mean(flag == acted))
    y = rows["happened"].to_numpy()
    assert report["overall"]["outcomes"]["model_would_have_missed"] == int(((y == 1) & (flag == 0)).sum())


def test_decision_without_own_reasons_is_refused_with_a_hint(home: Path) -> None:
    result = runner.invoke(
        build_app(),
        ["decision", "record", "--child", "C1", "--decision", "refer", "--reasons", "high score",
         "--as", "sw.jones", "--home", str(home), "--json"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "own reasons" in result.stderr and result.stdout.strip() == ""


def test_unknown_mode_is_a_usage_error(home: Path) -> None:
    result = runner.invoke(
        build_app(), ["model", "register", "m", "--version", "1", "--mode", "auto", "--home", str(home)]
    )
    assert result.exit_code == 2 and "shadow" in result.stderr


def test_help_teaches() -> None:
    for command in (
        ["model", "register", "--help"],
        ["model", "shadow-run", "--help"],
        ["model", "shadow-report", "--help"],
        ["model", "list", "--help"],
        ["decision", "record", "--help"],
    ):
        result = runner.invoke(build_app(), command)
        assert result.exit_code == 0 and "Example" in result.stdout, command
