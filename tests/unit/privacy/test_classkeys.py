"""The packed-key class count (the fast path of measure_risk) against a plain group-by with Counter.

Columns of every kind a quasi-identifier may have (integers with gaps and blanks, text, dates,
booleans, categoricals) are generated; the figures must match a group-by written here in Python, and
the cases the fast path declines (floating point, keys too wide for 63 bits) must give the same
figures through the polars group-by.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from kinsight.privacy.classkeys import class_counts
from kinsight.privacy.risk import measure_risk

COLUMNS = {
    "n": (st.one_of(st.none(), st.integers(-3, 3), st.just(10**9)), pl.Int64),
    "t": (st.one_of(st.none(), st.sampled_from(["", "a", "A", "b "])), pl.String),
    "d": (st.one_of(st.none(), st.sampled_from([date(2010, 1, 1), date(1999, 12, 31)])), pl.Date),
    "b": (st.one_of(st.none(), st.booleans()), pl.Boolean),
    "c": (st.one_of(st.none(), st.sampled_from(["x", "y"])), pl.Categorical),
    "s": (st.one_of(st.none(), st.sampled_from(["N1", "N2", "N3"])), pl.String),
}
rows = st.lists(
    st.fixed_dictionaries({name: strategy for name, (strategy, _) in COLUMNS.items()}), max_size=50
)


def reference(records: list[dict], qis: list[str], sensitive: str) -> tuple[list[int], list[int]]:
    sizes = Counter(tuple(r[q] for q in qis) for r in records)
    values: dict[tuple, set] = defaultdict(set)
    for r in records:
        values[tuple(r[q] for q in qis)].add(r[sensitive])
    return sorted(sizes.values()), sorted(len(v) for v in values.values())


@settings(max_examples=150, deadline=None)
@given(
    records=rows,
    qis=st.lists(st.sampled_from(["n", "t", "d", "b", "c"]), min_size=1, max_size=5, unique=True),
)
def test_packed_keys_match_a_plain_group_by(records: list[dict], qis: list[str]) -> None:
    frame = pl.DataFrame(records, schema={name: dtype for name, (_, dtype) in COLUMNS.items()})
    counts = class_counts(frame, qis, "s")
    assert counts is not None
    want_sizes, want_distinct = reference(records, qis, "s")
    assert sorted(counts.sizes.tolist()) == want_sizes
    assert counts.distinct is not None
    assert sorted(counts.distinct.tolist()) == want_distinct
    risk = measure_risk(frame, qis, sensitive="s", k=3)
    assert risk.classes == len(want_sizes)
    assert risk.k == (min(want_sizes) if want_sizes else 0)
    assert risk.records_below_k == sum(n for n in want_sizes if n < 3)
    assert risk.l == (min(want_distinct) if want_distinct else 0)


def test_float_columns_fall_back_to_the_group_by_with_the_same_figures() -> None:
    frame = pl.DataFrame({"w": [1.5, 1.5, 2.0, None], "s": ["a", "b", "a", "a"]})
    assert class_counts(frame, ["w"], "s") is None
    risk = measure_risk(frame, ["w"], sensitive="s", k=2)
    assert (risk.k, risk.classes, risk.records_below_k, risk.l) == (1, 3, 2, 1)


def test_keys_too_wide_for_63_bits_fall_back() -> None:
    rng = np.random.default_rng(0)
    frame = pl.DataFrame({f"q{i}": rng.integers(0, 2**30, 40) for i in range(3)})
    frame = frame.vstack(frame.head(5))  # five classes of two
    assert class_counts(frame, frame.columns, None) is None
    risk = measure_risk(frame, frame.columns, k=2)
    assert (risk.k, risk.classes, risk.records_below_k, risk.unique_records) == (1, 40, 35, 35)


def test_lazy_frames_and_an_empty_extract() -> None:
    frame = pl.DataFrame({"q": [1, 1, 2], "s": ["a", "b", "a"]})
    assert measure_risk(frame.lazy(), ["q"], sensitive="s").l == 1
    empty = measure_risk(frame.head(0), ["q"], sensitive="s")
    assert (empty.records, empty.k, empty.classes, empty.l) == (0, 0, 0, 0)
