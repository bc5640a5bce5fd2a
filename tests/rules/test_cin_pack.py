"""CIN census pack: coverage of the DfE list, and the rules whose arithmetic is worth checking independently.

The shared harness runs every rule's own cases.  Here the pack is checked against the DfE code list, and the
UPN check letter, the LA-code list and the working-day arithmetic are checked against computations that do
not share code with the SQL: the synthetic generator's check-letter function, a plain Python reference, the
DfE's published LA ranges, numpy's business-day calendar and the ``holidays`` package.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rule_case_harness import columns_for, type_select

from kinsight.quality.cases import run_case
from kinsight.quality.model import Rule, RuleStatus, Severity
from kinsight.quality.registry import Registry
from kinsight.rules import builtin_pack

DFE_LIST = Path("/work/shared/reference/cin-census-validation-rules.csv")
LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# The DfE's recognised LA and pseudo-LA codes for UPN characters 2-4 (rule 1530), as published ranges.
LA_RANGES = [
    (1, 5),
    (201, 213),
    (301, 320),
    (330, 336),
    (340, 344),
    (350, 359),
    (370, 373),
    (380, 384),
    (390, 394),
    (420, 420),
    (660, 681),
    (701, 708),
    (800, 803),
    (805, 808),
    (810, 813),
    (815, 816),
    (820, 823),
    (825, 826),
    (830, 831),
    (835, 841),
    (845, 846),
    (850, 852),
    (855, 857),
    (860, 861),
    (865, 896),
    (908, 909),
    (916, 916),
    (919, 919),
    (921, 921),
    (925, 926),
    (928, 929),
    (931, 931),
    (933, 933),
    (935, 938),
    (940, 941),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    pack = builtin_pack("cin_census")
    assert pack is not None, "the built-in CIN census pack is missing"
    return Registry.from_packs("cin_census", [pack])


def _rule(registry: Registry, code: str, year: str = "2025-26") -> Rule:
    matches = [r for r in registry.for_year(year) if r.code == code]
    assert len(matches) == 1
    return matches[0]


def _flagged(rule: Rule, case: dict[str, Any]) -> set[tuple[str, int]]:
    result = run_case(rule, case, type_select=type_select, columns_for=columns_for)
    assert result.outcome.status is RuleStatus.RUN, result.outcome.reason
    return result.flagged


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_every_dfe_code_exists_with_its_severity(registry: Registry, year: str) -> None:
    with DFE_LIST.open(encoding="utf-8") as handle:
        listed = {
            row["code"]: row["rule_type"] for row in csv.DictReader(handle) if row["collection_year"] == year
        }
    assert len(listed) == 109
    held = {r.code: r.severity for r in registry.for_year(year)}
    assert set(held) == set(listed)
    for code, kind in listed.items():
        expected = Severity.QUERY if kind == "QUERY" else Severity.ERROR
        assert held[code] is expected, code


def _reference_check_letter(body: str) -> str:
    """Hand-written DfE algorithm: weights 2..13 on characters 2-13, a trailing letter counts as its index."""
    total = sum(
        weight * (int(ch) if ch.isdigit() else LETTERS.index(ch))
        for weight, ch in zip(range(2, 14), body, strict=False)
    )
    return LETTERS[total % 23]


def test_hand_worked_check_letter() -> None:
    # 8*2 + 1*4 + 2*5 + 1*10 + 1*13 = 53; 53 mod 23 = 7 -> H (letter 8 of the alphabet without I, O, S)
    assert _reference_check_letter("801200001001") == "H"


def test_check_letter_rule_agrees_with_independent_computations(registry: Registry) -> None:
    synth = pytest.importorskip("kinsight.synth.ssda903")
    rng = np.random.default_rng(11)
    bodies = ["".join(rng.choice(list("0123456789"), 12)) for _ in range(150)]
    letters = synth.upn_check_letter(np.array(bodies, dtype=object))
    temporary = [
        "".join(rng.choice(list("0123456789"), 11)) + str(rng.choice(list(LETTERS))) for _ in range(50)
    ]
    rows, wrong = [], set()
    for i, body in enumerate(bodies + temporary):
        good = str(letters[i]) if i < len(bodies) else _reference_check_letter(body)
        if i < len(bodies):
            assert good == _reference_check_letter(body)
        letter = good if i % 3 else LETTERS[(LETTERS.index(good) + 1 + i % 5) % 23]
        if letter != good:
            wrong.add(("childidentifiers", i + 1))
        rows.append({"LAchildID": f"C{i}", "UPN": letter + body})
    assert wrong
    assert _flagged(_rule(registry, "1510"), {"childidentifiers": rows}) == wrong


def test_la_code_rule_accepts_exactly_the_dfe_list(registry: Registry) -> None:
    recognised = {n for low, high in LA_RANGES for n in range(low, high + 1)}
    rows = [{"LAchildID": f"C{n}", "UPN": f"A{n:03d}123456789"} for n in range(1000)]
    expected = {("childidentifiers", n + 1) for n in range(1000) if n not in recognised}
    assert _flagged(_rule(registry, "1530"), {"childidentifiers": rows}) == expected


def _england_holidays(years: range) -> list[dt.date]:
    holidays = pytest.importorskip("holidays")
    return sorted(holidays.country_holidays("GB", subdiv="ENG", years=years))


def _iso(day: np.datetime64) -> str:
    return str(np.datetime_as_string(day, unit="D"))


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
@pytest.mark.parametrize(
    ("code", "table", "limit"), [("8670Q", "assessments", 45), ("8675Q", "section47", 15)]
)
def test_working_day_queries_match_numpy_calendar(
    registry: Registry, year: str, code: str, table: str, limit: int
) -> None:
    end_year = int(year[:4]) + 1
    holidays = _england_holidays(range(end_year - 1, end_year + 1))
    census_end = np.datetime64(f"{end_year}-03-31")
    starts = np.arange(census_end - 120, census_end + 1)
    # working days after the start up to and including the census date
    counts = np.busday_count(starts + 1, census_end + 1, holidays=holidays)
    rows = []
    for i, start in enumerate(starts):
        if table == "assessments":
            rows.append(
                {
                    "LAchildID": f"C{i}",
                    "CINdetailsID": "1",
                    "AssessmentID": "1",
                    "AssessmentActualStartDate": _iso(start),
                }
            )
        else:
            rows.append({"LAchildID": f"C{i}", "CINdetailsID": "1", "S47ActualStartDate": _iso(start)})
    expected = {(table, i + 1) for i, n in enumerate(counts) if n > limit}
    assert expected and len(expected) < len(rows)
    assert _flagged(_rule(registry, code, year), {"year": year, table: rows}) == expected


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_no_further_action_cut_off_is_the_last_working_day_before_april(
    registry: Registry, year: str
) -> None:
    start_year = int(year[:4])
    holidays = _england_holidays(range(start_year, start_year + 1))
    cut_off = np.busday_offset(np.datetime64(f"{start_year}-04-01"), -1, roll="forward", holidays=holidays)
    days = np.arange(cut_off - 5, cut_off + 3)
    rows = [
        {"LAchildID": f"C{i}", "CINdetailsID": "1", "CINreferralDate": _iso(d), "ReferralNFA": "true"}
        for i, d in enumerate(days)
    ]
    expected = {("cindetails", i + 1) for i, d in enumerate(days) if d < cut_off}
    assert _flagged(_rule(registry, "8569Q", year), {"year": year, "cindetails": rows}) == expected
