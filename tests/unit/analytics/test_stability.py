"""Placement stability: three or more placements in the year, and long-term stability, by hand."""

from __future__ import annotations

from datetime import date as d

from analytics_tables import ep, hd

from kinsight.analytics.indicators import compute_indicators, indicator_to_json

Y = "2024-25"


def _run(con):
    return {i.name: indicator_to_json(i) for i in compute_indicators(con)}


def test_three_or_more_placements_counts_placements_not_episodes(store):
    episodes = [
        # A: placement at 1 April (started 2023), then P, then L (legal only), then B -> 3 placements
        ep("A", d(2023, 1, 1), d(2024, 6, 1), Y, rec="X1"),
        ep("A", d(2024, 6, 1), d(2024, 8, 1), Y, rne="P", place="K2", rec="X1"),
        ep("A", d(2024, 8, 1), d(2024, 9, 1), Y, rne="L", place="K2", ls="E1", rec="X1"),
        ep("A", d(2024, 9, 1), None, Y, rne="B", place="U5"),
        # B: placement, temporary T4 move, back to the same placement: 1 placement only
        ep("B", d(2024, 4, 1), d(2024, 7, 1), Y, urn="SC1", rec="X1"),
        ep("B", d(2024, 7, 1), d(2024, 7, 5), Y, rne="T", place="T4", provider=None, rec="X1"),
        ep("B", d(2024, 7, 5), None, Y, rne="T", urn="SC1"),
        # C: three placements but left care before 31 March: not in numerator or denominator
        ep("C", d(2024, 4, 1), d(2024, 5, 1), Y, rec="X1"),
        ep("C", d(2024, 5, 1), d(2024, 6, 1), Y, rne="P", place="K2", rec="X1"),
        ep("C", d(2024, 6, 1), d(2024, 7, 1), Y, rne="T", place="U6", rec="E4A"),
        # D: placement, T change of placement with same carer (counts), U (counts) -> 3
        ep("D", d(2024, 4, 2), d(2024, 5, 1), Y, rec="X1"),
        ep("D", d(2024, 5, 1), d(2024, 6, 1), Y, rne="T", place="U5", rec="X1"),
        ep("D", d(2024, 6, 1), None, Y, rne="U", place="U6", ls="E1"),
    ]
    header = [hd(c, d(2012, 1, 1), Y) for c in "ABCD"]
    out = _run(store(episodes, header))
    assert out["placement_stability_3_or_more"][Y] == {"numerator": 2, "denominator": 3, "percent": 66.7}


def test_long_term_stability(store):
    episodes = [
        # A: in care since 2020, same placement since 1 March 2023 (>= 2 years at 31 March 2025): stable
        ep("A", d(2020, 1, 1), d(2023, 3, 1), Y, rec="X1"),
        ep("A", d(2023, 3, 1), d(2024, 1, 1), Y, rne="P", place="U5", rec="X1"),
        ep("A", d(2024, 1, 1), None, Y, rne="L", place="U5", ls="E1"),  # legal change keeps the placement
        # B: in care since 2020 but moved in 2024: eligible, not stable
        ep("B", d(2020, 1, 1), d(2024, 5, 1), Y, rec="X1"),
        ep("B", d(2024, 5, 1), None, Y, rne="P", place="K2"),
        # C: placed for adoption recently: stable
        ep("C", d(2021, 6, 1), d(2024, 12, 1), Y, rec="X1"),
        ep("C", d(2024, 12, 1), None, Y, rne="P", place="A5", ls="E1"),
        # D: aged 16 at 31 March 2025: not eligible
        ep("D", d(2018, 1, 1), None, Y),
        # E: only 2 years in care (started April 2023): not eligible
        ep("E", d(2023, 4, 1), None, Y),
    ]
    dobs = {
        "A": d(2012, 1, 1),
        "B": d(2012, 1, 1),
        "C": d(2019, 1, 1),
        "D": d(2009, 1, 1),
        "E": d(2012, 1, 1),
    }
    out = _run(store(episodes, [hd(c, dob, Y) for c, dob in dobs.items()]))
    assert out["long_term_stability"][Y] == {"numerator": 2, "denominator": 3, "percent": 66.7}
