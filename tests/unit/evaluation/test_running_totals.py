"""Metrics read off shared running totals equal plain sums over the bins, at every cut."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kinsight.evaluation.metrics import ScoreTable, confusion


@settings(max_examples=100, deadline=None)
@given(
    counts=arrays(
        np.int64, st.tuples(st.integers(1, 4), st.just(2), st.integers(1, 8)), elements=st.integers(0, 9)
    ),
    data=st.data(),
)
def test_confusion_equals_plain_sums_either_side_of_the_cut(counts: np.ndarray, data: st.DataObject) -> None:
    bins = counts.shape[2]
    cut = data.draw(st.integers(0, bins))
    table = ScoreTable(pos=counts[:, 1, :], neg=counts[:, 0, :], cut=cut, loss=None)
    c = confusion(table)
    np.testing.assert_array_equal(c.tp, counts[:, 1, cut:].sum(axis=1))
    np.testing.assert_array_equal(c.fp, counts[:, 0, cut:].sum(axis=1))
    np.testing.assert_array_equal(c.fn, counts[:, 1, :cut].sum(axis=1))
    np.testing.assert_array_equal(c.tn, counts[:, 0, :cut].sum(axis=1))
