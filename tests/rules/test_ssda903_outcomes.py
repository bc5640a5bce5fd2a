"""SSDA903 outcome, adoption and Ofsted rules (rules_1xx_3xx_outcomes.yaml) against independent references.

The case harness proves each rule on hand-made rows; these tests add what a few rows cannot: the
"looked after continuously for 12 months" derivation and the age boundaries checked against plain
Python on many random children, the DfE code list per year, and clean skipping without the Ofsted lookup.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from rule_case_harness import columns_for, type_select

from kinsight.quality.cases import run_case
from kinsight.quality.engine import check_year
from kinsight.quality.model import Rule, RuleStatus
from kinsight.quality.registry import load_pack
from kinsight.rules import builtin_pack

PACK_FILE = "rules_1xx_3xx_outcomes.yaml"
REFERENCE = Path("/work/shared/reference/ssda903-validation-rules.csv")
YEAR = "2025-26"
START, END = date(2025, 4, 1), date(2026, 3, 31)

OC2_CODES = "157 158 159 180 181 182 185 186 187 188 189 190 191 192 193 196 197a 197B 198 215"
OC3_CODES = "131 132 133 134 153 344 345 347 348 391"
ADOPTION_CODES = "112 113 114 115 116 117 118 119 120 151 175 176 177 184 331 333 334 335 336"
OFSTED_RULE_CODES = "219 221 224 227 228 229 241 243"
OUR_CODES = {
    code for group in (OC2_CODES, OC3_CODES, ADOPTION_CODES, OFSTED_RULE_CODES) for code in group.split()
}
OFSTED_CODES = {"219", "221", "224", "227", "228", "229", "241"}


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    pack = builtin_pack("ssda903")
    assert pack is not None
    return [r for r in load_pack(pack, dataset="ssda903") if Path(r.source).name == PACK_FILE]


def rule_for(rules: list[Rule], code: str, year: str = YEAR) -> Rule:
    return next(r for r in rules if r.code == code and r.applies_to(year))


def run(rule: Rule, case: dict) -> set[tuple[str, int]]:
    result = run_case(rule, case, type_select=type_select, columns_for=columns_for)
    assert result.outcome.status is RuleStatus.RUN, result.outcome.reason
    return result.flagged


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- coverage ----------------------------------------------------------------------------------------
def test_every_dfe_code_in_scope_exists_for_each_of_its_years(rules: list[Rule]) -> None:
    with REFERENCE.open(newline="") as handle:
        wanted = {
            (row["collection_year"], row["code"])
            for row in csv.DictReader(handle)
            if row["code"] in OUR_CODES
        }
    held = {(year, r.code) for r in rules for year in r.years}
    assert wanted, "the reference list names none of our codes"
    assert sorted(wanted - held) == []
    assert sorted(held - wanted) == [], "a rule claims a year the DfE list does not have"


def test_each_code_year_is_defined_once(rules: list[Rule]) -> None:
    pairs = [(year, r.code) for r in rules for year in r.years]
    assert len(pairs) == len(set(pairs))


# --- looked after continuously for 12 months ----------------------------------------------------------
def random_child(rng: random.Random, child: str) -> list[dict[str, str]]:
    """A consistent episode history: RNE S opens each period, REC X1 links contiguous episodes."""
    episodes: list[dict[str, str]] = []
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1100))
    new_period = True
    for _ in range(rng.randint(1, 4)):
        length = rng.choice([1, 30, 120, 200, 400, 800])
        ls = "V3" if rng.random() < 0.1 else rng.choice(["C2", "E1", "J2"])
        row = {"CHILD": child, "DECOM": dmy(day), "RNE": "S" if new_period else "P", "LS": ls, "PLACE": "U4"}
        end = day + timedelta(days=length)
        if end > END or rng.random() < 0.15:
            episodes.append(row)  # open at the end of the year: the history stops here
            return episodes
        contiguous = rng.random() < 0.6
        row.update({"DEC": dmy(end), "REC": "X1" if contiguous else rng.choice(["E11", "E13", "E4A", "E8"])})
        episodes.append(row)
        new_period = not contiguous
        day = end if contiguous else end + timedelta(days=rng.randrange(1, 90))
        if day > END:
            break
    if episodes[-1].get("REC") == "X1" and day <= END:
        # X1 promises a next episode on the same day; keep that promise with an open one.
        episodes.append({"CHILD": child, "DECOM": dmy(day), "RNE": "P", "LS": "C2", "PLACE": "U4"})
    return episodes


def parse(text: str | None) -> date | None:
    return None if text is None else date(int(text[6:]), int(text[3:5]), int(text[:2]))


def looked_after_all_year(episodes: list[dict[str, str]]) -> bool:
    """Reference by calendar: in care on every day from 1 April to 31 March, and no short break that year."""
    spans = [(parse(e["DECOM"]), parse(e.get("DEC")), e["LS"]) for e in episodes]
    for start, end, ls in spans:
        touches_year = start <= END and (end is None or end >= START)
        if ls in ("V3", "V4") and touches_year:
            return False
    day = START
    while day <= END:
        if not any(start <= day and (end is None or day < end) for start, end, _ in spans):
            return False
        day += timedelta(days=1)
    return True


def test_twelve_month_derivation_matches_a_calendar_walk(rules: list[Rule]) -> None:
    rng = random.Random(20250401)
    children = {str(i): random_child(rng, str(i)) for i in range(1, 401)}
    expected_not_cla = {c for c, eps in children.items() if not looked_after_all_year(eps)}
    assert 40 < len(expected_not_cla) < 390, "the random histories should mix both kinds of child"
    case = {
        "year": YEAR,
        "episodes": [e for eps in children.values() for e in eps],
        "oc2": [{"CHILD": c, "SDQ_SCORE": "10"} for c in children],
    }
    # 185 flags the score of every child NOT looked after all year; oc2 row n holds child n.
    flagged = {str(row) for table, row in run(rule_for(rules, "185"), case) if table == "oc2"}
    assert flagged == expected_not_cla


# --- ages ----------------------------------------------------------------------------------------------
def birthday(dob: date, years: int) -> date:
    return dob.replace(year=dob.year + years)


def random_dobs(rng: random.Random, first: date, last: date, n: int) -> list[date]:
    span = (last - first).days
    dobs = [first + timedelta(days=rng.randrange(span + 1)) for _ in range(n)]
    return [d for d in dobs if (d.month, d.day) != (2, 29)]


def test_391_age_window_matches_birthdays(rules: list[Rule]) -> None:
    rng = random.Random(391)
    dobs = random_dobs(rng, date(2002, 1, 1), date(2010, 12, 31), 600)
    # Not 17 to 21 at any time in the year: 17th birthday after 31 March, or 22nd birthday by 1 April.
    expected = {i + 1 for i, d in enumerate(dobs) if birthday(d, 17) > END or birthday(d, 22) <= START}
    case = {
        "year": YEAR,
        "oc3": [{"CHILD": str(i), "DOB": dmy(d), "IN_TOUCH": "NO"} for i, d in enumerate(dobs)],
    }
    flagged = {row for _, row in run(rule_for(rules, "391"), case)}
    assert flagged == expected
    assert 0 < len(expected) < len(dobs)


def test_197b_birthdays_within_the_year(rules: list[Rule]) -> None:
    rng = random.Random(197)
    dobs = random_dobs(rng, date(2007, 1, 1), date(2023, 12, 31), 500)
    expected = {
        i + 1 for i, d in enumerate(dobs) if START <= birthday(d, 4) <= END or START <= birthday(d, 17) <= END
    }
    case = {
        "year": YEAR,
        "episodes": [
            {"CHILD": str(i), "DECOM": "01/01/2024", "RNE": "S", "LS": "C2"} for i in range(len(dobs))
        ],
        "oc2": [{"CHILD": str(i), "DOB": dmy(d)} for i, d in enumerate(dobs)],
    }
    flagged = {row for _, row in run(rule_for(rules, "197B"), case)}
    assert flagged == expected
    assert len(expected) > 20


# --- lookups -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(OFSTED_CODES))
def test_ofsted_rules_skip_with_a_message_without_the_lookup(rules: list[Rule], code: str) -> None:
    """A store with episodes but no Ofsted lookup: the rule is skipped and says which lookup it needs."""
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE ssda903_episodes (CHILD VARCHAR, DECOM DATE, collection_year VARCHAR, _row INTEGER)"
        )
        year_run, ctx = check_year(
            con,
            dataset="ssda903",
            year=YEAR,
            rules=[rule_for(rules, code)],
            tables=["episodes"],
            present={"episodes"},
        )
        ctx.close()
    finally:
        con.close()
    outcome = year_run.outcomes[0]
    assert outcome.status is RuleStatus.SKIPPED
    assert "lookup_ofsted_providers" in outcome.reason
    assert "not configured" in outcome.reason
