"""Shadow running: what the model would have said against decisions made and outcomes, by hand."""

from __future__ import annotations

import numpy as np

from kinsight.evaluation.shadow import compare_shadow


def test_shadow_comparison_counts_agreement_and_judges_both_by_outcomes() -> None:
    scores = np.array([0.9, 0.8, 0.2, 0.1, 0.7, 0.3])
    decisions = np.array([1, 0, 0, 1, 1, 0])
    outcomes = np.array([1, 1, 0, 0, 0, 1])
    out = compare_shadow(scores, decisions, outcomes, threshold=0.5)
    # model flags rows 0, 1, 4; people acted on rows 0, 3, 4 -> agree on rows 0, 2, 4, 5
    assert out["agreement"] == 4 / 6
    assert out["model_flagged_people_did_not"] == 1 and out["people_acted_model_did_not"] == 1
    assert out["model"]["precision"] == 2 / 3 and out["model"]["recall"] == 2 / 3
    assert out["decisions"]["precision"] == 1 / 3 and out["decisions"]["recall"] == 1 / 3
