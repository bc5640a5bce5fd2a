"""Per-group figures: intersections, per-column groups, suppression below the minimum group size."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_score, recall_score

from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.evaluate import EvaluationOptions, evaluate

OPTIONS = EvaluationOptions(threshold=0.5, min_group_size=10, bootstrap=BootstrapSettings(resamples=50))


def _data() -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    rng = np.random.default_rng(5)
    n = 400
    y = (rng.random(n) < 0.3).astype(int)
    s = np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1)
    sex = ["F" if v < 0.5 else "M" for v in rng.random(n)]
    eth = ["WBRI" if v < 0.7 else ("BAFR" if v < 0.985 else "CHNE") for v in rng.random(n)]
    return y, s, sex, eth


def test_intersections_are_keyed_with_a_bar_in_column_order() -> None:
    y, s, sex, eth = _data()
    result = evaluate(y, score=s, groups={"SEX": sex, "ETHNIC": eth}, options=OPTIONS)
    assert result["group_columns"] == ["SEX", "ETHNIC"]
    combos = sorted({f"{a}|{b}" for a, b in zip(sex, eth, strict=True)})
    assert sorted(result["by_group"]) == combos
    rows = np.array([a == "F" and b == "WBRI" for a, b in zip(sex, eth, strict=True)])
    block = result["by_group"]["F|WBRI"]
    assert block["n"] == int(rows.sum())
    assert block["precision"] == precision_score(y[rows], (s[rows] >= 0.5).astype(int))
    assert block["recall"] == recall_score(y[rows], (s[rows] >= 0.5).astype(int))
    # each column's own groups are there too
    assert sorted(result["by_column"]["SEX"]) == ["F", "M"]
    assert result["by_column"]["SEX"]["M"]["n"] == sex.count("M")
    assert set(result["gaps"]["by_column"]) == {"SEX", "ETHNIC"}


def test_small_groups_keep_n_but_withhold_metrics_and_stay_out_of_gaps() -> None:
    y, s, sex, eth = _data()
    result = evaluate(y, score=s, groups={"ETHNIC": eth}, options=OPTIONS)
    small = result["by_group"]["CHNE"]
    assert small["n"] == eth.count("CHNE") and small["n"] < 10
    assert small["suppressed"] is True and small["n_display"] == "<10"
    assert small["precision"] is None and small["recall"] is None
    assert "confusion" not in small and "ci" not in small
    assert result["gaps"]["by_group"]["recall"]["groups_compared"] == 2
    assert "CHNE" not in (
        result["gaps"]["by_group"]["recall"]["lowest_group"],
        result["gaps"]["by_group"]["recall"]["highest_group"],
    )


def test_missing_group_values_form_their_own_group() -> None:
    y = np.array([1, 0] * 10)
    s = np.linspace(0, 1, 20)
    groups = {"SEX": ["F", None] * 10}
    result = evaluate(y, score=s, groups=groups, options=OPTIONS)
    assert set(result["by_group"]) == {"F", "(missing)"}


def test_confusion_counts_add_up_to_n() -> None:
    y, s, sex, _ = _data()
    result = evaluate(y, score=s, groups={"SEX": sex}, options=OPTIONS)
    for block in result["by_group"].values():
        assert sum(block["confusion"].values()) == block["n"]
        assert block["outcome_count"] == block["confusion"]["tp"] + block["confusion"]["fn"]
