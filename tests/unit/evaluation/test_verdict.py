"""The verdict against thresholds: each one met or not, with evidence; unknown is never a pass."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.evaluate import EvaluationOptions, evaluate
from kinsight.evaluation.verdict import Thresholds, verdict


def _result() -> dict:
    # group A: tp 2, fp 3, fn 8 -> precision 0.4, recall 0.2 (the WWCSC pattern)
    y = [1] * 10 + [0] * 10 + [1] * 5 + [0] * 5
    s = [0.9] * 2 + [0.1] * 8 + [0.9] * 3 + [0.1] * 7 + [0.9] * 5 + [0.1] * 5
    g = ["A"] * 20 + ["B"] * 10
    options = EvaluationOptions(min_group_size=10, bootstrap=BootstrapSettings(resamples=0))
    return evaluate(np.array(y), score=np.array(s), groups={"G": g}, options=options)


def test_each_threshold_met_or_not_with_evidence() -> None:
    result = _result()
    # overall: tp 7, fp 3, fn 8 -> precision 0.7, recall 7/15
    doc = Thresholds.model_validate(
        {
            "thresholds": [
                {"metric": "precision", "at_least": 0.65},
                {"metric": "recall", "at_least": 0.5, "applies_to": "every_group"},
                {"gap": "recall", "at_most": 0.1},
            ]
        }
    )
    out = verdict(result, doc)
    assert out["passed"] is False
    precision, recall_groups, gap = out["results"]
    assert precision["met"] is True and precision["observed"] == pytest.approx(0.7)
    assert recall_groups["met"] is False and "A (0.200)" in recall_groups["evidence"]
    assert recall_groups["observed"] == pytest.approx(0.2)
    assert gap["met"] is False and gap["observed"] == pytest.approx(0.8)


def test_an_uncomputable_metric_is_not_met() -> None:
    y = np.array([0] * 12)
    s = np.array([0.1] * 12)
    result = evaluate(y, score=s, options=EvaluationOptions(bootstrap=BootstrapSettings(resamples=0)))
    out = verdict(result, Thresholds.model_validate({"thresholds": [{"metric": "recall", "at_least": 0.1}]}))
    assert out["passed"] is False
    assert "cannot be computed" in out["results"][0]["evidence"]


def test_threshold_documents_are_strict() -> None:
    with pytest.raises(ValidationError):
        Thresholds.model_validate({"thresholds": [{"metric": "precision", "at_least": 0.6, "typo": 1}]})
    with pytest.raises(ValidationError):
        Thresholds.model_validate({"thresholds": [{"metric": "precision"}]})
    with pytest.raises(ValidationError):
        Thresholds.model_validate({"thresholds": [{"gap": "brier", "at_most": 0.1}]})
