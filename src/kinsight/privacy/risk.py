"""Re-identification risk of a record-level extract, measured on chosen quasi-identifiers.

Records that share every quasi-identifier value form an *equivalence class*.  The extract is
k-anonymous for the size of its smallest class: an intruder who knows a child's quasi-identifiers
(age, sex, ethnicity, postcode sector ...) can narrow them down to no fewer than k records.
l-diversity adds the sensitive field: the smallest number of distinct sensitive values in a class
(if every record in a class shares the value, the intruder learns it without singling anyone out).
Sample uniqueness is the share of records that are alone in their class.  Missing values count as
one value of their own, since "blank" is as visible to an intruder as any code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from kinsight.errors import UsageError

DEFAULT_K = 5


@dataclass(frozen=True)
class RiskResult:
    """Every figure of one risk measurement; ``as_dict`` is JSON-ready."""

    quasi_identifiers: tuple[str, ...]
    sensitive: str | None
    k_threshold: int
    records: int
    classes: int
    k: int
    records_below_k: int
    share_below_k: float
    classes_below_k: int
    unique_records: int
    sample_uniqueness: float
    l: int | None  # noqa: E741 - the name used in the literature and the CLI contract
    class_sizes: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["quasi_identifiers"] = list(self.quasi_identifiers)
        return body


SIZE_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (1, 1, "1"),
    (2, 2, "2"),
    (3, 4, "3-4"),
    (5, 9, "5-9"),
    (10, 19, "10-19"),
    (20, None, "20+"),
)
"""Buckets for the distribution of records by the size of their class (shown in the risk report)."""


def equivalence_classes(
    frame: pl.DataFrame | pl.LazyFrame, quasi_identifiers: Sequence[str], sensitive: str | None = None
) -> pl.DataFrame:
    """One row per class: its quasi-identifier values, ``size`` and (with a sensitive field) ``distinct``."""
    lazy = frame.lazy()
    aggs = [pl.len().alias("size")]
    if sensitive is not None:
        aggs.append(pl.col(sensitive).n_unique().alias("distinct"))
    return lazy.group_by(list(quasi_identifiers)).agg(aggs).collect()


def measure_risk(
    frame: pl.DataFrame | pl.LazyFrame,
    quasi_identifiers: Sequence[str],
    *,
    sensitive: str | None = None,
    k: int = DEFAULT_K,
) -> RiskResult:
    """k-anonymity, records below ``k``, l-diversity and sample uniqueness for the quasi-identifiers."""
    qis = tuple(quasi_identifiers)
    columns = frame.collect_schema().names() if isinstance(frame, pl.LazyFrame) else frame.columns
    if not qis:
        raise UsageError("no quasi-identifiers given", hint="Name at least one column, e.g. --qi DOB,SEX.")
    if k < 1:
        raise UsageError(f"k must be at least 1, not {k}", hint="The DfE small-count threshold suggests k=5.")
    missing = [c for c in (*qis, *([sensitive] if sensitive else [])) if c not in columns]
    if missing:
        raise UsageError(
            f"column(s) not in the data: {', '.join(missing)}", hint=f"Columns: {', '.join(columns)}."
        )
    classes = equivalence_classes(frame, qis, sensitive)
    sizes = classes.get_column("size")
    records = int(sizes.sum()) if classes.height else 0
    small = classes.filter(pl.col("size") < k)
    below = int(small.get_column("size").sum()) if small.height else 0
    unique = int((sizes == 1).sum()) if classes.height else 0
    l_value: int | None = None
    if sensitive is not None:
        l_value = int(classes.get_column("distinct").min()) if classes.height else 0  # type: ignore[arg-type]
    return RiskResult(
        quasi_identifiers=qis,
        sensitive=sensitive,
        k_threshold=k,
        records=records,
        classes=classes.height,
        k=int(sizes.min()) if classes.height else 0,  # type: ignore[arg-type]
        records_below_k=below,
        share_below_k=below / records if records else 0.0,
        classes_below_k=small.height,
        unique_records=unique,
        sample_uniqueness=unique / records if records else 0.0,
        l=l_value,
        class_sizes=_size_distribution(classes),
    )


def _size_distribution(classes: pl.DataFrame) -> dict[str, int]:
    """How many records sit in classes of each size bucket."""
    out: dict[str, int] = {}
    size = pl.col("size")
    for low, high, label in SIZE_BUCKETS:
        cond = size >= low if high is None else size.is_between(low, high)
        out[label] = int(classes.filter(cond).get_column("size").sum()) if classes.height else 0
    return out
