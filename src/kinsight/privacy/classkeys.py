"""Equivalence-class sizes and l-diversity by sorting one packed integer key per record.

Why: a polars group-by over six quasi-identifier columns of ten million records, with a distinct
count of the sensitive field, cost about three CPU seconds.  Every quasi-identifier is first turned
into a small integer code (integers by offset from their minimum, text by dictionary encoding;
missing values get a code of their own), and the codes are packed into one 64-bit key, like the
digits of a number.  Records of one class then share one key, so a single sort of
``key * (sensitive codes) + sensitive code`` gives both the class sizes (runs of equal keys) and the
number of distinct sensitive values in each class (distinct runs within a class), in about a third
of the CPU time.

When a column's type is not covered (floating point, nested) or the packed key would not fit in 63
bits, ``class_counts`` returns ``None`` and the caller uses the plain group-by, which gives the same
figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

_KEY_LIMIT = 2**63
_INTEGER_RANGE_LIMIT = 2**31


@dataclass(frozen=True)
class ClassCounts:
    """Per class (in no particular order): its number of records and of distinct sensitive values."""

    sizes: np.ndarray
    distinct: np.ndarray | None


def _integer_codes(series: pl.Series) -> tuple[np.ndarray, int] | None:
    try:
        values = series.to_physical().cast(pl.Int64)
    except pl.exceptions.InvalidOperationError:  # unsigned values beyond 2**63
        return None
    low, high = values.min(), values.max()
    if low is None:  # every value missing: one class of blanks
        return np.zeros(series.len(), dtype=np.int64), 1
    span = int(high) - int(low)  # type: ignore[arg-type]
    if span >= _INTEGER_RANGE_LIMIT:
        return None
    codes = (values - low).fill_null(span + 1).to_numpy()
    return codes, span + 2


def _dictionary_codes(series: pl.Series) -> tuple[np.ndarray, int]:
    import pyarrow.compute as pc  # imported here: pyarrow is slow to import and only needed here

    encoded = pc.dictionary_encode(series.cast(pl.String).to_arrow(), null_encoding="encode")
    codes = pl.Series(encoded.indices).cast(pl.Int64).to_numpy()  # polars: zero-copy, unlike pyarrow's
    return codes, max(len(encoded.dictionary), 1)


def _codes(series: pl.Series) -> tuple[np.ndarray, int] | None:
    """Small integer codes for a column (equal values, and missing ones, share a code), and how many."""
    dtype = series.dtype
    if dtype.is_integer() or dtype == pl.Boolean or dtype.is_temporal():
        return _integer_codes(series)
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
        return _dictionary_codes(series)
    return None


def _run_lengths(sorted_values: np.ndarray) -> np.ndarray:
    """Lengths of the runs of equal values in a sorted array."""
    if sorted_values.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(sorted_values[1:] != sorted_values[:-1]) + 1
    return np.diff(np.concatenate(([0], starts, [sorted_values.size])))


def class_counts(
    frame: pl.DataFrame, quasi_identifiers: Sequence[str], sensitive: str | None
) -> ClassCounts | None:
    """Class sizes (and distinct sensitive values) of ``frame``, or ``None`` where not applicable."""
    key = np.zeros(frame.height, dtype=np.int64)
    width = 1
    count = 1
    for name in (*quasi_identifiers, *([sensitive] if sensitive else [])):
        coded = _codes(frame.get_column(name))
        if coded is None:
            return None
        codes, count = coded
        width *= count
        if width >= _KEY_LIMIT:
            return None
        key *= count
        key += codes
    ordered = np.sort(key)
    if sensitive is None:
        return ClassCounts(_run_lengths(ordered), None)
    # The sensitive code is the last "digit" of the key: dropping it leaves the class.
    classes = ordered // count
    first_of_pair = np.ones(ordered.size, dtype=bool)
    first_of_pair[1:] = ordered[1:] != ordered[:-1]
    return ClassCounts(_run_lengths(classes), _run_lengths(classes[first_of_pair]))
