"""Data bias audit: representation, missingness by group and proxies, on small hand-made tables."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import polars as pl
import pytest

from kinsight.evaluation.bias import audit, representation
from kinsight.evaluation.characteristics import Characteristic, attach, reference_population


def _header() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "CHILD": ["1", "2", "3", "4"],
            "SEX": ["1", "2", "M", "F"],
            "ETHNIC": ["WBRI", "BAFR", "CHNE", None],
            "DOB": [date(2010, 4, 1), date(2024, 5, 1), date(2007, 3, 31), date(2007, 4, 1)],
            "collection_year": ["2024-25"] * 4,
        }
    )


def test_characteristics_are_joined_from_the_header_and_age_is_taken_at_31_march() -> None:
    episodes = pl.DataFrame(
        {
            "CHILD": ["1", "1", "2", "3", "4", "9"],
            "PLACE": ["U1", "U4", "K2", "U4", "R1", "U1"],
            "collection_year": ["2024-25"] * 6,
        }
    )
    frame, derived = attach(episodes, dataset="ssda903", sources={"header": _header()}, on=date(2025, 3, 31))
    assert derived[Characteristic.SEX] == "header.SEX"
    frame = frame.sort(["CHILD", "PLACE"])
    assert frame["pc_sex"].to_list() == ["male", "male", "female", "male", "female", "(missing)"]
    assert frame["pc_ethnicity"].to_list() == ["White", "White", "Black", "Asian", "(missing)", "(missing)"]
    # 31 March 2025: born 1 Apr 2010 -> 14; 1 May 2024 -> 0; 31 Mar 2007 -> 18 today; 1 Apr 2007 -> 17
    assert frame["pc_age_band"].to_list() == [
        "10 to 15",
        "10 to 15",
        "under 1",
        "18 and over",
        "16 to 17",
        "(missing)",
    ]


def test_representation_matches_wilson_and_chi_squared_by_hand() -> None:
    groups = pl.Series("g", ["male"] * 70 + ["female"] * 30 + ["unknown"] * 5)
    out = representation(groups, {"male": 0.51, "female": 0.49})
    male = next(r for r in out["groups"] if r["group"] == "male")
    n, k, z = 105, 70, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert male["ci"] == pytest.approx([centre - half, centre + half])
    assert male["above_reference"] is True
    expected = [0.51 * 100, 0.49 * 100]
    statistic = (70 - expected[0]) ** 2 / expected[0] + (30 - expected[1]) ** 2 / expected[1]
    assert out["test"]["statistic"] == pytest.approx(statistic)
    assert out["test"]["children_left_out"] == 5
    assert out["test"]["p_value"] == pytest.approx(math.erfc(math.sqrt(statistic / 2)))


def test_a_field_that_follows_ethnicity_is_flagged_and_noise_is_not() -> None:
    rng = np.random.default_rng(3)
    n = 600
    eth = rng.choice(["WBRI", "BAFR", "APKN"], n, p=[0.6, 0.2, 0.2])
    area = np.array(
        [{"WBRI": "N1", "BAFR": "E2", "APKN": "B3"}[e] if rng.random() < 0.9 else "X9" for e in eth]
    )
    noise = rng.choice(["a", "b", "c"], n)
    frame = pl.DataFrame(
        {
            "CHILD": [str(i) for i in range(n)],
            "ETHNIC": eth,
            "AREA": area,
            "NOISE": noise,
            "SEX": rng.choice(["1", "2"], n),
        }
    )
    frame, derived = attach(frame, dataset="ssda903", on=date(2025, 3, 31))
    out = audit(frame, key="CHILD", derived_from=derived, reference=reference_population())
    by = {(r["field"], r["characteristic"]): r for r in out["proxies"]["associations"]}
    assert by[("AREA", "ethnicity")]["strength"] == "likely proxy"
    assert by[("NOISE", "ethnicity")]["strength"] == "little or none"
    assert "AREA ~ ethnicity" in out["proxies"]["likely_proxies"]
    # Cramér's V by hand for AREA x ethnicity
    a = frame["AREA"].to_list()
    g = frame["pc_ethnicity"].to_list()
    rows, cols = sorted(set(a)), sorted(set(g))
    table = np.array(
        [[sum(1 for x, y in zip(a, g, strict=True) if x == r and y == c) for c in cols] for r in rows], float
    )
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    chi2 = ((table - expected) ** 2 / expected).sum()
    v = math.sqrt(chi2 / (table.sum() * (min(table.shape) - 1)))
    assert by[("AREA", "ethnicity")]["cramers_v"] == pytest.approx(v)
    # mutual information by hand (nats)
    joint = table / table.sum()
    px, py = joint.sum(1, keepdims=True), joint.sum(0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = float(np.nansum(np.where(joint > 0, joint * np.log(joint / (px * py)), 0.0)))
    assert by[("AREA", "ethnicity")]["mutual_information"] == pytest.approx(mi)
    # the child id is skipped, not scored
    assert "CHILD" not in {r["field"] for r in out["proxies"]["associations"]}


def test_missingness_that_differs_by_group_is_flagged() -> None:
    n = 200
    sex = ["1"] * 100 + ["2"] * 100
    upn = [None if i < 40 else "A" for i in range(100)] + [None if i < 5 else "A" for i in range(100)]
    frame = pl.DataFrame({"CHILD": [str(i) for i in range(n)], "SEX": sex, "UPN": upn})
    frame, derived = attach(frame, dataset="ssda903", on=date(2025, 3, 31))
    out = audit(frame, key="CHILD", derived_from=derived, reference=reference_population())
    row = next(r for r in out["missingness"] if r["field"] == "UPN")
    assert row["missing_share_by_group"] == {"female": 0.05, "male": 0.4}
    assert row["difference_points"] == pytest.approx(35.0)
    assert row["flagged"] is True


def test_shipped_reference_shares_sum_to_one_and_cite_a_source() -> None:
    ref = reference_population()
    for shares in ref.characteristics.values():
        assert math.isclose(sum(shares.shares.values()), 1.0, abs_tol=0.005)
        assert shares.source and shares.source_date
