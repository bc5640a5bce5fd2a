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

import numpy as np
import polars as pl

from kinsight.errors import UsageError
from kinsight.privacy.classkeys import ClassCounts, class_counts

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
    counts = _class_counts(frame, qis, sensitive)
    sizes, distinct = counts.sizes, counts.distinct
    records = int(sizes.sum())
    small = sizes[sizes < k]
    below = int(small.sum())
    unique = int((sizes == 1).sum())
    l_value: int | None = None
    if sensitive is not None and distinct is not None:
        l_value = int(distinct.min()) if distinct.size else 0
    return RiskResult(
        quasi_identifiers=qis,
        sensitive=sensitive,
        k_threshold=k,
        records=records,
        classes=int(sizes.size),
        k=int(sizes.min()) if sizes.size else 0,
        records_below_k=below,
        share_below_k=below / records if records else 0.0,
        classes_below_k=int(small.size),
        unique_records=unique,
        sample_uniqueness=unique / records if records else 0.0,
        l=l_value,
        class_sizes=_size_distribution(sizes),
    )


def _class_counts(
    frame: pl.DataFrame | pl.LazyFrame, qis: tuple[str, ...], sensitive: str | None
) -> ClassCounts:
    """Class sizes by the packed-key sort (fast) where the columns allow, else by a polars group-by."""
    needed = list(dict.fromkeys((*qis, *([sensitive] if sensitive else []))))
    data = frame.lazy().select(needed).collect()
    fast = class_counts(data, qis, sensitive)
    if fast is not None:
        return fast
    classes = equivalence_classes(data, qis, sensitive)
    distinct = classes.get_column("distinct").to_numpy() if sensitive is not None else None
    return ClassCounts(classes.get_column("size").to_numpy(), distinct)


def _size_distribution(sizes: np.ndarray) -> dict[str, int]:
    """How many records sit in classes of each size bucket."""
    out: dict[str, int] = {}
    for low, high, label in SIZE_BUCKETS:
        inside = sizes >= low if high is None else (sizes >= low) & (sizes <= high)
        out[label] = int(sizes[inside].sum())
    return out
