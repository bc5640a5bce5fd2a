"""CLA at 31 March, starts and ceases against hand-worked expectations on crafted returns."""

from __future__ import annotations

from datetime import date as d

from analytics_tables import ep, hd

from kinsight.analytics.groupings import default_groupings
from kinsight.analytics.indicators import compute_indicators, indicator_to_json


def _run(con):
    return {i.name: indicator_to_json(i) for i in compute_indicators(con, default_groupings())}


def test_episodes_repeated_across_returns_and_31_march_rules(store):
    y1, y2 = "2023-24", "2024-25"
    episodes = [
        # A: open across both 31 Marches; repeated in the second return, which closes a later placement
        ep("A", d(2023, 5, 1), None, y1),
        ep("A", d(2023, 5, 1), d(2024, 6, 1), y2, rec="X1"),
        ep("A", d(2024, 6, 1), None, y2, rne="P", place="K2"),
        # B: ends and restarts on 31 March 2024 (X1): looked after that day, counted once
        ep("B", d(2023, 6, 1), d(2024, 3, 31), y1, rec="X1"),
        ep("B", d(2024, 3, 31), None, y1, rne="L", ls="E1"),
        ep("B", d(2024, 3, 31), d(2024, 9, 1), y2, rne="L", ls="E1", rec="E11"),
        # C: leaves care on 31 March 2024 (18th birthday): not looked after at 31 March 2024
        ep("C", d(2022, 1, 1), None, "2022-23") | {"collection_year": y1},
        ep("C", d(2022, 1, 1), d(2024, 3, 31), y1, rne="S", rec="E8") | {"collection_year": y1},
        # D: only short breaks (V3): never counted
        ep("D", d(2023, 7, 1), d(2023, 7, 3), y1, ls="V3", rec="E4A"),
        ep("D", d(2024, 3, 30), None, y1, ls="V3"),
        # E: two starts in 2024-25 (a return home then back): one child starting, one ceasing (last)
        ep("E", d(2024, 4, 10), d(2024, 5, 1), y2, rec="E4A"),
        ep("E", d(2024, 7, 1), d(2024, 8, 1), y2, rec="E13"),
        ep("E", d(2024, 10, 1), None, y2),
    ]
    header = [hd(c, d(2010, 1, 1), y) for c in "ABDE" for y in (y1, y2)] + [hd("C", d(2006, 3, 31), y1)]
    con = store(episodes, header)
    out = _run(con)
    # 31 March 2024: A, B (restart that day); not C (left that day), not D (short break)
    assert out["cla_at_31_march"] == {y1: 2, y2: 2}  # 31 March 2025: A, E
    # starts: 2023-24 A, B, D excluded; C's only start was 2022 -> 2; 2024-25: E once
    assert out["starts"] == {y1: 2, y2: 1}
    # ceased (not X1): 2023-24 C (E8); 2024-25 B (E11) and E (counted once)
    assert out["ceased"] == {y1: 1, y2: 2}
    assert out["ceased_by_reason"][y2] == {
        "Adopted": 1,
        "Left to live with parents or relatives without PR": 1,
    }
    assert out["ceased_by_age_band"][y1] == {"16 and over": 1}
    # B at 31 March 2024 is on E1 (placement order); A on C2
    assert out["cla_by_legal_status"][y1] == {"Full care order": 1, "Placement order granted": 1}
    # A moved to K2 in 2024-25
    assert out["cla_by_placement"][y2] == {"Foster placements": 1, "Secure homes and children's homes": 1}


def test_age_on_31_march_counts_birthday_on_the_day(store):
    y = "2024-25"
    episodes = [
        ep("X", d(2024, 1, 1), None, y),
        ep("Y", d(2024, 1, 1), None, y),
        ep("Z", d(2025, 3, 1), None, y),
    ]
    header = [hd("X", d(2009, 3, 31), y), hd("Y", d(2009, 4, 1), y), hd("Z", d(2024, 4, 1), y)]
    out = _run(store(episodes, header))
    # X turns 16 on 31 March 2025 -> 16 and over; Y is 15 until 1 April -> 10 to 15; Z is under 1
    assert out["cla_by_age_band"][y] == {"16 and over": 1, "10 to 15": 1, "Under 1": 1}


def test_breakdowns_sex_ethnicity_uasc(store):
    from analytics_tables import HEADER_COLS  # noqa: F401

    y = "2024-25"
    episodes = [ep(c, d(2024, 5, 1), None, y, cin=n) for c, n in (("P", "N1"), ("Q", "N8"), ("R", "N8"))]
    header = [
        hd("P", d(2012, 1, 1), y, sex="M", ethnic="WBRI"),
        hd("Q", d(2008, 1, 1), y, sex="F", ethnic="BAFR"),
        hd("R", d(2008, 1, 1), y, sex="2", ethnic="CHNE"),
    ]
    uasc = (
        {"CHILD": "VARCHAR", "DUC": "DATE"},
        [
            {"CHILD": "Q", "DUC": None, "collection_year": y},
            {"CHILD": "R", "DUC": d(2025, 1, 1), "collection_year": y},  # status ceased before 31 March
        ],
    )
    out = _run(store(episodes, header, ssda903_uasc=uasc))
    assert out["cla_by_sex"][y] == {"Male": 1, "Female": 2}
    assert out["cla_by_ethnicity"][y] == {"White": 1, "Black": 1, "Other": 1}
    assert out["cla_by_uasc"][y] == {"UASC": 1, "Not UASC": 2}
    assert out["cla_by_category_of_need"][y] == {"N1": 1, "N8": 2}
    assert out["starts_by_uasc"][y] == {"UASC": 2, "Not UASC": 1}  # R was UASC when starting


def test_duration_of_care_for_children_ceasing(store):
    y = "2024-25"
    episodes = [
        ep("A", d(2024, 4, 1), d(2024, 6, 1), y, rec="X1"),
        ep("A", d(2024, 6, 1), d(2024, 7, 1), y, rne="P", rec="E4A"),  # period 91 days
        ep("B", d(2024, 5, 1), d(2024, 5, 11), y, rec="E13"),  # 10 days
    ]
    header = [hd("A", d(2015, 1, 1), y), hd("B", d(2015, 1, 1), y)]
    out = _run(store(episodes, header))
    assert out["duration_of_care_ceased"][y] == {"children": 2, "median_days": 50.5, "mean_days": 50.5}
