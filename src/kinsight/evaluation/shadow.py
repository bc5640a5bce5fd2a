"""Shadow (beta) running: compare what a model *would* have said with what people decided and what happened.

In shadow mode a model scores live cases in parallel; its outputs are stored but never shown to decision
makers.  Once outcomes are known, this comparison answers: how often would the model have agreed with the
professionals, which children with the outcome it would have caught or missed (and whether people caught
them), and who was right more often (McNemar's test on the same children).

The same comparison is made within each group and each intersection of groups (``"F|WBRI"``).  Groups,
intersections, group sizes, suppression below the minimum group size, intervals and gaps all come from
:func:`kinsight.evaluation.evaluate.evaluate`, so a shadow report and ``kinsight evaluate`` can never
disagree about who is in a group or which groups are withheld.  Two evaluations are made on the same
children, the model's flags and the professionals' decisions, each against the outcomes; a third, of the
model's flags against the decisions, gives the interval of the overall agreement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from kinsight.evaluation.baseline import label_metrics, mcnemar_paired
from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.evaluate import SEPARATOR, EvaluationOptions, evaluate, group_keys

# The figures shown for the model and for the decisions, each judged against the outcomes.
JUDGED_METRICS: tuple[str, ...] = (
    "precision",
    "recall",
    "f1",
    "accuracy",
    "selection_rate",
    "false_positive_rate",
)


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


def _judged(block: Mapping[str, Any]) -> dict[str, Any]:
    """An evaluation block cut down to the figures a shadow report shows, with their intervals."""
    out: dict[str, Any] = {m: block.get(m) for m in JUDGED_METRICS}
    if block.get("ci"):
        out["ci"] = {m: block["ci"][m] for m in JUDGED_METRICS}
    return out


def _shadow_block(
    rows: np.ndarray,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
    evaluated: Mapping[str, Mapping[str, Any]],
    threshold: float,
) -> dict[str, Any]:
    """One group's comparison: counts from :func:`compare_shadow`, figures and intervals from evaluate."""
    model = evaluated["model"]
    if model["suppressed"]:
        return {
            "n": model["n"],
            "n_display": model["n_display"],
            "suppressed": True,
            "children": None,
            "notes": model["notes"],
        }
    scores, decisions, outcomes = arrays
    block = compare_shadow(scores[rows], decisions[rows], outcomes[rows], threshold=threshold)
    if block["children"] != model["n"]:  # both must describe the very same children
        raise RuntimeError("shadow comparison and evaluation disagree about a group's children")
    block.update(
        {
            "n": model["n"],
            "n_display": model["n_display"],
            "suppressed": False,
            "notes": model["notes"],
            "model": _judged(model),
            "decisions": _judged(evaluated["decisions"]),
        }
    )
    return block


def _grouping_blocks(
    keys: np.ndarray,
    evaluated: Mapping[str, Mapping[str, Mapping[str, Any]]],
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
    threshold: float,
) -> dict[str, dict[str, Any]]:
    """Every group of one grouping, in evaluate's order (sorted keys)."""
    present = set(keys.astype(str).tolist())
    if present != set(evaluated["model"]):
        raise RuntimeError("shadow comparison and evaluation disagree about the groups")
    return {
        key: _shadow_block(
            keys == key,
            arrays,
            {part: evaluated[part][key] for part in ("model", "decisions")},
            threshold,
        )
        for key in evaluated["model"]
    }


def compare_shadow_groups(
    scores: np.ndarray,
    decisions: np.ndarray,
    outcomes: np.ndarray,
    groups: Mapping[str, Sequence[object]] | None = None,
    *,
    threshold: float,
    min_group_size: int = 10,
    bootstrap: BootstrapSettings | None = None,
) -> dict[str, Any]:
    """The whole shadow comparison: overall, per group column, per intersection, gaps, with intervals.

    With one group column ``by_group`` holds its groups; with several it holds their intersections (values
    joined with ``|`` in the order given) and ``by_column`` each column's own groups, exactly as
    :func:`~kinsight.evaluation.evaluate.evaluate` keys them.  A group under ``min_group_size`` children
    keeps its size ``n`` (``n_display`` reads ``"<10"``) and shows nothing else.  The overall comparison is
    always shown; its intervals need at least ``min_group_size`` children.
    """
    scores = np.asarray(scores, dtype=float)
    decisions = np.asarray(decisions, dtype=int)
    outcomes = np.asarray(outcomes, dtype=int)
    arrays = (scores, decisions, outcomes)
    flagged = (scores >= threshold).astype(int)
    options = EvaluationOptions(
        threshold=0.5, min_group_size=min_group_size, bootstrap=bootstrap or BootstrapSettings()
    )
    given = dict(groups or {})
    evaluations: dict[str, dict[str, Any]] = {
        "model": evaluate(outcomes, label=flagged, groups=given or None, options=options),
        "decisions": evaluate(outcomes, label=decisions, groups=given or None, options=options),
    }
    overall = compare_shadow(scores, decisions, outcomes, threshold=threshold)
    if not evaluations["model"]["overall"]["suppressed"]:
        overall["model"] = _judged(evaluations["model"]["overall"])
        overall["decisions"] = _judged(evaluations["decisions"]["overall"])
        # Agreement is the model's accuracy at predicting the decisions; its interval is given overall
        # only, since per group it would add half again to the bootstrap's cost.
        agreement = evaluate(decisions, label=flagged, options=options)["overall"]
        overall["agreement_ci"] = (agreement.get("ci") or {}).get("accuracy")
    conventions = dict(evaluations["model"]["conventions"])
    conventions.update(
        {
            "flagged_when": "score >= threshold",
            "threshold": threshold,
            "acted_when": "the professional's recorded decision is an action (not 'no further action' "
            "or 'continue current plan')",
            "agreement": "share of children for whom the model's flag matches whether people acted",
        }
    )
    conventions.pop("input", None)
    result: dict[str, Any] = {"conventions": conventions, "overall": overall}
    if not given:
        return result
    keys = group_keys(given, outcomes.shape[0])
    names = list(keys)
    by_column = {
        name: _grouping_blocks(
            keys[name],
            {part: e["by_column"][name] for part, e in evaluations.items()},
            arrays,
            threshold,
        )
        for name in names
    }
    if len(names) == 1:
        by_group = by_column[names[0]]
    else:
        joined = np.array([SEPARATOR.join(parts) for parts in zip(*(keys[n] for n in names), strict=True)])
        by_group = _grouping_blocks(
            joined, {part: e["by_group"] for part, e in evaluations.items()}, arrays, threshold
        )
    result.update(
        {
            "group_columns": names,
            "by_group": by_group,
            "by_column": by_column,
            "gaps": {
                "model": evaluations["model"]["gaps"],
                "decisions": evaluations["decisions"]["gaps"],
            },
        }
    )
    return result
