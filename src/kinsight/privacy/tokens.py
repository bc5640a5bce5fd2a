"""Keyed pseudonymisation: HMAC-SHA256 tokens that link records without revealing who they are.

A token is ``HMAC-SHA256(key, normalised identifier)`` written as 64 hex digits.  The identifier is
normalised first (surrounding spaces trimmed, letters upper-cased) so that ``" a123 "`` in one year
and ``"A123"`` in another give the same token and records still link across years and datasets.
Without the key a token cannot be reversed or recomputed from a guessed identifier, which a plain
(unkeyed) hash would allow by trying every likely child id.

Tokens are computed once per *distinct* identifier and joined back, so 10 million rows with a million
children cost a million HMACs, not ten million.  Blank or missing identifiers stay missing.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence

import polars as pl

from kinsight.errors import UsageError

DATE_SHIFT_LABEL = b"kinsight date shift\x00"


def normalise(identifier: str) -> str:
    """The form an identifier is tokenised in: trimmed and upper case."""
    return identifier.strip().upper()


def token(key: bytes, identifier: str | None) -> str | None:
    """The token for one identifier (``None`` for a blank or missing one)."""
    if identifier is None:
        return None
    text = normalise(identifier)
    if not text:
        return None
    return hmac.digest(key, text.encode("utf-8"), "sha256").hex()


def token_map(key: bytes, identifiers: Iterable[str]) -> dict[str, str | None]:
    """Tokens for many identifiers at once, keyed by the identifier exactly as given."""
    return {value: token(key, value) for value in identifiers}


def _mapping_frame(key: bytes, series: pl.Series) -> tuple[pl.Series, pl.Series]:
    distinct = series.cast(pl.String).drop_nulls().unique()
    raw = distinct.to_list()
    digest = hmac.digest
    tokens: list[str | None] = []
    append = tokens.append
    for value in raw:
        text = value.strip().upper()
        append(digest(key, text.encode("utf-8"), "sha256").hex() if text else None)
    return pl.Series("raw", raw, dtype=pl.String), pl.Series("token", tokens, dtype=pl.String)


def tokenise_series(key: bytes, series: pl.Series) -> pl.Series:
    """Replace every identifier in ``series`` by its token, keeping row order and missing values."""
    raw, tokens = _mapping_frame(key, series)
    return series.cast(pl.String).replace_strict(raw, tokens, default=None, return_dtype=pl.String)


def pseudonymise(frame: pl.DataFrame, columns: Sequence[str], key: bytes) -> pl.DataFrame:
    """Return ``frame`` with the named identifier columns replaced by tokens; nothing else changes."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError(
            f"column(s) not in the data: {', '.join(missing)}",
            hint=f"Columns available: {', '.join(frame.columns)}.",
        )
    return frame.with_columns(tokenise_series(key, frame.get_column(c)).alias(c) for c in columns)


def keyed_offsets(key: bytes, identifiers: Sequence[str], max_days: int) -> list[int]:
    """A stable pseudo-random offset in ``[-max_days, max_days]`` (never 0) for each identifier.

    The offset is derived from the key and the normalised identifier, so the same child always gets
    the same shift: intervals between that child's dates are kept, yet the true dates are hidden.
    """
    if max_days < 1:
        raise UsageError("the date shift must allow at least one day", hint="Give max_days of 1 or more.")
    span = 2 * max_days
    offsets = []
    for value in identifiers:
        digest = hmac.digest(key, DATE_SHIFT_LABEL + normalise(value).encode("utf-8"), "sha256")
        step = int.from_bytes(digest[:8], "big") % span
        offsets.append(step - max_days if step < max_days else step - max_days + 1)
    return offsets
