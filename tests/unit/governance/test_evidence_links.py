"""The gates read real, filed results: privacy risk reports and alpha evaluations.

Reports and evaluations are produced by Kinsight's own privacy and evaluation services (and by the CLI
with ``--project``), filed under the home, and then read by the development and testing gates.  The
figures the gate sees are checked against independent computations: a hand-written group-by for k and
l, scikit-learn for precision and recall.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import precision_score, recall_score
from typer.testing import CliRunner

from kinsight.errors import NotFoundError, UsageError
from kinsight.services import evidence
from kinsight.services import governance as svc
from kinsight.services import privacy as privacy_service
from kinsight.services.evaluation import evaluate_predictions
from kinsight.settings import Settings
from kinsight.storage import governance_repo as repo

OPERATOR = svc.Actor("analyst.one", svc.LOCAL_OPERATOR)


def _put_at(settings: Settings, name: str, stage: str) -> None:
    """Test shortcut: place a project at a stage (the walk itself is tested in integration)."""
    with svc._session(settings) as session:
        project = repo.get_project(session, name)
        repo.move_stage(
            session,
            project,
            to_stage=svc.Stage(stage),
            direction="forward",
            reason="test",
            gate=None,
            actor=OPERATOR,
        )


def _write_extract(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _extract_rows(seed: int, n: int, *, rare: bool) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    rows = [
        {
            "SEX": str(rng.choice(["1", "2"])),
            "AGE": str(rng.choice(["0-4", "5-9", "10-15", "16+"])),
            "LS": str(rng.choice(["C2", "J2", "V2"])),
        }
        for _ in range(n)
    ]
    if rare:
        rows.append({"SEX": "2", "AGE": "99", "LS": "C2"})  # a group of one: k = 1
    return rows


def _hand_k_and_l(rows: list[dict[str, str]]) -> tuple[int, int, int]:
    sizes = Counter((r["SEX"], r["AGE"]) for r in rows)
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        values[(r["SEX"], r["AGE"])].add(r["LS"])
    below = sum(size for size in sizes.values() if size < 5)
    return min(sizes.values()), min(len(v) for v in values.values()), below


@pytest.fixture
def project(sqlite_settings: Settings) -> str:
    svc.create_project(sqlite_settings, OPERATOR, "placement-risk")
    return "placement-risk"


# --- privacy -----------------------------------------------------------------------------------------


def test_no_report_filed_means_no_evidence(sqlite_settings: Settings, project: str) -> None:
    assert evidence.latest_risk_report(sqlite_settings, project=project) is None
    _put_at(sqlite_settings, project, "development")
    gate = svc.status(sqlite_settings, OPERATOR, project)["gate"]
    condition = next(c for c in gate["conditions"] if c["id"] == "privacy_report")
    assert condition["status"] == "no_evidence"


def test_filed_risk_report_is_read_with_hand_checked_figures(
    sqlite_settings: Settings, project: str, tmp_path: Path
) -> None:
    rows = _extract_rows(1, 400, rare=True)
    path = _write_extract(tmp_path / "extract.csv", rows)
    report, _ = privacy_service.risk_report(sqlite_settings, path, "SEX,AGE", sensitive="LS", k=5)
    filed = evidence.store_risk_report(sqlite_settings, project, report, actor="ana")
    assert filed.parent == sqlite_settings.home / "evidence" / "privacy" / project
    assert json.loads(filed.read_text())["report"]["risk"]["k"] == report["risk"]["k"]

    k, diversity, below = _hand_k_and_l(rows)
    latest = evidence.latest_risk_report(sqlite_settings, project=project)
    assert latest is not None
    assert (latest["k"], latest["l"], latest["records_below_k"]) == (k, diversity, below)
    assert latest["records"] == len(rows)
    assert k == 1 and latest["passed"] is False
    assert f"{below} of {len(rows)}" in latest["summary"]


def test_development_gate_follows_the_newest_report(
    sqlite_settings: Settings, project: str, tmp_path: Path
) -> None:
    _put_at(sqlite_settings, project, "development")
    risky = _write_extract(tmp_path / "risky.csv", _extract_rows(2, 300, rare=True))
    report, _ = privacy_service.risk_report(sqlite_settings, risky, "SEX,AGE", sensitive="LS", k=5)
    evidence.store_risk_report(sqlite_settings, project, report, actor="ana")
    condition = _condition(sqlite_settings, project, "privacy_report")
    assert condition["status"] == "unmet"
    assert "did not pass" in condition["detail"]

    safe_rows = _extract_rows(3, 300, rare=False)
    k, diversity, _ = _hand_k_and_l(safe_rows)
    assert k >= 5 and diversity >= evidence.MIN_L  # the safe extract really is safe
    safe = _write_extract(tmp_path / "safe.csv", safe_rows)
    report, _ = privacy_service.risk_report(sqlite_settings, safe, "SEX,AGE", sensitive="LS", k=5)
    evidence.store_risk_report(sqlite_settings, project, report, actor="ana")
    condition = _condition(sqlite_settings, project, "privacy_report")
    assert condition["status"] == "met", condition
    assert "target 5" in condition["detail"]
    advanced = svc.advance(sqlite_settings, OPERATOR, project)
    assert advanced["stage"] == "testing"
    events = [e for e in svc.history(sqlite_settings, OPERATOR, project) if e["event"] == "evidence"]
    assert len(events) == 2  # each report the gate read is kept in the record


def test_l_diversity_of_one_fails_even_when_k_is_met() -> None:
    report = {
        "risk": {
            "k": 8,
            "k_threshold": 5,
            "records": 40,
            "records_below_k": 0,
            "l": 1,
            "sensitive": "LS",
            "quasi_identifiers": ["SEX"],
        }
    }
    verdict = evidence.privacy_verdict(report)
    assert verdict["passed"] is False
    assert "needs 2" in verdict["summary"]
    report["risk"]["l"] = 2
    assert evidence.privacy_verdict(report)["passed"] is True


def test_cli_files_the_report_for_a_project(sqlite_settings: Settings, project: str, tmp_path: Path) -> None:
    from kinsight.cli.main import build_app

    app = build_app()

    rows = _extract_rows(4, 200, rare=False)
    path = _write_extract(tmp_path / "extract.csv", rows)
    result = CliRunner().invoke(
        app,
        [
            "privacy",
            "risk",
            str(path),
            "--qi",
            "SEX,AGE",
            "--sensitive",
            "LS",
            "--project",
            project,
            "--as",
            "ana",
            "--home",
            str(sqlite_settings.home),
            "--json",
        ],
        env={"KINSIGHT_SECRET_KEY": sqlite_settings.secret_key or ""},
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    k, _, _ = _hand_k_and_l(rows)
    assert body["k"] == k
    assert body["evidence"]["passed"] is (k >= 5)
    assert Path(body["evidence"]["file"]).exists()
    assert evidence.latest_risk_report(sqlite_settings, project=project)["k"] == k

    missing = CliRunner().invoke(
        app,
        [
            "privacy",
            "risk",
            str(path),
            "--qi",
            "SEX",
            "--project",
            "no-such-project",
            "--home",
            str(sqlite_settings.home),
        ],
    )
    assert missing.exit_code == 2
    assert "no governance project" in missing.output


def test_project_names_cannot_escape_the_evidence_folder(sqlite_settings: Settings) -> None:
    with pytest.raises(UsageError):
        evidence.latest_risk_report(sqlite_settings, project="../secrets")
    with pytest.raises(NotFoundError):
        evidence.store_risk_report(sqlite_settings, "never-created", {"risk": {"k": 1}}, actor="ana")


def test_a_damaged_file_is_never_taken_as_evidence(
    sqlite_settings: Settings, project: str, tmp_path: Path
) -> None:
    path = _write_extract(tmp_path / "extract.csv", _extract_rows(5, 100, rare=True))
    report, _ = privacy_service.risk_report(sqlite_settings, path, "SEX,AGE", k=5)
    evidence.store_risk_report(sqlite_settings, project, report, actor="ana")
    folder = evidence.evidence_folder(sqlite_settings, evidence.PRIVACY, project)
    (folder / "99999999T999999999999Z.json").write_text("{not json", encoding="utf-8")
    latest = evidence.latest_risk_report(sqlite_settings, project=project)
    assert latest is not None and latest["k"] == 1


# --- evaluation --------------------------------------------------------------------------------------


def _predictions(path: Path, seed: int, flip_b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic outcomes and labels; ``flip_b`` degrades group B."""
    rng = np.random.default_rng(seed)
    n = 1200
    group = np.where(rng.random(n) < 0.5, "A", "B")
    y = (rng.random(n) < 0.3).astype(int)
    pred = y.copy()
    noise = rng.random(n) < np.where(group == "A", 0.08, flip_b)
    pred[noise] = 1 - pred[noise]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ended", "flag", "SEX"])
        writer.writerows(zip(y, pred, group, strict=True))
    return y, pred, group


