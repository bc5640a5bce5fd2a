"""The shipped England 0-17 reference file: its shares follow from its counts, it says where every number
comes from, and its groups are exactly the groups the bias audit produces for 903 data."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml

from kinsight.errors import ConfigurationError
from kinsight.evaluation.bias import NOT_KNOWN
from kinsight.evaluation.characteristics import (
    DATA_DIR,
    MISSING,
    UNRECOGNISED,
    Characteristic,
    ReferenceStatus,
    attach,
    protected_config,
    reference_population,
)

SHIPPED = DATA_DIR / "reference_population.yaml"


def _raw() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def test_shares_sum_to_one_for_every_characteristic() -> None:
    for characteristic, ref in reference_population().characteristics.items():
        assert ref.shares is not None, characteristic
        assert math.isclose(sum(ref.shares.values()), 1.0, abs_tol=1e-9 if ref.counts else 0.005)
        assert all(share > 0 for share in ref.shares.values()), characteristic


def test_age_band_shares_equal_the_published_counts_split_by_hand() -> None:
    counts = _raw()["characteristics"]["age_band"]["counts"]
    a, b, c, d = counts["0 to 4"], counts["5 to 9"], counts["10 to 14"], counts["15 to 19"]
    # Worked by hand: a fifth of each five-year band per year of age.
    by_hand = {
        "under 1": a / 5,
        "1 to 4": a * 4 / 5,
        "5 to 9": b,
        "10 to 15": c + d / 5,
        "16 to 17": d * 2 / 5,
    }
    total = sum(by_hand.values())
    # 0 to 17 = (0-4) + (5-9) + (10-14) + three fifths of (15-19)
    assert total == pytest.approx(a + b + c + 3 * d / 5)
    shares = reference_population().characteristics[Characteristic.AGE_BAND].shares
    assert shares == pytest.approx({group: n / total for group, n in by_hand.items()}, abs=1e-12)


def test_age_band_counts_are_the_sum_of_the_nine_regions_quoted_in_p02() -> None:
    # ONS Census 2021 first results, table P02, regions of England (nearest 100), as in the file's source.
    regions = {
        "0 to 4": [134300, 407700, 298600, 253200, 335400, 349100, 529000, 495300, 274400],
        "5 to 9": [150500, 445000, 326100, 283300, 368300, 380600, 531500, 552200, 311100],
        "10 to 14": [154400, 452400, 332600, 290300, 374400, 385100, 535400, 569000, 319600],
        "15 to 19": [150100, 430900, 323100, 287300, 357500, 343000, 489400, 524000, 313600],
    }
    counts = _raw()["characteristics"]["age_band"]["counts"]
    assert counts == {band: sum(values) for band, values in regions.items()}


def test_every_characteristic_names_its_source_date_address_and_status() -> None:
    raw = _raw()["characteristics"]
    for characteristic, ref in reference_population().characteristics.items():
        assert len(ref.source) > 40, characteristic
        assert len(ref.source_date) == 7 and ref.source_date[4] == "-", characteristic
        assert ref.url and all(u.startswith("https://") for u in ref.url), characteristic
        assert ref.note, characteristic
        # a derivation is only honest if the file calls the result derived
        if "derivation" in raw[characteristic.value]:
            assert ref.status is ReferenceStatus.DERIVED


def test_sex_and_age_band_rest_on_published_figures() -> None:
    chars = reference_population().characteristics
    assert chars[Characteristic.SEX].status is ReferenceStatus.PUBLISHED
    assert chars[Characteristic.AGE_BAND].status is ReferenceStatus.DERIVED
    assert chars[Characteristic.AGE_BAND].counts is not None


@pytest.mark.xfail(
    strict=True, reason="No published 0-17 counts by broad ethnic group found yet (issue 8 left open)."
)
def test_every_characteristic_rests_on_published_figures() -> None:
    for ref in reference_population().characteristics.values():
        assert ref.status in {ReferenceStatus.PUBLISHED, ReferenceStatus.DERIVED}


def _every_903_code() -> pl.DataFrame:
    """A 903 header holding every sex and ethnicity code and a child at every age from 0 to 17."""
    config = protected_config()
    sex = list(config.characteristics[Characteristic.SEX].codes or {})
    ethnic = list(config.characteristics[Characteristic.ETHNICITY].codes or {})
    ages = range(18)
    n = max(len(sex), len(ethnic), len(ages))
    return pl.DataFrame(
        {
            "CHILD": [str(i) for i in range(n)],
            "SEX": [sex[i % len(sex)] for i in range(n)],
            "ETHNIC": [ethnic[i % len(ethnic)] for i in range(n)],
            # born on 1 April, so at 31 March 2025 each child is exactly the age intended
            "DOB": [date(2024 - ages[i % len(ages)], 4, 1) for i in range(n)],
            "collection_year": ["2024-25"] * n,
        }
    )


def test_reference_groups_are_exactly_the_groups_the_audit_produces_for_903_data() -> None:
    frame, derived = attach(_every_903_code(), dataset="ssda903", on=date(2025, 3, 31))
    ref = reference_population().characteristics
    left_out = NOT_KNOWN | {MISSING, UNRECOGNISED}
    for characteristic in (Characteristic.SEX, Characteristic.ETHNICITY, Characteristic.AGE_BAND):
        assert characteristic in derived
        produced = set(frame["pc_" + characteristic.value].unique().to_list()) - left_out
        assert ref[characteristic].shares is not None
        assert set(ref[characteristic].shares) == produced, characteristic


def _write(tmp_path: Path, block: dict) -> Path:
    path = tmp_path / "ref.yaml"
    path.write_text(yaml.safe_dump({"name": "Test", "characteristics": {"sex": block}}), encoding="utf-8")
    return path


def test_an_authority_file_with_shares_only_still_loads(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "source": "LA mid-2023",
            "source_date": "2024-06",
            "status": "published",
            "shares": {"male": 0.5, "female": 0.5},
        },
    )
    ref = reference_population(path).characteristics[Characteristic.SEX]
    assert ref.shares == {"male": 0.5, "female": 0.5}
    assert ref.counts is None and ref.url == []


def test_counts_give_the_shares(tmp_path: Path) -> None:
    block = {
        "source": "s",
        "source_date": "2024-06",
        "status": "published",
        "counts": {"male": 300, "female": 100},
    }
    ref = reference_population(_write(tmp_path, block)).characteristics[Characteristic.SEX]
    assert ref.shares == {"male": 0.75, "female": 0.25}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"counts": {"male": 300, "female": 100}, "shares": {"male": 0.7, "female": 0.3}}, "disagree"),
        ({"counts": {"male": 3, "female": 1}, "derivation": {"male": {"boys": 1.0}}}, "has no count"),
        (
            {"counts": {"all": 10}, "derivation": {"male": {"all": 0.6}, "female": {"all": 0.6}}},
            "more than all",
        ),
        ({"counts": {"male": -1, "female": 1}}, "greater than or equal"),
        ({"shares": {"male": 0.6, "female": 0.6}}, "sum to"),
        ({}, "counts"),
    ],
)
def test_inconsistent_files_are_refused_with_a_hint(tmp_path: Path, extra: dict, message: str) -> None:
    block = {"source": "s", "source_date": "2024-06", "status": "derived", **extra}
    with pytest.raises(ConfigurationError, match=message) as caught:
        reference_population(_write(tmp_path, block))
    assert caught.value.hint


def test_an_unknown_status_is_refused(tmp_path: Path) -> None:
    block = {
        "source": "s",
        "source_date": "2024-06",
        "status": "guessed",
        "shares": {"male": 0.5, "female": 0.5},
    }
    with pytest.raises(ConfigurationError, match="status"):
        reference_population(_write(tmp_path, block))
