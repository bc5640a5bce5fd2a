"""Input-data drift per field: population stability index plus a significance test.

Numeric fields are cut at the reference data's quantiles (so each reference bin holds about the same
share) and tested with the two-sample Kolmogorov-Smirnov test; categorical fields use one bin per
category and the chi-squared test of homogeneity (reference vs current counts, no continuity
correction).  The statistics are computed here with numpy; scipy supplies only the tail probabilities
of the reference distributions, so the tests can check the figures against scipy's own functions.

A field's status follows the thresholds (``thresholds.yaml``): stable below ``psi_watch``, watch up to
``psi_drift``, drifted when PSI reaches ``psi_drift`` and the test's p-value is below ``p_value``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from kinsight.errors import UsageError
from kinsight.monitoring.thresholds import DriftThresholds

MISSING = "(missing)"


class FieldKind(StrEnum):
    NUMERIC = "numeric"
    CATEGORICAL = "categorical"


class DriftTest(StrEnum):
    KS = "ks"
    CHI2 = "chi2"


class DriftStatus(StrEnum):
    STABLE = "stable"
    WATCH = "watch"
    DRIFTED = "drifted"
    NOT_JUDGED = "not_judged"


@dataclass(frozen=True)
class TestResult:
    statistic: float
    p_value: float


@dataclass(frozen=True)
class FieldDrift:
    """One field's comparison; ``bins`` and the two share vectors let a page draw the distributions."""

    field: str
    kind: FieldKind
    psi: float | None
    test: DriftTest
    statistic: float | None
    p_value: float | None
    n_reference: int
    n_current: int
    status: DriftStatus
    bins: tuple[str, ...] = ()
    reference_share: tuple[float, ...] = ()
    current_share: tuple[float, ...] = ()

    @property
    def drifted(self) -> bool:
        return self.status is DriftStatus.DRIFTED

    def as_dict(self, *, with_bins: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "psi": self.psi,
            "drifted": self.drifted,
            "status": self.status.value,
            "test": self.test.value,
            "statistic": self.statistic,
            "p_value": self.p_value,
            "kind": self.kind.value,
            "n_reference": self.n_reference,
            "n_current": self.n_current,
        }
        if with_bins:
            body["bins"] = list(self.bins)
            body["reference_share"] = list(self.reference_share)
            body["current_share"] = list(self.current_share)
        return body


@dataclass(frozen=True)
class DriftReport:
    fields: tuple[FieldDrift, ...]
    only_in_reference: tuple[str, ...]
    only_in_current: tuple[str, ...]
    thresholds: DriftThresholds

    @property
    def drifted_fields(self) -> list[str]:
        return [f.field for f in self.fields if f.drifted]

    def as_dict(self, *, with_bins: bool = False) -> dict[str, Any]:
        return {
            "fields": {f.field: f.as_dict(with_bins=with_bins) for f in self.fields},
            "thresholds": {k: v for k, v in self.thresholds.model_dump().items() if k != "sources"},
            "rule": self.thresholds.sources.get("rule", ""),
            "drifted": self.drifted_fields,
            "only_in_reference": list(self.only_in_reference),
            "only_in_current": list(self.only_in_current),
        }


# --- the statistics --------------------------------------------------------------------------------


def psi_from_counts(reference: Sequence[float], current: Sequence[float], epsilon: float = 1e-4) -> float:
    """PSI = sum over bins of (c - r) * ln(c / r), with shares of each side; zero shares become epsilon."""
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    if ref.shape != cur.shape or ref.sum() <= 0 or cur.sum() <= 0:
        raise ValueError("PSI needs two non-empty count vectors over the same bins")
    r = np.where(ref > 0, ref / ref.sum(), epsilon)
    c = np.where(cur > 0, cur / cur.sum(), epsilon)
    return float(np.sum((c - r) * np.log(c / r)))


def quantile_edges(reference: np.ndarray, bins: int) -> np.ndarray:
    """Interior cut points at the reference quantiles 1/bins ... (bins-1)/bins, duplicates dropped."""
    if reference.size == 0:
        return np.empty(0)
    cuts = np.quantile(reference, np.arange(1, bins) / bins)
    return np.unique(cuts)


