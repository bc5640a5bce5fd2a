"""Shadow (beta) running: compare what a model *would* have said with what people decided and what happened.

In shadow mode a model scores live cases in parallel; its outputs are stored but never shown to decision
makers.  Once outcomes are known, this comparison answers: how often would the model have agreed with the
professionals, and who was right more often (McNemar's test on the same children)?
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kinsight.evaluation.baseline import label_metrics, mcnemar_paired


def compare_shadow(
    scores: np.ndarray, decisions: np.ndarray, outcomes: np.ndarray, *, threshold: float
) -> dict[str, Any]:
    """Model (flag when score >= threshold) against the decisions actually made, both judged by outcomes.

    ``decisions`` is 1 where the professionals acted (e.g. extra support), 0 otherwise; ``outcomes`` is
    1 where the outcome happened.  All arrays are for the same children, in the same order.
    """
    scores = np.asarray(scores, dtype=float)
    decisions = np.asarray(decisions, dtype=int)
    outcomes = np.asarray(outcomes, dtype=int)
    if not (scores.shape == decisions.shape == outcomes.shape):
        raise ValueError("scores, decisions and outcomes must be for the same children")
    flagged = (scores >= threshold).astype(int)
    agree = int((flagged == decisions).sum())
    n = int(scores.shape[0])
    return {
        "children": n,
        "threshold": threshold,
        "agreement": agree / n if n else None,
        "model_flagged_people_did_not": int(((flagged == 1) & (decisions == 0)).sum()),
        "people_acted_model_did_not": int(((flagged == 0) & (decisions == 1)).sum()),
        "model": label_metrics(outcomes, flagged),
        "decisions": label_metrics(outcomes, decisions),
        "paired_test": mcnemar_paired(outcomes, flagged, decisions).as_dict(),
    }
