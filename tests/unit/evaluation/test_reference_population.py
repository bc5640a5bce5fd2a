"""The shipped England 0-17 reference file: its shares follow from its counts, it says where every number
comes from, and its groups are exactly the groups the bias audit produces for 903 data."""

from __future__ import annotations

import json
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


# ONS Census 2021 unrounded estimates, usual residents by single year of age 0..17, one list per region of
# England in the file's order (North East, North West, Yorkshire and The Humber, East Midlands, West
# Midlands, East of England, London, South East, South West), copied from the source the file names.
# fmt: off
SINGLE_YEARS = [
    [  # North East
        24771, 25842, 26943, 27736, 29010, 29435, 28896, 29818, 31000,
        31326, 31707, 31142, 30665, 30805, 30071, 28885, 28940, 28311,
    ],
    [  # North West
        76480, 80509, 82037, 82536, 86091, 87428, 86640, 88010, 91081,
        91915, 91891, 91360, 90857, 90306, 87993, 86628, 86894, 84535,
    ],
    [  # Yorkshire and The Humber
        55940, 58785, 60182, 60562, 63088, 63961, 63388, 64171, 66979,
        67604, 67544, 67247, 67090, 66153, 64601, 63180, 63986, 63187,
    ],
    [  # East Midlands
        46880, 49579, 50664, 52007, 54068, 55342, 55107, 55487, 58037,
        59345, 58951, 58145, 58402, 58621, 56221, 55153, 54819, 53961,
    ],
    [  # West Midlands
        63168, 65849, 67390, 68082, 70901, 71609, 71343, 72922, 76138,
        76288, 76134, 74885, 75507, 75185, 72707, 71321, 72638, 71167,
    ],
    [  # East of England
        64810, 68572, 70562, 71651, 73548, 75470, 74124, 74869, 77900,
        78255, 78717, 77916, 77468, 76782, 74194, 71952, 71806, 71840,
    ],
    [  # London
        104232, 107140, 105690, 105260, 106631, 106765, 104130, 104212, 107669,
        108720, 108796, 108171, 107533, 106965, 103977, 99849, 101944, 100378,
    ],
    [  # South East
        91706, 96385, 100143, 101912, 105156, 108090, 106790, 108258, 113408,
        115700, 115756, 114474, 114058, 113808, 110897, 106944, 107508, 107066,
    ],
    [  # South West
        50998, 53275, 55420, 56616, 58138, 60589, 60142, 61114, 63918,
        65310, 65023, 64380, 63678, 63998, 62547, 60202, 60923, 61602,
    ],
]
# fmt: on
# The same regions in ONS first-results table P02 (June 2022, rounded to the nearest 100): an independent
# publication the single years must agree with.
P02 = {
    (0, 5): [134300, 407700, 298600, 253200, 335400, 349100, 529000, 495300, 274400],
    (5, 10): [150500, 445000, 326100, 283300, 368300, 380600, 531500, 552200, 311100],
    (10, 15): [154400, 452400, 332600, 290300, 374400, 385100, 535400, 569000, 319600],
}


def test_age_band_counts_are_the_single_years_of_the_nine_regions_added_by_hand() -> None:
    def ages(lo: int, hi: int) -> int:
        return sum(sum(region[lo:hi]) for region in SINGLE_YEARS)

    expected = {
        "under 1": ages(0, 1),
        "1 to 4": ages(1, 5),
        "5 to 9": ages(5, 10),
        "10 to 15": ages(10, 16),
        "16 to 17": ages(16, 18),
    }
    assert _raw()["characteristics"]["age_band"]["counts"] == expected
    assert sum(expected.values()) == 11_774_595
    shares = reference_population().characteristics[Characteristic.AGE_BAND].shares
    assert shares == pytest.approx({band: n / 11_774_595 for band, n in expected.items()}, abs=1e-12)


def test_single_years_agree_with_the_rounded_five_year_table_p02() -> None:
    assert all(len(region) == 18 for region in SINGLE_YEARS)
    for (lo, hi), rounded in P02.items():
        for region, published in zip(SINGLE_YEARS, rounded, strict=True):
            assert abs(sum(region[lo:hi]) - published) < 100, (lo, hi, published)


# ONS 2011 Census table DC2101EW, England, all persons: the 18 detailed ethnic groups aged 0 to 17 (the
# bands 0-4, 5-7, 8-9, 10-14, 15 and 16-17 added up), copied from the Nomis download the file names.
CENSUS_2011_0_TO_17 = {
    "White": [8_442_330, 33_889, 19_615, 407_479],  # British, Irish, Gypsy or Irish Traveller, other
    "Mixed": [206_044, 85_284, 171_250, 127_439],  # W&B Caribbean, W&B African, W&Asian, other
    "Asian": [298_950, 403_323, 167_009, 59_108, 207_903],  # Indian, Pakistani, Bangladeshi, Chinese, other
    "Black": [327_168, 119_017, 116_148],  # African, Caribbean, other
    "Other": [68_840, 76_164],  # Arab, any other ethnic group
}
# The same table's "All categories: Ethnic group" count for each of those six age bands, in that order.
CENSUS_2011_BAND_TOTALS = [3_318_449, 1_827_610, 1_145_022, 3_080_929, 650_826, 1_314_124]


