"""Shadow (beta) running: compare what a model *would* have said with what people decided and what happened.

In shadow mode a model scores live cases in parallel; its outputs are stored but never shown to decision
makers.  Once outcomes are known, this comparison answers: how often would the model have agreed with the
professionals, which children with the outcome it would have caught or missed (and whether people caught
them), and who was right more often (McNemar's test on the same children).  The same comparison is made
within each group, with small groups withheld so that no child can be picked out.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    happened = outcomes == 1
    return {
        "children": n,
        "threshold": threshold,
        "agreement": agree / n if n else None,
        "model_flagged_people_did_not": int(((flagged == 1) & (decisions == 0)).sum()),
        "people_acted_model_did_not": int(((flagged == 0) & (decisions == 1)).sum()),
        "outcomes": {
            "happened": int(happened.sum()),
            "model_would_have_caught": int((happened & (flagged == 1)).sum()),
            "model_would_have_missed": int((happened & (flagged == 0)).sum()),
            "people_caught": int((happened & (decisions == 1)).sum()),
            "model_caught_people_missed": int((happened & (flagged == 1) & (decisions == 0)).sum()),
            "people_caught_model_missed": int((happened & (flagged == 0) & (decisions == 1)).sum()),
        },
        "model": label_metrics(outcomes, flagged),
        "decisions": label_metrics(outcomes, decisions),
        "paired_test": mcnemar_paired(outcomes, flagged, decisions).as_dict(),
    }


def compare_shadow_by_group(
    scores: np.ndarray,
    decisions: np.ndarray,
    outcomes: np.ndarray,
    groups: Sequence[object],
    *,
    threshold: float,
    min_group_size: int = 10,
) -> dict[str, dict[str, Any]]:
    """:func:`compare_shadow` within each group (sorted); groups under ``min_group_size`` are withheld.

    A withheld group keeps only its size shown as ``"<min"``: counts as small as one or two children in a
    group would let a reader single a child out.
    """
    keys = np.array(["(missing)" if g is None or g == "" else str(g) for g in groups], dtype=object)
    scores, decisions, outcomes = (np.asarray(a) for a in (scores, decisions, outcomes))
    if keys.shape != scores.shape:
        raise ValueError("one group value is needed for each child")
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(set(keys.tolist())):
        rows = keys == key
        n = int(rows.sum())
        if n < min_group_size:
            out[key] = {"children": None, "n_display": f"<{min_group_size}", "suppressed": True}
            continue
        block = compare_shadow(scores[rows], decisions[rows], outcomes[rows], threshold=threshold)
        out[key] = {**block, "n_display": str(n), "suppressed": False}
    return out
