"""Shadow running end to end: outputs stored unseen, then compared with decisions and outcomes by hand."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest
from sklearn.metrics import precision_score, recall_score

from kinsight.errors import NotFoundError
from kinsight.services import audit
from kinsight.services.shadow import (
    advice_for_child,
    record_decision,
    register_model,
    shadow_report,
    shadow_run,
)
from kinsight.settings import Settings

REASONS = (
    "Visited the home on Tuesday; the carer described growing conflict at bedtime and the child asked "
    "to talk to the independent reviewing officer."
)
ACTING = {"refer", "review_placement_support", "discuss_in_supervision"}


def _predictions(tmp_path: Path, n: int = 50, seed: int = 3) -> tuple[Path, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    outcome = (rng.random(n) < 0.35).astype(int)
    frame = pl.DataFrame(
        {
            "CHILD": [f"K{i:03d}" for i in range(n)],
            "score": np.round(np.clip(0.35 * outcome + 0.65 * rng.random(n), 0, 1), 4),
            "outcome": outcome,
            "SEX": ["9"] * 3 + rng.choice(["1", "2"], n - 3).tolist(),  # "9": a group too small to show
        }
    )
    path = tmp_path / "stored_predictions.csv"
    frame.write_csv(path)
    return path, frame


def _decide(settings: Settings, frame: pl.DataFrame, model: str, seed: int = 5) -> dict[str, str]:
    """Record a decision for roughly three children in four; returns child -> decision."""
    rng = np.random.default_rng(seed)
    choices = ["no_further_action", "continue_current_plan", "review_placement_support", "refer"]
    made: dict[str, str] = {}
    for i, child in enumerate(frame["CHILD"].to_list()):
        if i < 3 or rng.random() < 0.75:
            made[child] = str(rng.choice(choices))
            record_decision(
                settings, user="sw.jones", subject=child, decision=made[child], reasons=REASONS, model=model
            )
    return made


def test_shadow_report_matches_a_hand_computed_comparison(sqlite_settings: Settings, tmp_path: Path) -> None:
    settings = sqlite_settings
    path, frame = _predictions(tmp_path)
    register_model(settings, name="risk", version="1.0", mode="shadow", actor="lead", threshold=0.6)
    run = shadow_run(
        settings, "risk", actor="lead", predictions=path, outcome_column="outcome", group_column="SEX"
    )
    assert run["scored"] == frame.height and not run["outputs_shown_to_decision_makers"]
    made = _decide(settings, frame, "risk")
    # a second, later decision about the same child replaces the first in the comparison
    first = next(iter(made))
    record_decision(settings, user="sw.ali", subject=first, decision="refer", reasons=REASONS, model="risk")
    made[first] = "refer"

    report = shadow_report(settings, "risk", min_group_size=10)

    rows = frame.filter(pl.col("CHILD").is_in(list(made))).sort("CHILD")
    y = rows["outcome"].to_numpy()
    flag = (rows["score"].to_numpy() >= 0.6).astype(int)
    acted = np.array([int(made[c] in ACTING) for c in rows["CHILD"].to_list()])
    overall = report["overall"]
    assert report["compared"] == rows.height == len(made)
    assert overall["agreement"] == pytest.approx(np.mean(flag == acted))
    assert overall["outcomes"]["model_would_have_caught"] == int(((y == 1) & (flag == 1)).sum())
    assert overall["outcomes"]["model_would_have_missed"] == int(((y == 1) & (flag == 0)).sum())
    assert overall["outcomes"]["model_caught_people_missed"] == int(
        ((y == 1) & (flag == 1) & (acted == 0)).sum()
    )
    assert overall["model"]["precision"] == pytest.approx(precision_score(y, flag))
    assert overall["decisions"]["recall"] == pytest.approx(recall_score(y, acted))
    for sex in ("1", "2"):
        part = rows["SEX"].to_numpy() == sex
        block = report["by_group"][sex]
        assert block["children"] == int(part.sum())
        assert block["agreement"] == pytest.approx(np.mean(flag[part] == acted[part]))
        assert block["model"]["recall"] == pytest.approx(recall_score(y[part], flag[part]))
    small = report["by_group"]["9"]
    assert small["suppressed"] and small["children"] is None and "agreement" not in small


def test_practitioner_view_never_returns_shadow_outputs(sqlite_settings: Settings, tmp_path: Path) -> None:
    settings = sqlite_settings
    path, frame = _predictions(tmp_path)
    child = frame["CHILD"][7]
    score = float(frame["score"][7])
    register_model(settings, name="shadowed", version="1", mode="shadow", actor="lead", show_score=True)
    shadow_run(settings, "shadowed", actor="lead", predictions=path)
    with duckdb.connect(str(settings.store_path), read_only=True) as con:
        stored = con.execute("select score from _shadow_outputs where subject = ?", [child]).fetchall()
    assert stored == [(score,)]  # the output exists ...
    view = advice_for_child(settings, child)
    assert view == {"child": child, "advice": []}  # ... but a practitioner never sees it
    assert str(score) not in json.dumps(view) and "shadowed" not in json.dumps(view)

    register_model(settings, name="advisory", version="1", mode="live", actor="lead", show_score=True)
    shadow_run(settings, "advisory", actor="lead", predictions=path)
    view = advice_for_child(settings, child)
    assert [a["model"] for a in view["advice"]] == ["advisory"]
    assert view["advice"][0]["score"] == pytest.approx(score)


def test_live_model_hides_the_score_unless_registered_to_show_it(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    path, frame = _predictions(tmp_path)
    register_model(sqlite_settings, name="quiet", version="1", mode="live", actor="lead")
    shadow_run(sqlite_settings, "quiet", actor="lead", predictions=path)
    advice = advice_for_child(sqlite_settings, frame["CHILD"][0])["advice"]
    assert len(advice) == 1 and "score" not in advice[0]


def test_shadow_run_is_audited_without_child_level_values(sqlite_settings: Settings, tmp_path: Path) -> None:
    path, frame = _predictions(tmp_path)
    register_model(sqlite_settings, name="risk", version="1.0", mode="shadow", actor="lead")
    out = shadow_run(sqlite_settings, "risk", actor="analyst", predictions=path)
    assert "scores" not in out and all(
        c not in json.dumps(out, default=str) for c in frame["CHILD"].to_list()
    )
    (row,) = audit.recent(sqlite_settings, action="model.shadow_run")
    assert row.actor == "analyst" and row.target == "model:risk:1.0"
    assert row.details["scored"] == frame.height
    assert not any(c in json.dumps(row.details) for c in frame["CHILD"].to_list())
    (registered,) = audit.recent(sqlite_settings, action="model.register")
    assert registered.details["mode"] == "shadow"


def test_unknown_model_and_missing_run_are_explained(sqlite_settings: Settings) -> None:
    with pytest.raises(NotFoundError):
        shadow_run(sqlite_settings, "nope", actor="lead")
    register_model(sqlite_settings, name="risk", version="1.0", mode="shadow", actor="lead")
    with pytest.raises(NotFoundError, match="no shadow run"):
        shadow_report(sqlite_settings, "risk")


def test_demonstration_model_scores_each_childs_current_placement(tmp_path: Path) -> None:
    from tests.unit.evaluation.synthetic_903 import write_903_store

    from kinsight.services.evaluation import model_demo
    from kinsight.storage.appdb import dispose_engine

    header, episodes = write_903_store(tmp_path, 200, seed=9)
    settings = Settings(home=tmp_path)
    try:
        model_demo(settings, resamples=0, pdf=False)
        register_model(settings, name="demo", version="0.1", mode="shadow", actor="lead")
        run = shadow_run(settings, "demo", actor="lead")
        latest = episodes.group_by("CHILD").agg(pl.col("DECOM").max()).sort("CHILD")
        assert run["scored"] == latest.height and run["source"] == "demonstration model"
        with duckdb.connect(str(settings.store_path), read_only=True) as con:
            stored = con.sql(
                "select subject, placement_start, score from _shadow_outputs order by subject"
            ).pl()
        assert stored["subject"].to_list() == latest["CHILD"].to_list()
        # each child's *current* placement: its start is on or before the child's latest episode start
        assert (stored["placement_start"] <= latest["DECOM"]).all()
        assert stored["score"].is_between(0, 1).all()
        report = shadow_report(settings, "demo")
        assert report["compared"] == 0 and report["overall"] is None
    finally:
        dispose_engine(settings.app_database_url)
