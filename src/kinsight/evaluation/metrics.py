"""Classification metrics computed from counts, in batches, so point estimates and bootstrap share one path.

A group's predictions are reduced to a *score table*: the distinct scores in ascending order and, for each,
how many children with and without the outcome received it.  Every metric here (confusion-matrix rates,
ROC-AUC, average precision, Brier score) is a function of that table.  Carrying a leading batch axis lets
the bootstrap evaluate a thousand resamples with a handful of numpy operations instead of a Python loop,
and the observed figures are simply the batch of one.

Undefined values are ``nan`` (never 0): precision with no predicted positives, recall with no children
who had the outcome, AUC with only one outcome class.  Callers turn ``nan`` into JSON ``null`` with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Metric(StrEnum):
    """Every figure the evaluation reports, by the name used in JSON, thresholds and reports."""

    PRECISION = "precision"
    RECALL = "recall"
    F1 = "f1"
    ACCURACY = "accuracy"
    SELECTION_RATE = "selection_rate"
    FALSE_POSITIVE_RATE = "false_positive_rate"
    FALSE_NEGATIVE_RATE = "false_negative_rate"
    SPECIFICITY = "specificity"
    PREVALENCE = "prevalence"
    ROC_AUC = "roc_auc"
    PR_AUC = "pr_auc"
    BRIER = "brier"


COUNT_METRICS: tuple[Metric, ...] = (
    Metric.PRECISION,
    Metric.RECALL,
    Metric.F1,
    Metric.ACCURACY,
    Metric.SELECTION_RATE,
    Metric.FALSE_POSITIVE_RATE,
    Metric.FALSE_NEGATIVE_RATE,
    Metric.SPECIFICITY,
    Metric.PREVALENCE,
)
SCORE_METRICS: tuple[Metric, ...] = (Metric.ROC_AUC, Metric.PR_AUC, Metric.BRIER)


@dataclass(frozen=True)
class ScoreTable:
    """Batched counts of children with (``pos``) and without (``neg``) the outcome in ordered score bins.

    ``pos`` and ``neg`` have shape ``(batch, bins)``; bins run from the lowest score to the highest and
    children in bin ``cut`` or above are flagged.  ``loss`` is each batch row's summed squared error
    (for the Brier score), or ``None`` when only labels were given.
    """

    pos: np.ndarray
    neg: np.ndarray
    cut: int
    loss: np.ndarray | None


@dataclass(frozen=True)
class GroupData:
    """One group's rows reduced once to ordered bins, so each resample is a single ``bincount``.

    Bins are the distinct scores, except that neighbouring scores held only by children *without* the
    outcome (on the same side of the threshold) share a bin: that loses nothing for the confusion matrix,
    ROC-AUC or average precision, which only compare children with the outcome against the others, and it
    makes the bootstrap several times cheaper.
    """

    cells: np.ndarray
    n_bins: int
    cut: int
    outcome: np.ndarray
    row_loss: np.ndarray | None

    @property
    def n(self) -> int:
        return int(self.outcome.shape[0])


def group_data(score: np.ndarray, outcome: np.ndarray, threshold: float, *, with_loss: bool) -> GroupData:
    """Bin one group's rows; ``score`` may be a 0/1 label (flagged when 1, with ``threshold`` 0.5)."""
    score = np.asarray(score, dtype=float)
    outcome = np.asarray(outcome, dtype=np.int64)
    distinct, inverse = np.unique(score, return_inverse=True)
    if distinct.size == 0:
        return GroupData(np.zeros(0, np.int64), 1, 1, outcome, np.zeros(0) if with_loss else None)
    has_pos = np.bincount(inverse, weights=outcome, minlength=distinct.size) > 0
    flagged = distinct >= threshold
    starts = np.ones(distinct.size, dtype=bool)
    starts[1:] = has_pos[1:] | has_pos[:-1] | (flagged[1:] != flagged[:-1])
    compact = np.cumsum(starts) - 1
    n_bins = int(compact[-1]) + 1
    cut = int(compact[np.argmax(flagged)]) if flagged.any() else n_bins
    cells = outcome * n_bins + compact[inverse.ravel()]
    loss = (score - outcome) ** 2 if with_loss else None
    return GroupData(cells=cells.astype(np.int64), n_bins=n_bins, cut=cut, outcome=outcome, row_loss=loss)


