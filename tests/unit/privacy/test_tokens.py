"""Keyed tokens: match HMAC-SHA256 computed here, stable, keyed, and never leak the identifier."""

from __future__ import annotations

import hashlib
import hmac

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinsight.errors import UsageError
from kinsight.privacy import tokens as tokens_module
from kinsight.privacy.tokens import (
    hmac_sha256_many,
    keyed_offsets,
    pseudonymise,
    token,
    token_map,
    tokenise_series,
)

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def expected(key: bytes, identifier: str) -> str:
    return hmac.new(key, identifier.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


def test_token_is_hmac_sha256_of_the_normalised_identifier() -> None:
    assert token(KEY, "A123") == expected(KEY, "A123")
    assert token(KEY, "  a123 ") == token(KEY, "A123")


def test_blank_and_missing_identifiers_stay_missing() -> None:
    assert token(KEY, None) is None
    assert token(KEY, "   ") is None


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20))
def test_different_key_gives_different_token(identifier: str) -> None:
    if not identifier.strip():
        return
    assert token(KEY, identifier) != token(OTHER, identifier)
    assert token(KEY, identifier) == expected(KEY, identifier)


def test_pseudonymise_frame_keeps_order_and_other_columns_and_links_records() -> None:
    frame = pl.DataFrame(
        {
            "CHILD": ["c1", "C2", " C1", None, "c3"],
            "DOB": ["01/02/2010", "x", "y", "z", "w"],
            "n": [1, 2, 3, 4, 5],
        }
    )
    out = pseudonymise(frame, ["CHILD"], KEY)
    assert out.columns == frame.columns
    assert out["DOB"].to_list() == frame["DOB"].to_list()
    assert out["n"].to_list() == [1, 2, 3, 4, 5]
    assert out["CHILD"].to_list() == [
        expected(KEY, "c1"),
        expected(KEY, "C2"),
        expected(KEY, "c1"),
        None,
        expected(KEY, "c3"),
    ]
    text = out.write_csv()
    for raw in ("c1", "C1", "C2", "c3"):
        assert raw not in text.replace(expected(KEY, raw), "")


def test_tokens_link_across_two_datasets() -> None:
    year1 = pseudonymise(pl.DataFrame({"CHILD": ["A1", "B2"]}), ["CHILD"], KEY)
    year2 = pseudonymise(pl.DataFrame({"LAchildID": ["b2 ", "a1"]}), ["LAchildID"], KEY)
    assert set(year1["CHILD"]) == set(year2["LAchildID"])


def test_missing_column_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match="NOPE"):
        pseudonymise(pl.DataFrame({"CHILD": ["a"]}), ["NOPE"], KEY)


def test_keyed_offsets_are_stable_bounded_and_non_zero() -> None:
    ids = [f"child{i}" for i in range(2000)]
    first = keyed_offsets(KEY, ids, 30)
    assert first == keyed_offsets(KEY, [i.upper() for i in ids], 30)
    assert all(-30 <= x <= 30 and x != 0 for x in first)
    assert len(set(first)) == 60  # every allowed offset is used
    assert first != keyed_offsets(OTHER, ids, 30)


@given(key=st.binary(min_size=0, max_size=130), messages=st.lists(st.binary(max_size=80), max_size=20))
def test_batched_hmac_matches_the_standard_library_for_any_key_length(
    key: bytes, messages: list[bytes]
) -> None:
    assert hmac_sha256_many(key, messages) == [hmac.digest(key, m, "sha256") for m in messages]


IDS = st.lists(
    st.one_of(
        st.none(), st.sampled_from(["a1", " A1", "b2", "", "  ", "c3 ", "ß", "x\u00a0"]), st.text(max_size=6)
    ),
    max_size=40,
)


@given(IDS)
def test_tokenise_series_gives_each_row_the_token_of_its_own_value(values: list[str | None]) -> None:
    series = pl.Series("CHILD", values, dtype=pl.String)
    out = tokenise_series(KEY, series)
    assert out.name == "CHILD"
    assert out.to_list() == [token(KEY, v) for v in values]


@given(IDS)
def test_tokens_stay_right_when_different_identifiers_share_a_hash(values: list[str | None]) -> None:
    """Force collisions (hash modulo 2) so the exact fallback path is exercised."""
    series = pl.Series("CHILD", values, dtype=pl.String)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tokens_module, "_row_hashes", lambda s: s.hash(seed=0) % 2)
        out = tokenise_series(KEY, series)
    assert out.to_list() == [token(KEY, v) for v in values]


def test_numeric_identifiers_are_tokenised_as_text() -> None:
    out = pseudonymise(pl.DataFrame({"CHILD": [101, 102, 101, None]}), ["CHILD"], KEY)
    assert out["CHILD"].to_list() == [expected(KEY, "101"), expected(KEY, "102"), expected(KEY, "101"), None]


def test_token_map_matches_single_tokens() -> None:
    ids = ["a1", " A1", "b2", "", "a1"]
    assert token_map(KEY, ids) == {v: token(KEY, v) for v in ids}
