"""Evaluate a model's outputs overall, per group and per intersection of groups, with intervals and gaps.

The result reads like fairlearn's ``MetricFrame``: ``overall``, ``by_group``, and gaps (difference and
ratio between groups).  Conventions, fixed here and repeated in the JSON ``conventions`` block:

* a child is flagged when ``score >= threshold`` (a 0/1 label is used as given);
* ``by_group`` keys are the group values; with several group columns they are the intersections, values
  joined with ``|`` in the order the columns were given (``"F|WBRI"``), and ``by_column`` gives each
  column's own groups; a missing group value is shown as ``(missing)``;
* a group with fewer than ``min_group_size`` children is suppressed: ``n`` is still given (an integer;
  ``n_display`` reads ``"<10"``), every metric is ``null`` and it takes no part in gaps;
* an undefined metric (precision with no flagged children, recall with nobody who had the outcome, AUC with
  one class) is ``null`` with a note, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kinsight.errors import UsageError
from kinsight.evaluation.baseline import label_metrics, mcnemar_paired
from kinsight.evaluation.bootstrap import BootstrapSettings, draws, percentile_interval
from kinsight.evaluation.gaps import GAP_METRICS, metric_gap
from kinsight.evaluation.metrics import (
    COUNT_METRICS,
    SCORE_METRICS,
    Metric,
    all_metrics,
    confusion,
    group_data,
    observed_table,
    reliability_curve,
    threshold_sweep,
)

MISSING = "(missing)"
SEPARATOR = "|"
SWEEP = np.round(np.arange(0.05, 1.0, 0.05), 2)

_UNDEFINED_NOTES = {
    Metric.PRECISION: "precision is undefined: no child was flagged",
    Metric.RECALL: "recall is undefined: no child had the outcome",
    Metric.ROC_AUC: "ROC-AUC is undefined: only one outcome class present",
    Metric.PR_AUC: "PR-AUC is undefined: no child had the outcome",
}


@dataclass(frozen=True)
class EvaluationOptions:
    threshold: float = 0.5
    min_group_size: int = 10
    bootstrap: BootstrapSettings = field(default_factory=BootstrapSettings)


def _clean(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _group_block(
    score: np.ndarray,
    outcome: np.ndarray,
    *,
    with_scores: bool,
    options: EvaluationOptions,
    rng: np.random.Generator | None,
) -> tuple[dict[str, object], dict[Metric, np.ndarray] | None]:
    """One group's figures (JSON-ready) and its bootstrap draws (for gap intervals)."""
    n = int(outcome.shape[0])
    small = n < options.min_group_size
    block: dict[str, object] = {
        "n": n,
        "n_display": f"<{options.min_group_size}" if small else str(n),
        "suppressed": small,
    }
    metrics = COUNT_METRICS + (SCORE_METRICS if with_scores else ())
    if small:
        block.update({m.value: None for m in metrics})
        block["notes"] = [f"fewer than {options.min_group_size} children: metrics withheld"]
        return block, None
    data = group_data(score, outcome, options.threshold, with_loss=with_scores)
    table = observed_table(data)
    values = all_metrics(table, with_scores=with_scores)
    c = confusion(table)
    block["outcome_count"] = int(c.tp[0] + c.fn[0])
    block.update({m.value: _clean(values[m][0]) for m in metrics})
    block["confusion"] = {"tp": int(c.tp[0]), "fp": int(c.fp[0]), "fn": int(c.fn[0]), "tn": int(c.tn[0])}
    notes = [text for m, text in _UNDEFINED_NOTES.items() if m in values and np.isnan(values[m][0])]
    block["notes"] = notes
    sample: dict[Metric, np.ndarray] | None = None
    if rng is not None and options.bootstrap.resamples > 0:
        sample = draws(data, with_scores=with_scores, resamples=options.bootstrap.resamples, rng=rng)
        ci: dict[str, list[float | None]] = {}
        for metric in metrics:
            interval = percentile_interval(sample[metric], options.bootstrap.confidence)
            ci[metric.value] = [interval.lower, interval.upper]
        block["ci"] = ci
    return block, sample


def group_keys(groups: Mapping[str, Sequence[object]], n: int) -> dict[str, np.ndarray]:
    """Each group column as an object array of labels, blanks as "(missing)"; shared with shadow reports
    so both say the same thing about the same children."""
    keys: dict[str, np.ndarray] = {}
    for name, values in groups.items():
        if isinstance(values, np.ndarray) and values.dtype.kind == "U":
            # Text arrays (the usual case) are relabelled without a Python loop over every row.
            array = np.where(values == "", MISSING, values).astype(object)
        else:
            array = np.array([MISSING if v is None or v == "" else str(v) for v in values], dtype=object)
        if array.shape[0] != n:
            raise UsageError(f"group column {name} has {array.shape[0]} values for {n} rows")
        keys[name] = array
    return keys


