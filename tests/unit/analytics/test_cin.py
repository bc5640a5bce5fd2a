"""CIN census indicators against hand counts, with records repeated across two censuses."""

from __future__ import annotations

from datetime import date as d

import duckdb
from analytics_tables import make_table

from kinsight.analytics.indicators import compute_indicators, indicator_to_json

Y1, Y2 = "2023-24", "2024-25"


def test_cin_indicators_by_hand():
    con = duckdb.connect()
    make_table(
        con,
        "cin_census_cindetails",
        {"LAchildID": "VARCHAR", "CINreferralDate": "DATE", "CINclosureDate": "DATE"},
        [
            {
                "LAchildID": "A",
                "CINreferralDate": d(2023, 5, 1),
                "CINclosureDate": None,
                "collection_year": Y1,
            },
            {
                "LAchildID": "A",
                "CINreferralDate": d(2023, 5, 1),
                "CINclosureDate": d(2024, 6, 1),
                "collection_year": Y2,
            },
            {
                "LAchildID": "A",
                "CINreferralDate": d(2024, 5, 1),
                "CINclosureDate": None,
                "collection_year": Y2,
            },  # re-referral (12 months to the day)
            {
                "LAchildID": "B",
                "CINreferralDate": d(2023, 9, 1),
                "CINclosureDate": d(2024, 1, 1),
                "collection_year": Y1,
            },
            {
                "LAchildID": "B",
                "CINreferralDate": d(2024, 9, 2),
                "CINclosureDate": None,
                "collection_year": Y2,
            },  # 12 months + 1 day: not
            {
                "LAchildID": "C",
                "CINreferralDate": d(2025, 3, 31),
                "CINclosureDate": d(2025, 3, 31),
                "collection_year": Y2,
            },
        ],
    )
    make_table(
        con,
        "cin_census_assessments",
        {"LAchildID": "VARCHAR", "AssessmentActualStartDate": "DATE", "AssessmentAuthorisationDate": "DATE"},
        [
            {
                "LAchildID": "A",
                "AssessmentActualStartDate": d(2024, 3, 1),
                "AssessmentAuthorisationDate": None,
                "collection_year": Y1,
            },
            {
                "LAchildID": "A",
                "AssessmentActualStartDate": d(2024, 3, 1),
                "AssessmentAuthorisationDate": d(2024, 4, 20),
                "collection_year": Y2,
            },
            {
                "LAchildID": "B",
                "AssessmentActualStartDate": d(2023, 9, 2),
                "AssessmentAuthorisationDate": d(2023, 10, 1),
                "collection_year": Y1,
            },
        ],
    )
    make_table(
        con,
        "cin_census_section47",
        {"LAchildID": "VARCHAR", "S47ActualStartDate": "DATE"},
        [
            {"LAchildID": "A", "S47ActualStartDate": d(2023, 6, 1), "collection_year": Y1},
            {"LAchildID": "A", "S47ActualStartDate": d(2023, 6, 1), "collection_year": Y2},
            {"LAchildID": "B", "S47ActualStartDate": d(2024, 10, 1), "collection_year": Y2},
        ],
    )
    make_table(
        con,
        "cin_census_childprotectionplans",
        {"LAchildID": "VARCHAR", "CPPstartDate": "DATE", "CPPendDate": "DATE"},
        [
            {"LAchildID": "A", "CPPstartDate": d(2023, 7, 1), "CPPendDate": None, "collection_year": Y1},
            {
                "LAchildID": "A",
                "CPPstartDate": d(2023, 7, 1),
                "CPPendDate": d(2025, 3, 31),
                "collection_year": Y2,
            },
            {"LAchildID": "B", "CPPstartDate": d(2024, 11, 1), "CPPendDate": None, "collection_year": Y2},
        ],
    )
    out = {i.name: indicator_to_json(i) for i in compute_indicators(con)}
    assert out["cin_referrals"] == {Y1: 2, Y2: 3}
    assert out["cin_re_referrals_within_12_months"][Y2] == {"numerator": 1, "denominator": 3, "percent": 33.3}
    assert out["cin_re_referrals_within_12_months"][Y1]["numerator"] == 0
    # 31 March 2024: A open (closed June 2024), B closed Jan 2024 -> 1;
    # 31 March 2025: A's 2nd, B's 2nd; C closed that day
    assert out["cin_at_31_march"] == {Y1: 1, Y2: 2}
    assert out["cin_assessments_completed"] == {Y1: 1, Y2: 1}
    assert out["section47_enquiries"] == {Y1: 1, Y2: 1}
    assert out["cpp_starting"] == {Y1: 1, Y2: 1}
    assert out["cpp_at_31_march"] == {Y1: 1, Y2: 1}  # A's plan ended 31 March 2025
