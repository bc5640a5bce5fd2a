"""Vectorised look-ups on arrays of codes (numpy object arrays of short strings).

numpy has no fast path for text: ``np.isin`` on object arrays sorts Python objects and a list
comprehension visits every element in Python.  At national size (a million episodes) both cost
seconds, so these helpers hand the work to polars' string kernels instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import polars as pl


def _strings(values: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(values, dtype=object).tolist(), dtype=pl.String)


def is_in(values: np.ndarray, codes: Iterable[str]) -> np.ndarray:
    """Boolean array: which values are among ``codes`` (missing values never are)."""
    if not len(values):
        return np.zeros(0, bool)
    return np.array(_strings(values).is_in(list(codes)).fill_null(False).to_numpy())


def starts_with(values: np.ndarray, prefix: str) -> np.ndarray:
    """Boolean array: which values begin with ``prefix`` (missing values do not)."""
    if not len(values):
        return np.zeros(0, bool)
    return np.array(_strings(values).str.starts_with(prefix).fill_null(False).to_numpy())


def to_numbers(values: np.ndarray, mapping: Mapping[str, int]) -> np.ndarray:
    """Each code's number in ``mapping`` (every value must be a key)."""
    if not len(values):
        return np.zeros(0, np.int64)
    keys = list(mapping)
    out = _strings(values).replace_strict(keys, [mapping[k] for k in keys], return_dtype=pl.Int64)
    return np.array(out.to_numpy(), dtype=np.int64)


def to_codes(values: np.ndarray, mapping: Mapping[str, str], default: str) -> np.ndarray:
    """Each code translated by ``mapping`` (``default`` for the others), as an object array."""
    if not len(values):
        return np.zeros(0, object)
    keys = list(mapping)
    out = _strings(values).replace_strict(
        keys, [mapping[k] for k in keys], default=default, return_dtype=pl.String
    )
    return out.to_numpy().astype(object)
