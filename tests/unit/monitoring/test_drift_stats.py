"""Drift statistics against scipy on the same data, and PSI against hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from scipy import stats

from kinsight.errors import UsageError
from kinsight.monitoring.drift import (
    DriftStatus,
    bin_counts,
    categorical_drift,
    chi2_homogeneity,
    compare_frames,
    ks_two_sample,
    numeric_drift,
    psi_from_counts,
    quantile_edges,
)
from kinsight.monitoring.thresholds import DriftThresholds, default_thresholds


@pytest.mark.parametrize(("n", "m", "seed"), [(40, 55, 1), (800, 1200, 2), (15000, 12000, 3)])
def test_ks_matches_scipy(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, n)
    b = rng.normal(0.1, 1.2, m)
    ours = ks_two_sample(a, b)
    theirs = stats.ks_2samp(a, b, method="asymp")
    assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-300)


def test_ks_with_ties_matches_scipy() -> None:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 8, 500).astype(float)
    b = rng.integers(1, 9, 450).astype(float)
    ours, theirs = ks_two_sample(a, b), stats.ks_2samp(a, b, method="asymp")
    assert ours.statistic == pytest.approx(theirs.statistic)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)


@pytest.mark.parametrize(
    ("ref", "cur"),
    [([120, 80, 50, 30], [100, 95, 40, 60]), ([500, 500], [480, 560]), ([10, 0, 30], [12, 5, 20])],
)
def test_chi2_matches_scipy(ref: list[int], cur: list[int]) -> None:
    ours = chi2_homogeneity(ref, cur)
    table = np.array([ref, cur])
    table = table[:, table.sum(axis=0) > 0]
    statistic, p, _dof, _expected = stats.chi2_contingency(table, correction=False)
    assert ours.statistic == pytest.approx(statistic)
    assert ours.p_value == pytest.approx(p)


def test_chi2_single_category_is_not_evidence_of_drift() -> None:
    assert chi2_homogeneity([10], [40]).p_value == 1.0


def test_psi_hand_worked_example() -> None:
    # Reference shares 0.2, 0.3, 0.5; current shares 0.25, 0.25, 0.5:
    # (0.25-0.2)ln(0.25/0.2) + (0.25-0.3)ln(0.25/0.3) + 0 = 0.05*0.223144 + 0.05*0.182322 = 0.0202733
    assert psi_from_counts([20, 30, 50], [50, 50, 100]) == pytest.approx(0.0202733, abs=1e-6)


def test_psi_zero_share_uses_epsilon() -> None:
    # shares (0.5, 0.5, 0) vs (0.5, 0.25, 0.25); the empty reference bin counts as 0.0001
    expected = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.25 - 0.0001) * math.log(0.25 / 0.0001)
    assert psi_from_counts([5, 5, 0], [2, 1, 1], epsilon=0.0001) == pytest.approx(expected)


def test_psi_identical_distributions_is_zero() -> None:
    assert psi_from_counts([3, 4, 5], [30, 40, 50]) == pytest.approx(0.0, abs=1e-12)


def test_quantile_bins_split_reference_evenly() -> None:
    reference = np.arange(1, 101, dtype=float)  # 1..100
    edges = quantile_edges(reference, 4)
    assert edges.tolist() == pytest.approx([25.75, 50.5, 75.25])
    assert bin_counts(reference, edges).tolist() == [25, 25, 25, 25]
    # a value on an edge goes to the upper bin
    assert bin_counts(np.array([25.75]), edges).tolist() == [0, 1, 0, 0]


def test_numeric_field_psi_by_hand() -> None:
    t = DriftThresholds(bins=2, min_rows=1)
    reference = pl.Series("x", [1.0, 2.0, 3.0, 4.0])  # median cut at 2.5: shares 0.5 / 0.5
    current = pl.Series("x", [1.0, 3.0, 4.0, 4.0])  # shares 0.25 / 0.75
    result = numeric_drift("x", reference, current, t)
    expected = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.75 - 0.5) * math.log(0.75 / 0.5)
    assert result.psi == pytest.approx(expected)
    assert result.statistic == pytest.approx(stats.ks_2samp([1, 2, 3, 4], [1, 3, 4, 4]).statistic)


def test_numeric_missing_values_get_their_own_bin() -> None:
    t = DriftThresholds(bins=2, min_rows=1)
    result = numeric_drift("x", pl.Series([1.0, 2.0, 3.0, 4.0]), pl.Series([1.0, 4.0, None, None]), t)
    assert result.bins[-1] == "(missing)"
    assert result.current_share == pytest.approx((0.25, 0.25, 0.5))
    assert result.n_current == 2


def test_categorical_psi_and_chi2_by_hand() -> None:
    t = DriftThresholds(min_rows=1)
    reference = pl.Series("c", ["A"] * 20 + ["B"] * 30 + ["C"] * 50)
    current = pl.Series("c", ["A"] * 50 + ["B"] * 50 + ["C"] * 100)
    result = categorical_drift("c", reference, current, t)
    assert result.psi == pytest.approx(0.0202733, abs=1e-6)
    statistic, p, *_ = stats.chi2_contingency([[20, 30, 50], [50, 50, 100]], correction=False)
    assert result.p_value == pytest.approx(p)
    assert result.statistic == pytest.approx(statistic)


def test_status_needs_both_psi_and_significance() -> None:
    t = default_thresholds().drift
    small_ref = pl.Series("c", ["A"] * 20 + ["B"] * 20)
    small_cur = pl.Series("c", ["A"] * 30 + ["B"] * 10)  # PSI 0.27 but p 0.02 with 40 rows
    result = categorical_drift("c", small_ref, small_cur, t)
    assert result.psi is not None and result.psi >= t.psi_drift
    assert result.p_value is not None and result.p_value > t.p_value
    assert result.status is DriftStatus.WATCH and not result.drifted


def test_too_few_rows_are_not_judged() -> None:
    t = default_thresholds().drift
    result = numeric_drift("x", pl.Series([1.0] * 10), pl.Series([9.0] * 10), t)
    assert result.status is DriftStatus.NOT_JUDGED and not result.drifted


def test_compare_frames_kinds_and_columns() -> None:
    rng = np.random.default_rng(0)
    reference = pl.DataFrame(
        {"age": rng.normal(0, 1, 300), "code": rng.choice(["A", "B"], 300), "ref_only": 1}
    )
    current = pl.DataFrame({"age": rng.normal(2, 1, 300), "code": rng.choice(["A", "B"], 300), "new": 2})
    report = compare_frames(reference, current, default_thresholds().drift)
    kinds = {f.field: f.kind.value for f in report.fields}
    assert kinds == {"age": "numeric", "code": "categorical"}
    assert report.drifted_fields == ["age"]
    assert report.only_in_reference == ("ref_only",) and report.only_in_current == ("new",)
    forced = compare_frames(
        reference, current, default_thresholds().drift, categorical=["age"], fields=["age"]
    )
    assert forced.fields[0].test.value == "chi2"


def test_no_common_columns_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        compare_frames(pl.DataFrame({"a": [1]}), pl.DataFrame({"b": [1]}), default_thresholds().drift)