def observed_table(data: GroupData) -> ScoreTable:
    """The table of the rows as observed (a batch of one)."""
    counts = np.bincount(data.cells, minlength=2 * data.n_bins).reshape(1, 2, data.n_bins)
    loss = None if data.row_loss is None else np.array([data.row_loss.sum()])
    return ScoreTable(pos=counts[:, 1, :], neg=counts[:, 0, :], cut=data.cut, loss=loss)


def resampled_table(data: GroupData, indices: np.ndarray) -> ScoreTable:
    """Tables of resamples given as a ``(batch, n)`` array of row indices (drawn with replacement)."""
    batch = indices.shape[0]
    width = 2 * data.n_bins
    cell = data.cells[indices]
    cell += (np.arange(batch, dtype=np.int64) * width)[:, None]
    counts = np.bincount(cell.ravel(), minlength=batch * width).reshape(batch, 2, data.n_bins)
    loss = None if data.row_loss is None else data.row_loss[indices].sum(axis=1)
    return ScoreTable(pos=counts[:, 1, :], neg=counts[:, 0, :], cut=data.cut, loss=loss)


@dataclass(frozen=True)
class Confusion:
    """Batched confusion-matrix counts at the table's threshold (flagged when score >= threshold)."""

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray


@dataclass(frozen=True)
class RunningTotals:
    """Children with and without the outcome in each bin or below, per batch row.

    Every metric needs sums along the bins; computing the two running totals once and reading the
    confusion matrix, ROC-AUC, average precision and group size off them saves several passes over
    ``(batch, bins)`` arrays in the bootstrap.  Counts are integers, so the figures are exactly those
    of the separate sums.
    """

    pos_upto: np.ndarray
    neg_upto: np.ndarray

    @staticmethod
    def of(table: ScoreTable) -> RunningTotals:
        return RunningTotals(np.cumsum(table.pos, axis=1), np.cumsum(table.neg, axis=1))

    @property
    def total_pos(self) -> np.ndarray:
        return self.pos_upto[:, -1]

    @property
    def total_neg(self) -> np.ndarray:
        return self.neg_upto[:, -1]


def confusion(table: ScoreTable, running: RunningTotals | None = None) -> Confusion:
    running = running or RunningTotals.of(table)
    cut = table.cut
    if cut > 0:
        fn = running.pos_upto[:, cut - 1]
        tn = running.neg_upto[:, cut - 1]
    else:
        fn = np.zeros_like(running.total_pos)
        tn = np.zeros_like(running.total_neg)
    return Confusion(tp=running.total_pos - fn, fp=running.total_neg - tn, fn=fn, tn=tn)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def count_metrics(c: Confusion) -> dict[Metric, np.ndarray]:
    """Metrics that depend only on the confusion matrix; ``nan`` where a denominator is zero."""
    n = c.tp + c.fp + c.fn + c.tn
    return {
        Metric.PRECISION: _ratio(c.tp, c.tp + c.fp),
        Metric.RECALL: _ratio(c.tp, c.tp + c.fn),
        Metric.F1: _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
        Metric.ACCURACY: _ratio(c.tp + c.tn, n),
        Metric.SELECTION_RATE: _ratio(c.tp + c.fp, n),
        Metric.FALSE_POSITIVE_RATE: _ratio(c.fp, c.fp + c.tn),
        Metric.FALSE_NEGATIVE_RATE: _ratio(c.fn, c.fn + c.tp),
        Metric.SPECIFICITY: _ratio(c.tn, c.fp + c.tn),
        Metric.PREVALENCE: _ratio(c.tp + c.fn, n),
    }


def roc_auc(table: ScoreTable, running: RunningTotals | None = None) -> np.ndarray:
    """Probability a random child with the outcome scores above one without it (ties count half)."""
    running = running or RunningTotals.of(table)
    wins = (table.pos * (running.neg_upto - 0.5 * table.neg)).sum(axis=1)
    return _ratio(wins, running.total_pos * running.total_neg)