def _condition(settings: Settings, project: str, condition_id: str) -> dict:
    gate = svc.status(settings, OPERATOR, project)["gate"]
    return next(c for c in gate["conditions"] if c["id"] == condition_id)


def _predictive_at_testing(settings: Settings, project: str) -> None:
    svc.answer(
        settings,
        OPERATOR,
        project,
        "project_profile",
        {"summary": "s", "problem": "p", "owner": "Ana", "analytics_type": "predictive"},
    )
    svc.answer(
        settings,
        OPERATOR,
        project,
        "success_criteria",
        {
            "outcome_measures": "fewer unplanned moves",
            "min_precision": 0.7,
            "min_recall": 0.7,
            "min_group_recall": 0.7,
            "max_group_gap": 0.1,
            "min_group_size": 30,
        },
    )
    _put_at(settings, project, "testing")


def test_alpha_payload_matches_scikit_learn(sqlite_settings: Settings, project: str, tmp_path: Path) -> None:
    path = tmp_path / "alpha.csv"
    y, pred, group = _predictions(path, 7, 0.1)
    result = evaluate_predictions(path, outcome="ended", label="flag", groups=["SEX"], resamples=0)
    evidence.store_alpha_result(sqlite_settings, project, result, actor="ana")
    payload = evidence.latest_alpha_result(sqlite_settings, project=project)
    assert payload is not None
    assert payload["overall"]["n"] == len(y)
    assert payload["overall"]["precision"] == pytest.approx(precision_score(y, pred))
    assert payload["overall"]["recall"] == pytest.approx(recall_score(y, pred))
    assert [(g["attribute"], g["group"]) for g in payload["by_group"]] == [("SEX", "A"), ("SEX", "B")]
    for g in payload["by_group"]:
        mask = group == g["group"]
        assert g["n"] == int(mask.sum())
        assert g["precision"] == pytest.approx(precision_score(y[mask], pred[mask]))
        assert g["recall"] == pytest.approx(recall_score(y[mask], pred[mask]))


