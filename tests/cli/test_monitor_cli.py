"""The ``kinsight monitor`` contract: drift JSON, clear errors, and a deploy-run-review-retire sequence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import stats
from typer.testing import CliRunner

from kinsight.cli.main import build_app

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(4)
    ref = pl.DataFrame({"age": rng.normal(9, 3, 1500), "placement": rng.choice(["U1", "U4", "K2"], 1500)})
    cur = pl.DataFrame({"age": rng.normal(12, 3, 600), "placement": rng.choice(["U1", "U4", "K2"], 600)})
    ref.write_csv(tmp_path / "ref.csv")
    cur.write_csv(tmp_path / "cur.csv")
    return tmp_path / "ref.csv", tmp_path / "cur.csv"


def _invoke(*args: str) -> object:
    return runner.invoke(build_app(), list(args))


def test_drift_json_contract(files: tuple[Path, Path]) -> None:
    ref, cur = files
    result = _invoke("monitor", "drift", "--reference", str(ref), "--current", str(cur), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    age, place = body["fields"]["age"], body["fields"]["placement"]
    assert (age["kind"], age["test"], age["drifted"]) == ("numeric", "ks", True)
    assert (place["kind"], place["test"], place["drifted"]) == ("categorical", "chi2", False)
    expected = stats.ks_2samp(
        pl.read_csv(ref)["age"].to_numpy(), pl.read_csv(cur)["age"].to_numpy(), method="asymp"
    )
    assert age["p_value"] == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)
    assert isinstance(place["psi"], float) and isinstance(place["p_value"], float)
    assert body["thresholds"]["psi_drift"] == 0.25 and body["thresholds"]["p_value"] == 0.01


@pytest.mark.parametrize("case", ["missing", "no_common"])
def test_drift_bad_input_exits_non_zero(files: tuple[Path, Path], tmp_path: Path, case: str) -> None:
    ref, _ = files
    other = tmp_path / "other.csv"
    if case == "no_common":
        other.write_text("zzz\n1\n")
    result = _invoke("monitor", "drift", "--reference", str(ref), "--current", str(other), "--json")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert json.loads(result.stderr.splitlines()[0])["error"]["message"]


def test_deploy_run_status_review_retire(files: tuple[Path, Path], tmp_path: Path) -> None:
    ref, cur = files
    home = str(tmp_path / "home")
    deploy = _invoke(
        "monitor",
        "deploy",
        "tool",
        "--version",
        "1",
        "--reference",
        str(ref),
        "--owner",
        "ana",
        "--home",
        home,
        "--json",
    )
    assert deploy.exit_code == 0, deploy.output
    refused = _invoke("monitor", "go-live", "tool", "--version", "1", "--home", home)
    assert refused.exit_code == 5
    run = _invoke(
        "monitor",
        "run",
        "--deployment",
        "tool",
        "--current",
        str(cur),
        "--period",
        "2025-03",
        "--home",
        home,
        "--json",
    )
    assert run.exit_code == 0, run.output
    [body] = json.loads(run.stdout)
    assert body["breached"] and body["alerts"][0]["owner"] == "ana"
    alerts = json.loads(_invoke("monitor", "alerts", "--owner", "ana", "--home", home, "--json").stdout)
    assert [a["subject"] for a in alerts] == ["age"]
    template = _invoke("monitor", "checklist")
    answers = tmp_path / "review.yaml"
    answers.write_text(template.stdout)
    review = _invoke(
        "monitor",
        "review",
        "tool",
        "--answers",
        str(answers),
        "--decision",
        "continue",
        "--home",
        home,
        "--json",
    )
    assert review.exit_code == 0, review.output
    assert json.loads(review.stdout)["evidence_runs"] == [body["run"]]
    assert _invoke("monitor", "deprecate", "tool", "--reason", "replaced", "--home", home).exit_code == 0
    out = tmp_path / "scores.csv"
    out.write_text("a\n1\n")
    assert _invoke("monitor", "output", "tool", str(out), "--home", home).exit_code == 2
    gone = _invoke(
        "monitor",
        "decommission",
        "tool",
        "--reason",
        "replaced",
        "--retention",
        "delete",
        "--home",
        home,
        "--json",
    )
    assert gone.exit_code == 0, gone.output
    status = json.loads(_invoke("monitor", "status", "--home", home, "--json").stdout)
    assert status[0]["status"] == "retired"