def average_precision(table: ScoreTable, running: RunningTotals | None = None) -> np.ndarray:
    """Area under the precision-recall curve as a step sum (no interpolation), as scikit-learn defines it.

    At each distinct score the children scoring at least that much are flagged; the precision there is
    weighted by the share of all children with the outcome who have exactly that score.
    """
    running = running or RunningTotals.of(table)
    total_pos = running.total_pos[:, None]
    tp = total_pos - running.pos_upto + table.pos
    flagged = tp + running.total_neg[:, None] - running.neg_upto + table.neg
    weighted = (table.pos * tp / np.maximum(flagged, 1)).sum(axis=1)
    return _ratio(weighted, total_pos[:, 0])


def brier(table: ScoreTable, running: RunningTotals | None = None) -> np.ndarray:
    """Mean squared difference between the score (read as a probability) and the outcome."""
    if table.loss is None:
        raise ValueError("the Brier score needs scores, not labels")
    running = running or RunningTotals.of(table)
    return _ratio(table.loss.astype(float), (running.total_pos + running.total_neg).astype(float))


def all_metrics(table: ScoreTable, *, with_scores: bool) -> dict[Metric, np.ndarray]:
    """Every metric for each batch row; score-based ones only when real scores (not labels) were given."""
    running = RunningTotals.of(table)
    values = count_metrics(confusion(table, running))
    if with_scores:
        values[Metric.ROC_AUC] = roc_auc(table, running)
        values[Metric.PR_AUC] = average_precision(table, running)
        values[Metric.BRIER] = brier(table, running)
    return values


@dataclass(frozen=True)
class ReliabilityBin:
    lower: float
    upper: float
    n: int
    mean_score: float
    observed_rate: float


def reliability_curve(score: np.ndarray, outcome: np.ndarray, bins: int = 10) -> list[ReliabilityBin]:
    """Observed outcome rate against mean score in equal-width score bins; empty bins are left out.

    A score of exactly a bin's upper edge falls in that bin (the last bin includes 1.0).
    """
    score = np.asarray(score, dtype=float)
    outcome = np.asarray(outcome, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], score, side="left")
    counts = np.bincount(ids, minlength=bins)
    sums = np.bincount(ids, weights=score, minlength=bins)
    hits = np.bincount(ids, weights=outcome, minlength=bins)
    out = []
    for i in range(bins):
        if counts[i]:
            out.append(
                ReliabilityBin(
                    lower=float(edges[i]),
                    upper=float(edges[i + 1]),
                    n=int(counts[i]),
                    mean_score=float(sums[i] / counts[i]),
                    observed_rate=float(hits[i] / counts[i]),
                )
            )
    return out


def threshold_sweep(
    score: np.ndarray, outcome: np.ndarray, thresholds: np.ndarray
) -> list[dict[str, float | int | None]]:
    """Confusion counts and the headline rates at each of several thresholds."""
    score = np.asarray(score, dtype=float)
    outcome = np.asarray(outcome, dtype=bool)
    rows: list[dict[str, float | int | None]] = []
    for t in thresholds:
        flagged = score >= t
        c = Confusion(
            tp=np.array([np.sum(flagged & outcome)]),
            fp=np.array([np.sum(flagged & ~outcome)]),
            fn=np.array([np.sum(~flagged & outcome)]),
            tn=np.array([np.sum(~flagged & ~outcome)]),
        )
        m = count_metrics(c)
        rows.append(
            {
                "threshold": float(t),
                "tp": int(c.tp[0]),
                "fp": int(c.fp[0]),
                "fn": int(c.fn[0]),
                "tn": int(c.tn[0]),
                "precision": _num(m[Metric.PRECISION][0]),
                "recall": _num(m[Metric.RECALL][0]),
                "selection_rate": _num(m[Metric.SELECTION_RATE][0]),
                "false_positive_rate": _num(m[Metric.FALSE_POSITIVE_RATE][0]),
            }
        )
    return rows


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
