"""The evaluate / bias / model CLI contract: JSON shape, exit codes, help that teaches."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.metrics import precision_score, recall_score
from typer.testing import CliRunner

from kinsight.cli.main import build_app

runner = CliRunner()


def _predictions(tmp_path: Path) -> tuple[Path, pl.DataFrame]:
    rng = np.random.default_rng(11)
    n = 300
    y = (rng.random(n) < 0.3).astype(int)
    frame = pl.DataFrame(
        {
            "outcome": y,
            "score": np.round(np.clip(0.3 * y + rng.random(n) * 0.7, 0, 1), 3),
            "SEX": rng.choice(["F", "M"], n),
            "ETHNIC": rng.choice(["WBRI", "BAFR", "CHNE"], n, p=[0.6, 0.37, 0.03]),
        }
    )
    path = tmp_path / "predictions.csv"
    frame.write_csv(path)
    return path, frame


def test_evaluate_json_contract(tmp_path: Path) -> None:
    path, frame = _predictions(tmp_path)
    result = runner.invoke(
        build_app(),
        [
            "evaluate",
            str(path),
            "--outcome",
            "outcome",
            "--score",
            "score",
            "--threshold",
            "0.5",
            "--group",
            "SEX,ETHNIC",
            "--json",
            "--resamples",
            "50",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {"overall", "by_group", "by_column"} <= set(body)
    rows = (frame["SEX"] == "F") & (frame["ETHNIC"] == "WBRI")
    block = body["by_group"]["F|WBRI"]
    y, s = frame["outcome"].to_numpy()[rows.to_numpy()], frame["score"].to_numpy()[rows.to_numpy()]
    assert block["n"] == int(rows.sum())
    assert block["precision"] == precision_score(y, s >= 0.5)
    assert block["recall"] == recall_score(y, s >= 0.5)
    assert body["by_column"]["SEX"]["F"]["n"] == int((frame["SEX"] == "F").sum())
    for key in ("F|CHNE", "M|CHNE"):
        if key in body["by_group"]:
            assert body["by_group"][key]["precision"] is None and isinstance(body["by_group"][key]["n"], int)


def test_evaluate_with_a_label_and_failing_thresholds_exits_5(tmp_path: Path) -> None:
    path, frame = _predictions(tmp_path)
    frame.with_columns((pl.col("score") >= 0.9).cast(pl.Int32).alias("flag")).write_csv(path)
    thresholds = tmp_path / "t.yaml"
    thresholds.write_text("thresholds:\n  - {metric: recall, at_least: 0.9}\n")
    result = runner.invoke(
        build_app(),
        [
            "evaluate",
            str(path),
            "--outcome",
            "outcome",
            "--label",
            "flag",
            "--thresholds",
            str(thresholds),
            "--resamples",
            "0",
        ],
    )
    assert result.exit_code == 5
    assert "THRESHOLDS NOT MET" in result.stdout and "Misses" in result.stdout


def test_evaluate_reports_a_missing_column_with_a_hint(tmp_path: Path) -> None:
    path, _ = _predictions(tmp_path)
    result = runner.invoke(
        build_app(), ["evaluate", str(path), "--outcome", "nope", "--score", "score", "--json"]
    )
    assert result.exit_code == 2
    assert "no column 'nope'" in result.stderr


def test_bias_on_a_csv_extract(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    rng = np.random.default_rng(2)
    n = 120
    pl.DataFrame(
        {
            "CHILD": [str(i) for i in range(n)],
            "SEX": rng.choice(["1", "2"], n),
            "ETHNIC": rng.choice(["WBRI", "BAFR", "APKN"], n),
            "DOB": ["01/06/2012"] * n,
        }
    ).write_csv(path)
    result = runner.invoke(build_app(), ["bias", str(path), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    sex = {g["group"]: g["n"] for g in body["representation"]["sex"]["groups"]}
    assert sum(sex.values()) == n
    assert body["representation"]["sex"]["test"]["method"] == "chi-squared goodness of fit"


def test_bias_text_output_says_how_far_each_reference_can_be_trusted(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    pl.DataFrame(
        {"CHILD": ["1", "2", "3"], "SEX": ["1", "2", "1"], "ETHNIC": ["WBRI", "BAFR", "APKN"]}
    ).write_csv(path)
    result = runner.invoke(build_app(), ["bias", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    import yaml

    # The statuses the shipped reference file declares, read independently of the loader.
    shipped = Path(__file__).parents[2] / "src/kinsight/evaluation/data/reference_population.yaml"
    statuses = {k: v["status"] for k, v in yaml.safe_load(shipped.read_text())["characteristics"].items()}
    for characteristic in ("sex", "ethnicity"):
        assert f"reference shares: {statuses[characteristic]}" in result.stdout


def _store(tmp_path: Path) -> Path:
    from tests.unit.evaluation.synthetic_903 import write_903_store

    write_903_store(tmp_path, 250, seed=4)
    return tmp_path


def test_bias_on_a_store_table_joins_the_header(tmp_path: Path) -> None:
    home = _store(tmp_path)
    result = runner.invoke(build_app(), ["bias", "ssda903_episodes", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["representation"]["sex"]["derived_from"] == "header.SEX"
    assert body["children"] == 250


def test_model_demo_and_explain_end_to_end(tmp_path: Path) -> None:
    home = _store(tmp_path)
    result = runner.invoke(
        build_app(), ["model", "demo", "--home", str(home), "--json", "--no-pdf", "--resamples", "50"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert "not a recommendation" in body["notice"]
    assert body["evaluation"]["overall"]["n"] == body["test"]
    assert Path(body["files"]["html"]).exists() and Path(body["files"]["predictions"]).exists()
    explained = runner.invoke(
        build_app(), ["model", "explain", "--home", str(home), "--json", "--limit", "2"]
    )
    assert explained.exit_code == 0, explained.output
    outputs = json.loads(explained.stdout)["outputs"]
    assert len(outputs) == 2 and all("score" not in o for o in outputs)


def test_help_teaches() -> None:
    for command in (["evaluate", "--help"], ["bias", "--help"], ["model", "demo", "--help"]):
        result = runner.invoke(build_app(), command)
        assert result.exit_code == 0 and "Example" in result.stdout
