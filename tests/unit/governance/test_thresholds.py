"""Threshold checks against metrics computed independently with scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_score, recall_score

from kinsight.governance.thresholds import check_thresholds


def payload(rng_seed: int) -> dict:
    rng = np.random.default_rng(rng_seed)
    n = 600
    group = rng.choice(["A", "B", "C"], size=n, p=[0.45, 0.45, 0.1])
    y = (rng.random(n) < 0.35).astype(int)
    p = np.where(rng.random(n) < np.select([group == "A", group == "B"], [0.1, 0.3], 0.5), 1 - y, y)
    groups = []
    for g in ("A", "B", "C"):
        m = group == g
        groups.append(
            {
                "attribute": "ethnicity",
                "group": g,
                "n": int(m.sum()),
                "precision": precision_score(y[m], p[m]),
                "recall": recall_score(y[m], p[m]),
            }
        )
    return {"overall": {"precision": precision_score(y, p), "recall": recall_score(y, p)}, "by_group": groups}


def test_checks_agree_with_hand_comparison() -> None:
    data = payload(7)
    criteria = {
        "min_precision": 0.5,
        "min_recall": 0.5,
        "min_group_recall": 0.6,
        "max_group_gap": 0.15,
        "min_group_size": 100,
    }
    checks = {c.name: c for c in check_thresholds(criteria, data)}
    judged = [g for g in data["by_group"] if g["n"] >= 100]
    assert {g["group"] for g in judged} == {"A", "B"}  # C is too small to judge
    assert checks["overall precision"].met is (data["overall"]["precision"] >= 0.5)
    for g in judged:
        assert checks[f"recall for ethnicity={g['group']}"].met is (g["recall"] >= 0.6)
    recall_gap = abs(judged[0]["recall"] - judged[1]["recall"])
    assert abs(checks["recall gap between ethnicity groups"].actual - recall_gap) < 1e-12
    assert checks["recall gap between ethnicity groups"].met is (recall_gap <= 0.15)
    assert not any("=C" in name for name in checks)


def test_undefined_metric_never_meets_a_threshold() -> None:
    data = {"overall": {"precision": None, "recall": 0.9}, "by_group": []}
    (check,) = [c for c in check_thresholds({"min_precision": 0.1}, data)]
    assert check.actual is None and not check.met


def test_unset_thresholds_are_not_checked() -> None:
    assert check_thresholds({}, payload(1)) == []
