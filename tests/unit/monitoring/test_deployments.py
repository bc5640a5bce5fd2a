"""Deployments: registration with fingerprint, the evaluation gate before go-live, accuracy over time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml
from sklearn.metrics import accuracy_score, recall_score

from kinsight.errors import ConflictError, GateNotMetError
from kinsight.monitoring.fingerprint import frame_fingerprint
from kinsight.services import monitoring as svc
from kinsight.settings import Settings

from .conftest import OPERATOR


def _predictions(path: Path, n: int, seed: int, *, skill: float) -> pl.DataFrame:
    """Outcomes and scores where ``skill`` controls how well the score separates the outcome."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    score = np.clip(0.5 + skill * (y - 0.5) + rng.normal(0, 0.2, n), 0, 1)
    frame = pl.DataFrame({"y": y, "p": score, "sex": rng.choice(["1", "2"], n)})
    frame.write_csv(path)
    return frame


@pytest.fixture
def accuracy_file(tmp_path: Path) -> Path:
    path = tmp_path / "accuracy.yaml"
    path.write_text(
        yaml.safe_dump({"thresholds": [{"metric": "recall", "at_least": 0.7, "applies_to": "every_group"}]})
    )
    return path


def test_register_fingerprints_and_copies_reference(settings: Settings, reference_csv: Path) -> None:
    result = svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference_csv, owner="ana")
    assert result["status"] == "shadow" and result["new"]
    assert result["fingerprint"] == frame_fingerprint(pl.read_csv(reference_csv))
    assert result["reference_rows"] == 3000
    with pytest.raises(ConflictError):
        svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference_csv)


def test_go_live_needs_a_passing_evaluation(
    settings: Settings, reference_csv: Path, tmp_path: Path, accuracy_file: Path
) -> None:
    svc.deploy(
        settings,
        OPERATOR,
        "tool",
        version="1",
        reference=reference_csv,
        accuracy_thresholds_file=accuracy_file,
    )
    with pytest.raises(GateNotMetError, match="not been evaluated"):
        svc.go_live(settings, OPERATOR, "tool", version="1")
    weak = tmp_path / "weak.csv"
    _predictions(weak, 400, 1, skill=0.0)
    assert not svc.record_evaluation(
        settings, OPERATOR, "tool", version="1", predictions=weak, outcome="y", score="p", groups=["sex"]
    )["passed"]
    with pytest.raises(GateNotMetError, match="did not meet"):
        svc.go_live(settings, OPERATOR, "tool", version="1")
    strong = tmp_path / "strong.csv"
    _predictions(strong, 400, 2, skill=0.8)
    assert svc.record_evaluation(
        settings, OPERATOR, "tool", version="1", predictions=strong, outcome="y", score="p", groups=["sex"]
    )["passed"]
    live = svc.go_live(settings, OPERATOR, "tool", version="1")
    assert live["status"] == "live" and live["live_version"] == "1" and live["next_review_due"] is not None
    # a retrained version is registered in shadow and must pass again before it replaces version 1
    svc.deploy(
        settings,
        OPERATOR,
        "tool",
        version="2",
        reference=reference_csv,
        accuracy_thresholds_file=accuracy_file,
    )
    with pytest.raises(GateNotMetError):
        svc.go_live(settings, OPERATOR, "tool", version="2")
    assert svc.status(settings, OPERATOR, "tool")[0]["live_version"] == "1"


def test_accuracy_figures_match_sklearn(
    settings: Settings, reference_csv: Path, tmp_path: Path, accuracy_file: Path
) -> None:
    outcomes = tmp_path / "outcomes.csv"
    frame = _predictions(outcomes, 300, 3, skill=0.5)
    svc.deploy(
        settings,
        OPERATOR,
        "tool",
        version="1",
        reference=reference_csv,
        accuracy_thresholds_file=accuracy_file,
        outcomes={"path": str(outcomes), "outcome": "y", "score": "p", "groups": ["sex"]},
    )
    result = svc.run(settings, OPERATOR, "tool", period="2025-04")[0]
    section = result["sections"]["accuracy"]
    y, flagged = frame["y"].to_numpy(), (frame["p"].to_numpy() >= 0.5).astype(int)
    assert section["n"] == 300
    assert section["overall"]["recall"] == pytest.approx(recall_score(y, flagged))
    assert section["overall"]["accuracy"] == pytest.approx(accuracy_score(y, flagged))
    for sex in ("1", "2"):
        mask = frame["sex"].to_numpy() == sex
        assert section["by_group"][sex]["recall"] == pytest.approx(recall_score(y[mask], flagged[mask]))
    recall_by_group = {
        r["subject"]: r["value"] for r in svc.series(settings, OPERATOR, "tool", "accuracy", "recall")
    }
    assert recall_by_group["overall"] == pytest.approx(recall_score(y, flagged))
    met = section["verdict"]["passed"]
    assert (result["breached"] and any(a["section"] == "accuracy" for a in result["alerts"])) == (not met)


def test_missing_sources_are_no_evidence_not_failures(settings: Settings, reference_csv: Path) -> None:
    svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference_csv)
    sections = svc.run(settings, OPERATOR, "tool")[0]["sections"]
    assert sections["drift"]["status"] == "no_evidence"
    assert sections["accuracy"]["status"] == "no_evidence"
    assert sections["quality"]["status"] == "no_evidence"
    assert sections["challenges"]["status"] == "ok" and sections["challenges"]["raised"] == 0
    assert sections["usage"]["events"] == 0  # registering and monitoring are not uses of the tool
    output = reference_csv.with_name("scores.csv")
    output.write_text("id,score\n1,0.2\n")
    svc.record_output(settings, OPERATOR, "tool", file=output)
    svc.record_output(settings, OPERATOR, "tool", file=output)
    assert svc.run(settings, OPERATOR, "tool")[0]["sections"]["usage"]["events"] == 2