def test_ethnicity_counts_are_the_published_2011_census_groups_summed_into_the_audit_groups() -> None:
    expected = {group: sum(values) for group, values in CENSUS_2011_0_TO_17.items()}
    assert _raw()["characteristics"]["ethnicity"]["counts"] == expected
    total = sum(expected.values())
    assert total == 11_336_960
    # the detailed groups and the table's own all-groups band totals are two routes to the same children
    assert sum(CENSUS_2011_BAND_TOTALS) == total
    ethnicity = reference_population().characteristics[Characteristic.ETHNICITY]
    assert ethnicity.shares == pytest.approx({g: n / total for g, n in expected.items()}, abs=1e-12)
    assert ethnicity.status is ReferenceStatus.PUBLISHED
    assert ethnicity.source_date == "2011-03"


def test_the_ethnicity_note_says_the_figures_are_old_and_which_way_that_leans() -> None:
    note = reference_population().characteristics[Characteristic.ETHNICITY].note or ""
    assert "2011 figures" in note
    assert "overstated" in note
    assert "Race Disparity Unit" in note
    # the 78.5% the note quotes is the White share worked out from the published counts
    white = sum(CENSUS_2011_0_TO_17["White"]) / sum(sum(v) for v in CENSUS_2011_0_TO_17.values())
    assert f"{white:.1%}" in note


# DfE, Schools, pupils and their characteristics 2020/21, England, headcount by ethnicity: the cross-check
# the ethnicity note quotes to show how far children's ethnic mix has moved since 2011.
PUPILS_2020_21 = {
    "White": [5_410_043, 21_898, 565_893, 26_045, 6_197],  # British, Irish, other, Gypsy/Roma, Traveller
    "Mixed": [130_569, 73_202, 128_850, 200_996],  # W&B Caribbean, W&B African, W&Asian, other
    "Asian": [275_106, 374_031, 149_202, 161_435, 37_943],  # Indian, Pakistani, Bangladeshi, other, Chinese
    "Black": [83_712, 326_365, 64_655],  # Caribbean, African, other
    "Other": [151_175, 22_248],  # any other ethnic group, Arab
}


def test_the_pupil_cross_check_in_the_note_is_the_published_pupil_codes_added_up() -> None:
    note = reference_population().characteristics[Characteristic.ETHNICITY].note or ""
    groups = {group: sum(codes) for group, codes in PUPILS_2020_21.items()}
    total = sum(groups.values())
    for n in (*groups.values(), total):
        assert f"{n:,}" in note, n
    assert f"about {groups['White'] / total:.0%} of pupils" in note


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
    assert chars[Characteristic.AGE_BAND].status is ReferenceStatus.PUBLISHED
    assert chars[Characteristic.AGE_BAND].counts is not None


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


def test_a_reference_the_user_marks_approximate_is_still_flagged_by_kinsight_bias(tmp_path: Path) -> None:
    """The shipped file no longer has an approximate entry, so the warning is checked with a user's own."""
    from typer.testing import CliRunner

    from kinsight.cli.main import build_app

    header = tmp_path / "header.csv"
    pl.DataFrame(
        {
            "CHILD": ["1", "2", "3", "4"],
            "SEX": ["1", "2", "1", "2"],
            "ETHNIC": ["WBRI", "BAFR", "APKN", "WBRI"],
        }
    ).write_csv(header)
    own = _raw()
    own["characteristics"]["ethnicity"]["status"] = "approximate"
    reference = tmp_path / "own_reference.yaml"
    reference.write_text(yaml.safe_dump(own), encoding="utf-8")

    runner = CliRunner()
    as_json = runner.invoke(build_app(), ["bias", str(header), "--reference", str(reference), "--json"])
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.stdout)
    statuses = {name: block["reference"]["status"] for name, block in body["representation"].items()}
    assert statuses["ethnicity"] == "approximate"
    assert statuses["sex"] == "published"

    text = runner.invoke(
        build_app(), ["bias", str(header), "--reference", str(reference)], terminal_width=200
    )
    assert text.exit_code == 0, text.output
    assert "reference shares: approximate" in text.stdout
    shipped = runner.invoke(build_app(), ["bias", str(header)], terminal_width=200)
    assert shipped.exit_code == 0, shipped.output
    assert "reference shares: approximate" not in shipped.stdout
