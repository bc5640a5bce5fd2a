"""Shadow report per group and per intersection, checked against scikit-learn, scipy and a plain group-by."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from scipy.stats import binomtest
from sklearn.metrics import precision_score, recall_score
from tests.shadow_decisions import decide_quickly

from kinsight.errors import UsageError
from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.shadow import compare_shadow_groups
from kinsight.evaluation.shadow_report import render_shadow_html
from kinsight.services.shadow import register_model, shadow_report, shadow_run
from kinsight.settings import Settings

MIN = 10
THRESHOLD = 0.55


def _children(n: int = 400, seed: int = 11) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    ethnic = rng.choice(["WBRI", "ASIA", "BLAC", "OOTH"], n, p=[0.55, 0.22, 0.2, 0.03]).astype(object)
    ethnic[rng.random(n) < 0.04] = None  # blanks become "(missing)", as in kinsight evaluate
    return pl.DataFrame(
        {
            "score": np.round(np.clip(0.3 * y + 0.7 * rng.random(n), 0, 1), 3),
            "acted": ((0.4 * y + 0.6 * rng.random(n)) > 0.5).astype(int),
            "y": y,
            "SEX": rng.choice(["F", "M"], n).tolist(),
            "ETHNIC": ethnic.tolist(),
        }
    )


def _hand_groups(frame: pl.DataFrame, columns: list[str]) -> dict[str, dict[str, Any]]:
    """An independent group-by: key, size and the shadow counts, straight from the rows."""
    flag = pl.col("score") >= THRESHOLD
    happened = pl.col("y") == 1
    acted = pl.col("acted") == 1
    keyed = frame.with_columns(
        pl.concat_str([pl.col(c).fill_null("(missing)") for c in columns], separator="|").alias("key")
    )
    table = keyed.group_by("key").agg(
        pl.len().alias("n"),
        (flag == acted).mean().alias("agreement"),
        (flag & ~acted).sum().alias("model_flagged_people_did_not"),
        (~flag & acted).sum().alias("people_acted_model_did_not"),
        happened.sum().alias("happened"),
        (happened & flag).sum().alias("model_would_have_caught"),
        (happened & ~flag).sum().alias("model_would_have_missed"),
        (happened & acted).sum().alias("people_caught"),
        (happened & flag & ~acted).sum().alias("model_caught_people_missed"),
        (happened & ~flag & acted).sum().alias("people_caught_model_missed"),
    )
    return {row["key"]: row for row in table.sort("key").iter_rows(named=True)}


def _check_block(block: dict[str, Any], hand: dict[str, Any], rows: pl.DataFrame) -> None:
    assert block["n"] == hand["n"]
    if hand["n"] < MIN:
        assert block["suppressed"] and block["n_display"] == f"<{MIN}"
        assert set(block) == {"n", "n_display", "suppressed", "children", "notes"}
        return
    assert not block["suppressed"] and block["n_display"] == str(hand["n"]) == str(block["children"])
    assert block["agreement"] == pytest.approx(hand["agreement"])
    for name in ("model_flagged_people_did_not", "people_acted_model_did_not"):
        assert block[name] == hand[name]
    for name, value in block["outcomes"].items():
        assert value == hand[name], name
    y = rows["y"].to_numpy()
    flag = (rows["score"].to_numpy() >= THRESHOLD).astype(int)
    acted = rows["acted"].to_numpy()
    for part, predicted in (("model", flag), ("decisions", acted)):
        if predicted.sum():
            assert block[part]["precision"] == pytest.approx(precision_score(y, predicted))
        else:
            assert block[part]["precision"] is None
        if y.sum():
            assert block[part]["recall"] == pytest.approx(recall_score(y, predicted))
        else:
            assert block[part]["recall"] is None
    # McNemar on the same children: exact binomial test on the discordant ones (fewer than 25)
    b = int(((flag == y) & (acted != y)).sum())
    c = int(((flag != y) & (acted == y)).sum())
    assert block["paired_test"]["model_only_right"] == b
    assert block["paired_test"]["baseline_only_right"] == c
    if 0 < b + c < 25:
        assert block["paired_test"]["p_value"] == pytest.approx(binomtest(b, b + c, 0.5).pvalue)


def _rows(frame: pl.DataFrame, columns: list[str], key: str) -> pl.DataFrame:
    parts = key.split("|")
    condition = pl.lit(True)
    for column, value in zip(columns, parts, strict=True):
        condition = condition & (pl.col(column).fill_null("(missing)") == value)
    return frame.filter(condition)


@pytest.fixture(scope="module")
def two_columns() -> tuple[pl.DataFrame, dict[str, Any]]:
    frame = _children()
    result = compare_shadow_groups(
        frame["score"].to_numpy(),
        frame["acted"].to_numpy(),
        frame["y"].to_numpy(),
        {"SEX": frame["SEX"].to_list(), "ETHNIC": frame["ETHNIC"].to_list()},
        threshold=THRESHOLD,
        min_group_size=MIN,
        bootstrap=BootstrapSettings(resamples=200, seed=1),
    )
    return frame, result


def test_every_intersection_matches_a_plain_group_by(
    two_columns: tuple[pl.DataFrame, dict[str, Any]],
) -> None:
    frame, result = two_columns
    hand = _hand_groups(frame, ["SEX", "ETHNIC"])
    assert result["group_columns"] == ["SEX", "ETHNIC"]
    assert list(result["by_group"]) == sorted(hand)  # every intersection, sorted, "(missing)" included
    assert any(k.endswith("|(missing)") for k in hand)
    assert any(h["n"] < MIN for h in hand.values()), "the data must contain a group to withhold"
    for key, block in result["by_group"].items():
        _check_block(block, hand[key], _rows(frame, ["SEX", "ETHNIC"], key))


def test_every_single_column_group_matches_a_plain_group_by(
    two_columns: tuple[pl.DataFrame, dict[str, Any]],
) -> None:
    frame, result = two_columns
    assert list(result["by_column"]) == ["SEX", "ETHNIC"]
    for column in ("SEX", "ETHNIC"):
        hand = _hand_groups(frame, [column])
        assert list(result["by_column"][column]) == sorted(hand)
        for key, block in result["by_column"][column].items():
            _check_block(block, hand[key], _rows(frame, [column], key))


def test_overall_figures_and_intervals(two_columns: tuple[pl.DataFrame, dict[str, Any]]) -> None:
    frame, result = two_columns
    overall = result["overall"]
    y = frame["y"].to_numpy()
    flag = (frame["score"].to_numpy() >= THRESHOLD).astype(int)
    assert overall["children"] == frame.height
    assert overall["model"]["precision"] == pytest.approx(precision_score(y, flag))
    assert overall["decisions"]["recall"] == pytest.approx(recall_score(y, frame["acted"].to_numpy()))
    for part in ("model", "decisions"):
        for metric in ("precision", "recall"):
            low, high = overall[part]["ci"][metric]
            assert 0 <= low <= overall[part][metric] <= high <= 1
    low, high = overall["agreement_ci"]
    assert low <= overall["agreement"] <= high
    shown = [b for b in result["by_group"].values() if not b["suppressed"]]
    assert all("ci" in b["model"] and "ci" in b["decisions"] for b in shown)


def test_gaps_leave_out_withheld_groups(two_columns: tuple[pl.DataFrame, dict[str, Any]]) -> None:
    _, result = two_columns
    shown = {k: b for k, b in result["by_group"].items() if not b["suppressed"]}
    recall = {k: b["model"]["recall"] for k, b in shown.items() if b["model"]["recall"] is not None}
    gap = result["gaps"]["model"]["by_group"]["recall"]
    assert gap["groups_compared"] == len(recall)
    assert gap["difference"] == pytest.approx(max(recall.values()) - min(recall.values()))
    assert gap["highest_group"] in shown and gap["lowest_group"] in shown


def test_a_larger_minimum_withholds_more_groups_but_keeps_their_size() -> None:
    frame = _children(n=120, seed=5)
    groups = {"SEX": frame["SEX"].to_list(), "ETHNIC": frame["ETHNIC"].to_list()}
    arrays = (frame["score"].to_numpy(), frame["acted"].to_numpy(), frame["y"].to_numpy())
    hand = _hand_groups(frame, ["SEX", "ETHNIC"])
    for minimum in (5, 30):
        result = compare_shadow_groups(
            *arrays,
            groups,
            threshold=THRESHOLD,
            min_group_size=minimum,
            bootstrap=BootstrapSettings(resamples=0),
        )
        for key, block in result["by_group"].items():
            assert block["n"] == hand[key]["n"]
            assert block["suppressed"] is (hand[key]["n"] < minimum)
            assert ("agreement" in block) is (hand[key]["n"] >= minimum)


def test_html_has_the_banner_the_tables_and_the_chart(
    two_columns: tuple[pl.DataFrame, dict[str, Any]],
) -> None:
    _, comparison = two_columns
    result = {
        "model": "risk",
        "version": "1.0",
        "mode": "shadow",
        "run": 3,
        "source": "stored predictions",
        "threshold": THRESHOLD,
        "scored": 420,
        "compared": 400,
        "outputs_shown_to_decision_makers": False,
        "notice": "Shadow running notice.",
        "plain_words": ["The model would have agreed with the professionals about half the time."],
        **comparison,
    }
    html = render_shadow_html(result, title="Shadow running: risk 1.0")
    assert 'id="never-shown-banner"' in html and "never shown to decision makers" in html
    assert html.index("never-shown-banner") < html.index("In plain words") < html.index('id="intersections"')
    for table in ('id="overall"', 'id="by-SEX"', 'id="by-ETHNIC"', 'id="intersections"', 'id="gaps"'):
        assert table in html
    intersections = html[html.index('id="intersections"') :]
    for key, block in comparison["by_group"].items():
        assert f"<td>{key}</td><td>{block['n_display'].replace('<', '&lt;')}</td>" in intersections
    assert "withheld: fewer than 10 children" in intersections
    assert "<svg" in html
    live = render_shadow_html({**result, "outputs_shown_to_decision_makers": True}, title="t")
    assert "never-shown-banner" not in live and 'id="shown-banner"' in live


# --- through the service: stored group columns, decisions, the report ----------------------------------


def test_service_reports_intersections_of_stored_group_columns(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    settings = sqlite_settings
    frame = _children(n=120, seed=8).with_columns(pl.Series("CHILD", [f"K{i:03d}" for i in range(120)]))
    path = tmp_path / "predictions.csv"
    frame.select("CHILD", "score", "y", "SEX", "ETHNIC").write_csv(path)
    register_model(settings, name="risk", version="1.0", mode="shadow", actor="lead", threshold=THRESHOLD)
    run = shadow_run(
        settings, "risk", actor="lead", predictions=path, outcome_column="y", group_column="SEX,ETHNIC"
    )
    assert run["group_columns"] == ["SEX", "ETHNIC"]
    acts = zip(frame["CHILD"].to_list(), frame["acted"].to_list(), strict=True)
    decide_quickly(settings, "risk", {c: "refer" if a else "no_further_action" for c, a in acts})

    report = shadow_report(settings, "risk", groups=["ETHNIC", "SEX"], resamples=0)
    assert report["group_columns"] == ["ETHNIC", "SEX"] and report["compared"] == 120
    hand = _hand_groups(frame, ["ETHNIC", "SEX"])
    assert list(report["by_group"]) == sorted(hand)
    for key, block in report["by_group"].items():
        _check_block(block, hand[key], _rows(frame, ["ETHNIC", "SEX"], key))
    single = shadow_report(settings, "risk", resamples=0)  # by default the run's first group column
    assert single["group_columns"] == ["SEX"] and set(single["by_group"]) == {"F", "M"}
    with pytest.raises(UsageError, match="no group column AGE") as raised:
        shadow_report(settings, "risk", groups="SEX,AGE")
    assert "SEX, ETHNIC" in (raised.value.hint or "")


def test_demonstration_run_keeps_the_protected_characteristics_for_intersections(tmp_path: Path) -> None:
    import duckdb
    from tests.unit.evaluation.synthetic_903 import write_903_store

    from kinsight.services.evaluation import model_demo
    from kinsight.storage.appdb import dispose_engine

    header, episodes = write_903_store(tmp_path, 150, seed=4)
    settings = Settings(home=tmp_path)
    try:
        model_demo(settings, resamples=0, pdf=False)
        register_model(settings, name="demo", version="0.1", mode="shadow", actor="lead")
        run = shadow_run(settings, "demo", actor="lead")
        assert run["group_columns"][:2] == ["sex", "ethnicity"]
        with duckdb.connect(str(settings.store_path), read_only=True) as con:
            stored = con.sql("select subject, grp from _shadow_outputs order by subject").pl()
        # the stored sex group is the header's SEX code in words (1 male, 2 female)
        sexes = dict(zip(header["CHILD"].to_list(), header["SEX"].to_list(), strict=True))
        words = {"1": "male", "2": "female"}
        for subject, grp in stored.iter_rows():
            assert json.loads(grp)["sex"] == words[sexes[subject]]
        children = stored["subject"].to_list()
        decide_quickly(settings, "demo", {c: "refer" for c in children})
        report = shadow_report(settings, "demo", groups="sex,ethnicity", resamples=0)
        assert report["group_columns"] == ["sex", "ethnicity"]
        assert set(report["by_column"]["sex"]) == {"male", "female"}
        assert all(k.split("|")[0] in {"male", "female"} for k in report["by_group"])
        assert sum(b["n"] for b in report["by_group"].values()) == report["compared"]
    finally:
        dispose_engine(settings.app_database_url)


def test_a_run_stored_before_group_columns_were_named_still_reports(sqlite_settings: Settings) -> None:
    from datetime import datetime

    from kinsight.storage import evaluation_repo as repo
    from kinsight.storage.analytical import open_store

    settings = sqlite_settings
    frame = _children(n=40, seed=2).with_columns(pl.Series("subject", [f"K{i:02d}" for i in range(40)]))
    register_model(settings, name="old", version="1", mode="shadow", actor="lead", threshold=THRESHOLD)
    with repo.session(settings.app_database_url) as s:
        model = repo.find_model(s, "old")
        assert model is not None
        run = repo.add_shadow_run(
            s, model_id=model.id, scored=40, data_as_at="x", comparison={"source": "stored predictions"}
        )
        run_id = run.id
    outputs = frame.select(
        pl.lit(run_id, dtype=pl.Int32).alias("run_id"),
        pl.lit("old").alias("model"),
        pl.lit("1").alias("version"),
        "subject",
        pl.lit(None, dtype=pl.Date).alias("placement_start"),
        "score",
        pl.col("y").cast(pl.Int32).alias("outcome"),
        pl.col("SEX").alias("grp"),  # a plain value, as runs stored it before
        pl.lit(datetime(2025, 1, 1)).alias("scored_at"),
    )
    with open_store(settings.store_path) as con:
        repo.write_shadow_outputs(con, outputs)
    acts = zip(frame["subject"].to_list(), frame["acted"].to_list(), strict=True)
    decide_quickly(settings, "old", {c: "refer" if a else "no_further_action" for c, a in acts})
    report = shadow_report(settings, "old", resamples=0)
    assert report["group_columns"] == ["group"] and report["available_group_columns"] == ["group"]
    hand = _hand_groups(frame, ["SEX"])
    for key, block in report["by_group"].items():
        _check_block(block, hand[key], _rows(frame, ["SEX"], key))