def _split(
    score: np.ndarray,
    outcome: np.ndarray,
    keys: np.ndarray,
    *,
    with_scores: bool,
    options: EvaluationOptions,
    rng: np.random.Generator | None,
) -> tuple[dict[str, dict[str, object]], dict[str, object]]:
    """Per-group blocks for one grouping (sorted by key) and the gaps between them."""
    blocks: dict[str, dict[str, object]] = {}
    samples: dict[str, dict[Metric, np.ndarray]] = {}
    uniques, inverse = np.unique(keys.astype(str), return_inverse=True)
    for i, key in enumerate(uniques):
        rows = inverse == i
        block, sample = _group_block(
            score[rows], outcome[rows], with_scores=with_scores, options=options, rng=rng
        )
        blocks[str(key)] = block
        if sample is not None:
            samples[str(key)] = sample
    gaps: dict[str, object] = {}
    for metric in GAP_METRICS:
        shown = {k: b[metric.value] for k, b in blocks.items() if not b["suppressed"]}
        metric_draws = {k: s[metric] for k, s in samples.items()} if samples else None
        gap = metric_gap(metric, shown, metric_draws, options.bootstrap.confidence)  # type: ignore[arg-type]
        gaps[metric.value] = gap.as_dict()
    return blocks, gaps


def _as_outcome(values: Sequence[object] | np.ndarray) -> np.ndarray:
    array = np.asarray(values)
    try:
        numeric = array.astype(float)
    except (TypeError, ValueError) as error:
        raise UsageError(
            "the outcome column must hold 0 or 1 for every row",
            hint="Recode the outcome as 1 (happened) or 0.",
        ) from error
    if np.isnan(numeric).any() or not np.isin(numeric, (0.0, 1.0)).all():
        raise UsageError(
            "the outcome column must hold 0 or 1 for every row (blanks are not allowed)",
            hint="Drop rows whose outcome is not yet known, and code the outcome as 1 (happened) or 0.",
        )
    return numeric.astype(np.int64)


def evaluate(
    outcome: Sequence[object] | np.ndarray,
    *,
    score: Sequence[float] | np.ndarray | None = None,
    label: Sequence[object] | np.ndarray | None = None,
    groups: Mapping[str, Sequence[object]] | None = None,
    baseline: Sequence[object] | np.ndarray | None = None,
    options: EvaluationOptions | None = None,
) -> dict[str, object]:
    """Evaluate predictions (a score or a 0/1 label) against outcomes; returns a JSON-ready mapping."""
    options = options or EvaluationOptions()
    if (score is None) == (label is None):
        raise UsageError(
            "give either a score or a label, not both or neither", hint="Use --score COL or --label COL."
        )
    y = _as_outcome(outcome)
    with_scores = score is not None
    if with_scores:
        s = np.asarray(score, dtype=float)
        if np.isnan(s).any():
            raise UsageError("the score column has blank values", hint="Every row needs a score.")
    else:
        s = _as_outcome(label).astype(float)
    if s.shape[0] != y.shape[0]:
        raise UsageError("scores and outcomes have different lengths")
    if options.min_group_size < 1:
        raise UsageError("the minimum group size must be at least 1")
    threshold = options.threshold if with_scores else 0.5
    options = EvaluationOptions(threshold, options.min_group_size, options.bootstrap)
    rng = np.random.default_rng(options.bootstrap.seed) if options.bootstrap.resamples > 0 else None

    overall, _ = _group_block(s, y, with_scores=with_scores, options=options, rng=rng)
    result: dict[str, object] = {
        "conventions": {
            "flagged_when": "score >= threshold" if with_scores else "label == 1",
            "threshold": threshold if with_scores else None,
            "min_group_size": options.min_group_size,
            "suppression": f"groups under {options.min_group_size} children: n given, metrics null",
            "intersection_key": f"values joined with '{SEPARATOR}' in the order of the group columns",
            "undefined_metric": "null, with a note (never 0)",
            "bootstrap": options.bootstrap.describe() if rng is not None else None,
            "input": "score" if with_scores else "label",
        },
        "overall": overall,
    }
    keys = group_keys(groups or {}, y.shape[0])
    if keys:
        names = list(keys)
        by_column: dict[str, object] = {}
        column_gaps: dict[str, object] = {}
        for name in names:
            blocks, gaps = _split(s, y, keys[name], with_scores=with_scores, options=options, rng=rng)
            by_column[name] = blocks
            column_gaps[name] = gaps
        if len(names) == 1:
            result["by_group"] = by_column[names[0]]
            result["gaps"] = {"by_group": column_gaps[names[0]], "by_column": column_gaps}
        else:
            joined = np.array(
                [SEPARATOR.join(parts) for parts in zip(*(keys[n] for n in names), strict=True)]
            )
            blocks, gaps = _split(s, y, joined, with_scores=with_scores, options=options, rng=rng)
            result["by_group"] = blocks
            result["gaps"] = {"by_group": gaps, "by_column": column_gaps}
        result["group_columns"] = names
        result["by_column"] = by_column
    if with_scores:
        result["calibration"] = {
            "brier": overall.get("brier"),
            "reliability": [vars(b) for b in reliability_curve(s, y)],
        }
    result["threshold_sweep"] = threshold_sweep(s, y, SWEEP if with_scores else np.array([0.5]))
    if baseline is not None:
        b = _as_outcome(baseline)
        flagged = s >= threshold
        result["baseline"] = {
            "metrics": label_metrics(y, b),
            "paired_test": mcnemar_paired(y, flagged, b).as_dict(),
        }
    return result
