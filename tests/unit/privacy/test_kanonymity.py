"""k-anonymity, l-diversity and uniqueness against a plain group-by written here with collections."""

from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinsight.errors import UsageError
from kinsight.privacy.risk import measure_risk


def reference(rows: list[dict], qis: list[str], sensitive: str | None, k: int) -> dict:
    sizes = Counter(tuple(r[q] for q in qis) for r in rows)
    values: dict[tuple, set] = defaultdict(set)
    if sensitive:
        for r in rows:
            values[tuple(r[q] for q in qis)].add(r[sensitive])  # None is a value like any other
    below = sum(n for n in sizes.values() if n < k)
    return {
        "k": min(sizes.values()),
        "classes": len(sizes),
        "records_below_k": below,
        "share_below_k": below / len(rows),
        "unique_records": sum(1 for n in sizes.values() if n == 1),
        "l": min(len(v) for v in values.values()) if sensitive else None,
    }


cell = st.sampled_from(["a", "b", "c", None])
row = st.fixed_dictionaries({"q1": cell, "q2": st.sampled_from(["x", "y", None]), "q3": cell, "s": cell})


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=60), k=st.integers(1, 6), n_qis=st.integers(1, 3))
def test_matches_plain_group_by(rows, k, n_qis) -> None:
    qis = ["q1", "q2", "q3"][:n_qis]
    frame = pl.DataFrame(rows, schema={"q1": pl.String, "q2": pl.String, "q3": pl.String, "s": pl.String})
    got = measure_risk(frame, qis, sensitive="s", k=k)
    want = reference(rows, qis, "s", k)
    assert got.k == want["k"]
    assert got.classes == want["classes"]
    assert got.records_below_k == want["records_below_k"]
    assert got.share_below_k == pytest.approx(want["share_below_k"])
    assert got.unique_records == want["unique_records"]
    assert got.sample_uniqueness == pytest.approx(want["unique_records"] / len(rows))
    assert got.l == want["l"]
    assert got.records == len(rows)
    assert sum(got.class_sizes.values()) == len(rows)


def test_hand_worked_example() -> None:
    frame = pl.DataFrame(
        {
            "age": ["1 to 4", "1 to 4", "1 to 4", "5 to 9", "5 to 9", None],
            "sex": ["F", "F", "F", "M", "M", "M"],
            "need": ["N1", "N1", "N2", "N1", "N1", "N4"],
        }
    )
    risk = measure_risk(frame, ["age", "sex"], sensitive="need", k=3)
    assert (risk.k, risk.classes, risk.records_below_k, risk.unique_records, risk.l) == (1, 3, 3, 1, 1)
    assert risk.class_sizes["1"] == 1 and risk.class_sizes["2"] == 2 and risk.class_sizes["3-4"] == 3


def test_without_sensitive_field_l_is_absent() -> None:
    assert measure_risk(pl.DataFrame({"a": ["x", "x"]}), ["a"]).l is None


def test_bad_requests_are_usage_errors() -> None:
    frame = pl.DataFrame({"a": ["x"]})
    with pytest.raises(UsageError):
        measure_risk(frame, [])
    with pytest.raises(UsageError, match="nope"):
        measure_risk(frame, ["nope"])
    with pytest.raises(UsageError):
        measure_risk(frame, ["a"], k=0)
