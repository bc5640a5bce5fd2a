"""A training-data fingerprint: sha256 over the data in a canonical order.

Sorting the columns by name and the rows by every column means the same data gives the same
fingerprint however the file was written out (row order, column order), while any changed value,
added row or renamed field gives a different one.  A deployment records it so that a later review can
show exactly which data the tool learned from.
"""

from __future__ import annotations

import hashlib

import polars as pl


def frame_fingerprint(frame: pl.DataFrame) -> str:
    columns = sorted(frame.columns)
    canonical = frame.select(columns).cast({c: pl.String for c in columns})
    if columns and canonical.height:
        canonical = canonical.sort(columns, nulls_last=True)
    digest = hashlib.sha256()
    digest.update("\x1f".join(columns).encode("utf-8") + b"\n")
    digest.update(canonical.write_csv(include_header=False, null_value="\x00").encode("utf-8"))
    return digest.hexdigest()
