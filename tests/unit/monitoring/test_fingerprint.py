"""Training-data fingerprint: independent of row and column order, sensitive to any change."""

from __future__ import annotations

import polars as pl

from kinsight.monitoring.fingerprint import frame_fingerprint


def test_order_does_not_matter_but_values_do() -> None:
    frame = pl.DataFrame({"a": [3, 1, 2], "b": ["x", "y", None]})
    shuffled = frame.select(["b", "a"]).reverse()
    assert frame_fingerprint(frame) == frame_fingerprint(shuffled)
    changed = frame.with_columns(pl.when(pl.col("a") == 1).then(9).otherwise(pl.col("a")).alias("a"))
    assert frame_fingerprint(changed) != frame_fingerprint(frame)
    assert frame_fingerprint(frame.rename({"b": "c"})) != frame_fingerprint(frame)
    assert frame_fingerprint(pl.concat([frame, frame.head(1)])) != frame_fingerprint(frame)
    assert len(frame_fingerprint(frame)) == 64