def test_testing_gate_refuses_a_poor_alpha_and_accepts_a_good_one(
    sqlite_settings: Settings, project: str, tmp_path: Path
) -> None:
    _predictive_at_testing(sqlite_settings, project)
    assert _condition(sqlite_settings, project, "alpha_evaluation")["status"] == "no_evidence"

    poor = tmp_path / "poor.csv"
    y, pred, group = _predictions(poor, 11, 0.45)
    b = group == "B"
    assert recall_score(y[b], pred[b]) < 0.7  # independent check that group B really misses the bar
    result = evaluate_predictions(poor, outcome="ended", label="flag", groups=["SEX"], resamples=0)
    evidence.store_alpha_result(sqlite_settings, project, result, actor="ana")
    condition = _condition(sqlite_settings, project, "alpha_evaluation")
    assert condition["status"] == "unmet"
    assert "recall for SEX=B" in condition["detail"]
    assert f"{recall_score(y[b], pred[b]):.3f}" in condition["detail"]

    good = tmp_path / "good.csv"
    y, pred, group = _predictions(good, 12, 0.08)
    for mask in (group == "A", group == "B", np.ones_like(y, dtype=bool)):
        assert recall_score(y[mask], pred[mask]) >= 0.7
        assert precision_score(y[mask], pred[mask]) >= 0.7
    gap = abs(recall_score(y[group == "A"], pred[group == "A"]) - recall_score(y[b := group == "B"], pred[b]))
    assert gap <= 0.1
    result = evaluate_predictions(good, outcome="ended", label="flag", groups=["SEX"], resamples=0)
    evidence.store_alpha_result(sqlite_settings, project, result, actor="ana")
    assert _condition(sqlite_settings, project, "alpha_evaluation")["status"] == "met"


def test_suppressed_groups_are_judged_not_skipped(
    sqlite_settings: Settings, project: str, tmp_path: Path
) -> None:
    """A group the evaluation withheld (n below its minimum) has no figure to meet a threshold with."""
    path = tmp_path / "small.csv"
    _predictions(path, 13, 0.08)
    result = evaluate_predictions(
        path, outcome="ended", label="flag", groups=["SEX"], resamples=0, min_group_size=5000
    )
    payload = evidence.alpha_payload(result)
    assert all(g["suppressed"] and g["recall"] is None for g in payload["by_group"])
    _predictive_at_testing(sqlite_settings, project)
    evidence.store_alpha_result(sqlite_settings, project, result, actor="ana")
    condition = _condition(sqlite_settings, project, "alpha_evaluation")
    assert condition["status"] == "unmet" and "undefined" in condition["detail"]


def test_evaluate_cli_files_the_alpha_result(sqlite_settings: Settings, project: str, tmp_path: Path) -> None:
    from kinsight.cli.main import build_app

    app = build_app()

    path = tmp_path / "alpha.csv"
    y, pred, _ = _predictions(path, 21, 0.1)
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(path),
            "--outcome",
            "ended",
            "--label",
            "flag",
            "--group",
            "SEX",
            "--resamples",
            "0",
            "--project",
            project,
            "--as",
            "ana",
            "--home",
            str(sqlite_settings.home),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert Path(body["evidence"]["file"]).exists()
    payload = evidence.latest_alpha_result(sqlite_settings, project=project)
    assert payload["overall"]["recall"] == pytest.approx(recall_score(y, pred))
