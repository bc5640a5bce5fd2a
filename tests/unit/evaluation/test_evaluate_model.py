"""evaluate_model with a fitted scikit-learn model and data passed in, against sklearn's own metrics."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from kinsight.errors import UsageError
from kinsight.services.evaluation import evaluate_model


def test_evaluate_model_matches_sklearn_overall_and_per_group() -> None:
    rng = np.random.default_rng(8)
    n = 600
    x = rng.normal(size=(n, 3))
    y = (x @ np.array([1.2, -0.7, 0.3]) + rng.normal(size=n) > 0.4).astype(int)
    group = rng.choice(["A", "B", "C"], n).tolist()
    features = pl.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2]})
    model = LogisticRegression().fit(features.to_pandas(), y)
    result = evaluate_model(model, features, y, groups={"grp": group}, threshold=0.4, resamples=0)
    p = model.predict_proba(features.to_pandas())[:, 1]
    g = np.array(group)
    for name, rows in [("overall", np.ones(n, dtype=bool)), *[(k, g == k) for k in ("A", "B", "C")]]:
        block = result["overall"] if name == "overall" else result["by_group"][name]
        yy, pp = y[rows], p[rows]
        flag = (pp >= 0.4).astype(int)
        assert block["n"] == int(rows.sum())
        assert block["precision"] == pytest.approx(precision_score(yy, flag))
        assert block["recall"] == pytest.approx(recall_score(yy, flag))
        assert block["f1"] == pytest.approx(f1_score(yy, flag))
        assert block["accuracy"] == pytest.approx(accuracy_score(yy, flag))
        assert block["roc_auc"] == pytest.approx(roc_auc_score(yy, pp))
        assert block["pr_auc"] == pytest.approx(average_precision_score(yy, pp))
        assert block["brier"] == pytest.approx(brier_score_loss(yy, pp))


def test_a_model_without_probabilities_is_refused() -> None:
    with pytest.raises(UsageError, match="predict_proba"):
        evaluate_model(object(), pl.DataFrame({"a": [1.0]}), np.array([1]))
