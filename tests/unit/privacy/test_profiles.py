"""Purpose profiles: minimisation by default, treatments applied, tokens still link tables."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from kinsight.errors import ConfigurationError, NotFoundError
from kinsight.privacy.profiles import Treatment, apply_profile, load_profile, profile_names
from kinsight.privacy.tokens import token

KEY = bytes(range(32))


def header() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "CHILD": ["A1", "B2"],
            "SEX": ["M", "F"],
            "DOB": [date(2012, 7, 19), date(2024, 2, 3)],
            "UPN": ["A123456789012", "UN1"],
            "ETHNIC": ["WBRI", "BAFR"],
            "collection_year": ["2024-25", "2024-25"],
            "_file": ["header.csv", "header.csv"],
        }
    )


def test_the_three_profiles_load() -> None:
    assert {"regional-demand-model", "practitioner-view", "external-evaluator"} <= set(profile_names())
    for name in profile_names():
        assert load_profile(name).fields


def test_unknown_profile() -> None:
    with pytest.raises(NotFoundError):
        load_profile("nope")


def test_regional_profile_tokens_months_and_drops() -> None:
    out = apply_profile(header(), load_profile("regional-demand-model"), KEY)
    assert "UPN" in out.dropped and "_file" in out.dropped and "UPN" not in out.frame.columns
    assert out.frame["CHILD"].to_list() == [token(KEY, "A1"), token(KEY, "B2")]
    assert out.frame["DOB"].to_list() == [date(2012, 7, 1), date(2024, 2, 1)]
    assert out.treatments["DOB"] == Treatment.MONTH


def test_evaluator_profile_age_bands_at_31_march() -> None:
    out = apply_profile(header(), load_profile("external-evaluator"), KEY)
    assert out.frame["DOB"].to_list() == ["10 to 15", "1 to 4"]


def test_profile_needing_a_key_refuses_without_one() -> None:
    with pytest.raises(ConfigurationError):
        apply_profile(header(), load_profile("regional-demand-model"), None)


def test_practitioner_view_keeps_identifier_but_not_unlisted_fields() -> None:
    out = apply_profile(header(), load_profile("practitioner-view"), None)
    assert out.frame["CHILD"].to_list() == ["A1", "B2"]
    assert "UPN" not in out.frame.columns
