"""Every metric, overall and per group, checked against scikit-learn and fairlearn computed separately."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.evaluate import EvaluationOptions, evaluate

NO_BOOT = EvaluationOptions(threshold=0.5, min_group_size=1, bootstrap=BootstrapSettings(resamples=0))


def _close(ours: float | None, theirs: float) -> None:
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        assert ours is None
    else:
        assert ours is not None
        assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12)


def _reference(y: np.ndarray, s: np.ndarray, t: float) -> dict[str, float]:
    flag = (s >= t).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both = len(set(y.tolist())) == 2
        out = {
            "precision": precision_score(y, flag, zero_division=np.nan),
            "recall": recall_score(y, flag, zero_division=np.nan),
            "accuracy": accuracy_score(y, flag),
            "roc_auc": roc_auc_score(y, s) if both else float("nan"),
            "pr_auc": average_precision_score(y, s) if y.sum() > 0 else float("nan"),
            "brier": brier_score_loss(y, s, labels=[0, 1]),
        }
        # F1 undefined only when there are neither flagged children nor outcomes
        out["f1"] = f1_score(y, flag, zero_division=np.nan) if (flag.sum() + y.sum()) > 0 else float("nan")
    return out


rows = st.integers(min_value=1, max_value=120)


@st.composite
def datasets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    n = draw(rows)
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    # few distinct values on purpose: ties are where implementations differ
    s = np.array(
        draw(
            st.lists(
                st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.7, 0.9, 1.0]) | st.floats(0, 1),
                min_size=n,
                max_size=n,
            )
        )
    )
    g = np.array(draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n)))
    t = draw(st.sampled_from([0.0, 0.3, 0.5, 0.75, 1.0]))
    return y, s, g, t


@settings(max_examples=80, deadline=None)
@given(datasets())
def test_overall_and_group_metrics_match_sklearn(
    data: tuple[np.ndarray, np.ndarray, np.ndarray, float],
) -> None:
    y, s, g, t = data
    options = EvaluationOptions(threshold=t, min_group_size=1, bootstrap=BootstrapSettings(resamples=0))
    result = evaluate(y, score=s, groups={"G": g}, options=options)
    for name, value in _reference(y, s, t).items():
        _close(result["overall"][name], value)
    for key in np.unique(g):
        rows_ = g == key
        for name, value in _reference(y[rows_], s[rows_], t).items():
            _close(result["by_group"][str(key)][name], value)
        assert result["by_group"][str(key)]["n"] == int(rows_.sum())


@settings(max_examples=50, deadline=None)
@given(datasets())
def test_gaps_match_fairlearn_metricframe(data: tuple[np.ndarray, np.ndarray, np.ndarray, float]) -> None:
    y, s, g, t = data
    options = EvaluationOptions(threshold=t, min_group_size=1, bootstrap=BootstrapSettings(resamples=0))
    result = evaluate(y, score=s, groups={"G": g}, options=options)
    flag = (s >= t).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = MetricFrame(
            metrics={
                "recall": lambda a, b: recall_score(a, b, zero_division=np.nan),
                "precision": lambda a, b: precision_score(a, b, zero_division=np.nan),
                "selection_rate": selection_rate,
                "false_positive_rate": false_positive_rate,
            },
            y_true=y,
            y_pred=flag,
            sensitive_features=pd.Series(g, name="G"),
        )
        by_group = frame.by_group
    for metric in ("recall", "precision", "selection_rate", "false_positive_rate"):
        column = by_group[metric].astype(float)
        if metric == "false_positive_rate":
            # fairlearn reports 0 where a group has no child without the outcome; we report null
            negatives = {k: int(((g == k) & (y == 0)).sum()) for k in column.index}
            column = column[[negatives[k] > 0 for k in column.index]]
        defined = column.dropna()
        gap = result["gaps"]["by_group"][metric]
        if len(defined) < 2:
            assert gap["difference"] is None
            continue
        assert math.isclose(gap["difference"], defined.max() - defined.min(), abs_tol=1e-12)
        if defined.max() > 0:
            assert math.isclose(gap["ratio"], defined.min() / defined.max(), abs_tol=1e-12)
        for key, value in defined.items():
            assert math.isclose(result["by_group"][str(key)][metric], value, abs_tol=1e-12)


def test_precision_without_flagged_children_is_null_with_a_note() -> None:
    y = np.array([1, 0, 1, 0])
    s = np.array([0.1, 0.2, 0.3, 0.4])
    result = evaluate(y, score=s, options=NO_BOOT)
    assert result["overall"]["precision"] is None
    assert any("no child was flagged" in note for note in result["overall"]["notes"])
    assert math.isnan(precision_score(y, (s >= 0.5).astype(int), zero_division=np.nan))


def test_label_input_matches_sklearn_and_has_no_score_metrics() -> None:
    y = np.array([1, 1, 0, 0, 1, 0, 0, 1, 1, 0])
    label = np.array([1, 0, 0, 1, 1, 0, 0, 0, 1, 0])
    result = evaluate(y, label=label, options=NO_BOOT)
    assert math.isclose(result["overall"]["precision"], precision_score(y, label))
    assert math.isclose(result["overall"]["recall"], recall_score(y, label))
    assert "roc_auc" not in result["overall"]
    assert result["conventions"]["input"] == "label"
