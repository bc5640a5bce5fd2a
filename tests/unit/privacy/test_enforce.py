"""Enforcement: the result is k-anonymous (checked with Counter), the report is exact, and the
choice is the least lossy acceptable one on a hand-worked example."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import polars as pl
import pytest

from kinsight.errors import UsageError
from kinsight.privacy.enforce import make_k_anonymous


def extract(n: int = 600, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 18 * 365, n)
    return pl.DataFrame(
        {
            "CHILD": [f"C{i}" for i in range(n)],
            "DOB": [date(2007, 1, 1) + np.timedelta64(int(d), "D").item() for d in days],
            "SEX": rng.choice(["M", "F"], n).tolist(),
            "HOME_POST": [
                f"M{a} {b}AB" for a, b in zip(rng.integers(1, 4, n), rng.integers(1, 9, n), strict=True)
            ],
        }
    )


def test_result_is_k_anonymous_and_report_is_exact() -> None:
    frame = extract()
    result = make_k_anonymous(frame, ["DOB", "SEX", "HOME_POST"], k=5, reference=date(2025, 3, 31))
    classes = Counter(zip(*(result.frame[c].to_list() for c in ("DOB", "SEX", "HOME_POST")), strict=True))
    assert min(classes.values()) >= 5
    assert result.records_suppressed == frame.height - result.frame.height
    assert result.records_suppressed <= 0.05 * frame.height
    ladder_heights = {"DOB": 4, "SEX": 1, "HOME_POST": 3}
    loss = sum(result.heights[q] / ladder_heights[q] for q in ladder_heights) / 3
    assert result.generalisation_loss == pytest.approx(loss)
    assert result.after.k >= 5 and result.before.k == 1
    kept = set(result.frame["CHILD"])
    assert kept <= set(frame["CHILD"])  # rows dropped, none invented
    assert result.as_dict()["records_out"] == result.frame.height


def test_chooses_least_loss_then_fewest_suppressed() -> None:
    # SEX alone is 3-anonymous already; TEAM has one rare value.  With k=3 and 10% allowed,
    # keeping both and dropping the one rare record (loss 0) beats any generalisation.
    frame = pl.DataFrame({"SEX": ["M"] * 5 + ["F"] * 5, "TEAM": ["a"] * 5 + ["b"] * 4 + ["z"]})
    result = make_k_anonymous(frame, ["SEX", "TEAM"], k=3, max_suppression=0.1)
    assert result.steps == {"SEX": "keep", "TEAM": "keep"}
    assert result.records_suppressed == 1 and result.generalisation_loss == 0
    # with no suppression allowed, the cheapest node that works suppresses TEAM
    strict = make_k_anonymous(frame, ["SEX", "TEAM"], k=3, max_suppression=0.0)
    assert strict.steps == {"SEX": "keep", "TEAM": "suppress"}
    assert strict.records_suppressed == 0 and strict.generalisation_loss == pytest.approx(0.5)


def test_too_few_records_for_k() -> None:
    with pytest.raises(UsageError):
        make_k_anonymous(pl.DataFrame({"SEX": ["M", "F"]}), ["SEX"], k=5)


def test_ladder_must_start_with_keep() -> None:
    with pytest.raises(UsageError):
        make_k_anonymous(extract(20), ["SEX"], ladders={"SEX": ["suppress"]})
