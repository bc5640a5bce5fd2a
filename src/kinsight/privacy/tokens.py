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

import hashlib
import hmac
from collections.abc import Iterable, Sequence

import numpy as np
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
    distinct = list(dict.fromkeys(identifiers))
    tokens = _tokens_of(key, pl.Series("raw", distinct, dtype=pl.String)).to_list()
    return dict(zip(distinct, tokens, strict=True))


def _pad_table(byte: int) -> bytes:
    return bytes(x ^ byte for x in range(256))


_INNER_PAD = _pad_table(0x36)
_OUTER_PAD = _pad_table(0x5C)
_SHA256_BLOCK = 64


def hmac_sha256_many(key: bytes, messages: Iterable[bytes]) -> list[bytes]:
    """HMAC-SHA256 of many messages under one key: the same bytes as ``hmac.digest`` for each.

    Why not ``hmac.digest`` per message: with OpenSSL 3 every one-shot call sets the key up and looks
    the digest up again, which dominated pseudonymising a million children (about 2 s).  HMAC is by
    definition (RFC 2104) ``H((K ^ opad) || H((K ^ ipad) || m))``, so the two keyed SHA-256 states are
    built once here and copied per message, which is over twice as fast.  The tests check every
    token against the standard ``hmac`` module, for short and long keys.
    """
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_SHA256_BLOCK, b"\0")
    new_inner = hashlib.sha256(padded.translate(_INNER_PAD)).copy
    new_outer = hashlib.sha256(padded.translate(_OUTER_PAD)).copy
    out: list[bytes] = []
    append = out.append
    for message in messages:
        inner = new_inner()
        inner.update(message)
        outer = new_outer()
        outer.update(inner.digest())
        append(outer.digest())
    return out


def _tokens_of(key: bytes, distinct: pl.Series) -> pl.Series:
    """Hex tokens for distinct identifier values (null where the value is missing or blank)."""
    normalised = [
        b"" if value is None else value.strip().upper().encode("utf-8") for value in distinct.to_list()
    ]
    hexed = pl.Series("token", hmac_sha256_many(key, normalised), dtype=pl.Binary).bin.encode("hex")
    blank = pl.Series(normalised, dtype=pl.Binary).bin.size() == 0
    return hexed.zip_with(~blank, pl.Series([None], dtype=pl.String))


def _row_hashes(series: pl.Series) -> pl.Series:
    """64-bit hashes of the values (a seam for the tests, which force collisions through it)."""
    return series.hash(seed=0)


def _distinct_and_codes(series: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """The distinct values of a string series and, for each row, the index of its value among them.

    Why hashes: grouping ten million strings directly (``unique`` then a string lookup per row) cost
    several seconds, while dictionary-encoding their 64-bit hashes (Arrow's hash table over integers)
    gives every row its group in one cheap pass.  Two different identifiers sharing a hash would be
    merged, so the result is checked exactly (every row must equal its group's representative) and,
    in that practically impossible case, the slower exact path is taken instead.
    """
    import pyarrow.compute as pc  # imported here: pyarrow is slow to import and only needed here

    n = series.len()
    encoded = pc.dictionary_encode(_row_hashes(series).to_arrow())
    # Through polars (zero-copy): pyarrow's own to_numpy of these indices measured over a second.
    codes = pl.Series(encoded.indices).to_numpy()
    representative = np.zeros(len(encoded.dictionary), dtype=np.int64)
    representative[codes] = np.arange(n, dtype=np.int64)  # any row of the group will do
    distinct = series.gather(representative)
    if distinct.gather(codes).eq_missing(series).all():
        return distinct, codes
    distinct = series.unique(maintain_order=True)
    index = pl.Series(np.arange(distinct.len(), dtype=np.int64))
    exact = series.replace_strict(distinct, index, return_dtype=pl.Int64)
    return distinct, exact.to_numpy()  # null rows map to the null among the distinct values


def tokenise_series(key: bytes, series: pl.Series) -> pl.Series:
    """Replace every identifier in ``series`` by its token, keeping row order and missing values."""
    text = series.cast(pl.String)
    distinct, codes = _distinct_and_codes(text)
    return _tokens_of(key, distinct).gather(codes).alias(series.name)


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