def bin_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts per bin; bin i holds values in [edge[i-1], edge[i]) (a value on an edge goes up)."""
    return np.bincount(np.searchsorted(edges, values, side="right"), minlength=edges.size + 1)


def ks_two_sample(a: np.ndarray, b: np.ndarray) -> TestResult:
    """Two-sample KS statistic (largest gap between the two empirical CDFs), asymptotic p-value.

    The p-value uses the Kolmogorov distribution of the statistic for the effective sample size
    n*m/(n+m), rounded (as scipy's ``ks_2samp(method="asymp")`` does).
    """
    sa, sb = np.sort(a), np.sort(b)
    n, m = sa.size, sb.size
    points = np.concatenate([sa, sb])
    gap = np.abs(
        np.searchsorted(sa, points, side="right") / n - np.searchsorted(sb, points, side="right") / m
    )
    d = float(gap.max())
    effective = round(n * m / (n + m))
    p = float(stats.kstwo.sf(d, effective)) if effective > 0 else 1.0
    return TestResult(d, min(max(p, 0.0), 1.0))


def chi2_homogeneity(reference: Sequence[float], current: Sequence[float]) -> TestResult:
    """Chi-squared test that two count vectors come from one distribution (2 x k table, no correction)."""
    table = np.vstack([np.asarray(reference, float), np.asarray(current, float)])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        return TestResult(0.0, 1.0)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    statistic = float(((table - expected) ** 2 / expected).sum())
    dof = table.shape[1] - 1
    return TestResult(statistic, float(stats.chi2.sf(statistic, dof)))


# --- fields and frames -----------------------------------------------------------------------------


def _status(psi: float | None, p_value: float | None, judged: bool, t: DriftThresholds) -> DriftStatus:
    if not judged or psi is None or p_value is None:
        return DriftStatus.NOT_JUDGED
    if psi >= t.psi_drift and p_value < t.p_value:
        return DriftStatus.DRIFTED
    if psi >= t.psi_watch:
        return DriftStatus.WATCH
    return DriftStatus.STABLE


def _shares(counts: np.ndarray) -> tuple[float, ...]:
    total = counts.sum()
    return tuple(float(x) for x in (counts / total)) if total else tuple(0.0 for _ in counts)


def numeric_drift(name: str, reference: pl.Series, current: pl.Series, t: DriftThresholds) -> FieldDrift:
    ref = reference.drop_nulls().cast(pl.Float64).drop_nans().to_numpy()
    cur = current.drop_nulls().cast(pl.Float64).drop_nans().to_numpy()
    ref_missing = len(reference) - ref.size
    cur_missing = len(current) - cur.size
    edges = quantile_edges(ref, t.bins)
    ref_counts, cur_counts = bin_counts(ref, edges), bin_counts(cur, edges)
    labels = _numeric_labels(edges)
    if ref_missing or cur_missing:
        ref_counts = np.append(ref_counts, ref_missing)
        cur_counts = np.append(cur_counts, cur_missing)
        labels = (*labels, MISSING)
    psi = psi_from_counts(ref_counts, cur_counts, t.epsilon) if len(reference) and len(current) else None
    judged = ref.size >= t.min_rows and cur.size >= t.min_rows
    test = ks_two_sample(ref, cur) if ref.size and cur.size else None
    return FieldDrift(
        field=name,
        kind=FieldKind.NUMERIC,
        psi=psi,
        test=DriftTest.KS,
        statistic=test.statistic if test else None,
        p_value=test.p_value if test else None,
        n_reference=int(ref.size),
        n_current=int(cur.size),
        status=_status(psi, test.p_value if test else None, judged, t),
        bins=labels,
        reference_share=_shares(ref_counts),
        current_share=_shares(cur_counts),
    )


def _numeric_labels(edges: np.ndarray) -> tuple[str, ...]:
    if edges.size == 0:
        return ("all values",)
    cuts = [f"{e:.6g}" for e in edges]
    return (
        f"< {cuts[0]}",
        *(f"{a} to < {b}" for a, b in zip(cuts, cuts[1:], strict=False)),
        f">= {cuts[-1]}",
    )


def categorical_drift(name: str, reference: pl.Series, current: pl.Series, t: DriftThresholds) -> FieldDrift:
    ref_counts = _category_counts(reference)
    cur_counts = _category_counts(current)
    categories = sorted(set(ref_counts) | set(cur_counts))
    r = np.array([ref_counts.get(c, 0) for c in categories], dtype=float)
    c = np.array([cur_counts.get(c, 0) for c in categories], dtype=float)
    psi = psi_from_counts(r, c, t.epsilon) if r.sum() and c.sum() else None
    test = chi2_homogeneity(r, c) if r.sum() and c.sum() else None
    judged = len(reference) >= t.min_rows and len(current) >= t.min_rows
    return FieldDrift(
        field=name,
        kind=FieldKind.CATEGORICAL,
        psi=psi,
        test=DriftTest.CHI2,
        statistic=test.statistic if test else None,
        p_value=test.p_value if test else None,
        n_reference=len(reference),
        n_current=len(current),
        status=_status(psi, test.p_value if test else None, judged, t),
        bins=tuple(categories),
        reference_share=_shares(r),
        current_share=_shares(c),
    )


def _category_counts(values: pl.Series) -> dict[str, int]:
    text = values.cast(pl.String).fill_null(MISSING)
    counted = text.value_counts()
    return dict(zip(counted[text.name].to_list(), counted["count"].to_list(), strict=True))


def field_kind(reference: pl.Series, current: pl.Series) -> FieldKind:
    """Numeric only when both sides hold numbers (booleans and codes are categories)."""
    both_numeric = all(s.dtype.is_numeric() for s in (reference, current))
    return FieldKind.NUMERIC if both_numeric else FieldKind.CATEGORICAL


def compare_frames(
    reference: pl.DataFrame,
    current: pl.DataFrame,
    thresholds: DriftThresholds,
    *,
    fields: Iterable[str] | None = None,
    categorical: Iterable[str] = (),
) -> DriftReport:
    """Drift of every column the two frames share (or of ``fields``), in reference column order."""
    shared = [c for c in reference.columns if c in set(current.columns)]
    if fields is not None:
        wanted = list(fields)
        unknown = [f for f in wanted if f not in shared]
        if unknown:
            raise UsageError(
                f"Field(s) not in both files: {', '.join(unknown)}.",
                hint="Name fields that appear in the reference and the current data.",
            )
        shared = wanted
    if not shared:
        raise UsageError(
            "The reference and current data have no column in common.",
            hint="Both files need a header row naming the same fields (names are case-sensitive).",
        )
    forced = set(categorical)
    results = []
    for name in shared:
        ref, cur = reference[name], current[name]
        kind = FieldKind.CATEGORICAL if name in forced else field_kind(ref, cur)
        drift = numeric_drift if kind is FieldKind.NUMERIC else categorical_drift
        results.append(drift(name, ref, cur, thresholds))
    return DriftReport(
        fields=tuple(results),
        only_in_reference=tuple(c for c in reference.columns if c not in set(current.columns)),
        only_in_current=tuple(c for c in current.columns if c not in set(reference.columns)),
        thresholds=thresholds,
    )
