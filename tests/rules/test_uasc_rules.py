"""The SSDA903 UASC rules flag exactly the children the DfE texts describe, on a randomised return.

UASC status for a year is a row in that year's UASC table (the DfE CSV header has no UASC column), and
DUC comes from that table.  Each test builds a small random store (some children UASC in one year, both
or neither, DUCs around the year boundaries, DOBs around the age-11 boundary), runs the built-in rule
through the real engine, and compares what it flagged with a plain-Python reading of the DfE text.
Rules 105, 205C and 303 can only fail where the header carries a UASC column: they are checked on a
header that has one, and must be skipped (not silently pass) on one that does not.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from rule_case_harness import all_rules, columns_for, type_select

from kinsight.quality.cases import run_case
from kinsight.quality.context import base_table
from kinsight.quality.model import Rule, RuleStatus

YEARS = ("2024-25", "2025-26", "2026-27")
SEED_FOR_YEAR = {"2024-25": 7, "2025-26": 2024, "2026-27": 31}  # a different random return per year
CHILDREN = 200


@dataclass(frozen=True)
class Child:
    """One synthetic child as the tests reason about it (None means: no row in that table)."""

    id: str
    header: bool
    header_last: bool
    uasc: bool
    uasc_last: bool
    dob: date
    duc: date | None
    duc_last: date | None
    uasc_flag: str  # the header's own UASC column, for 105 / 205C / 303
    uasc_flag_last: str


@dataclass(frozen=True)
class Store:
    """The children plus each table's rows in file order, so expected ``_row`` numbers are known."""

    children: dict[str, Child]
    header: list[str]
    header_last: list[str]
    uasc: list[str]
    uasc_last: list[str]


def _start(year: str) -> date:
    return date(int(year[:4]), 4, 1)


def _end(year: str) -> date:
    return date(int(year[:4]) + 1, 3, 31)


def _some_date(rng: random.Random, year: str) -> date | None:
    """A DUC: blank, on a boundary that matters to 205A/205B, or anywhere in the two years and around."""
    start = _start(year)
    boundaries = [start, start - timedelta(days=1), start - timedelta(days=366), _end(year)]
    roll = rng.random()
    if roll < 0.4:
        return None
    if roll < 0.65:
        return rng.choice(boundaries)
    return start - timedelta(days=500) + timedelta(days=rng.randrange(0, 1000))


def _dob(rng: random.Random, year: str) -> date:
    """A DOB near the 11th birthday on 31 March (on, before and after it) or anywhere from 0 to 18."""
    end = _end(year)
    eleven = date(end.year - 11, 3, 31)
    roll = rng.random()
    if roll < 0.3:
        return eleven + timedelta(days=rng.choice((-1, 0, 1)))
    return end - timedelta(days=rng.randrange(0, 18 * 365))


def make_store(seed: int, year: str) -> Store:
    rng = random.Random(seed)
    children: dict[str, Child] = {}
    for i in range(CHILDREN):
        cid = f"C{i:04d}"
        children[cid] = Child(
            id=cid,
            header=rng.random() < 0.85,
            header_last=rng.random() < 0.6,
            uasc=rng.random() < 0.35,
            uasc_last=rng.random() < 0.35,
            dob=_dob(rng, year),
            duc=_some_date(rng, year),
            duc_last=_some_date(rng, year),
            uasc_flag=rng.choice(("0", "1", "", "2")),
            uasc_flag_last=rng.choice(("0", "1", "")),
        )

    def order(keep: Callable[[Child], bool]) -> list[str]:
        ids = [c.id for c in children.values() if keep(c)]
        rng.shuffle(ids)  # file order unrelated to the ids, so a row-number mix-up shows
        return ids

    return Store(
        children=children,
        header=order(lambda c: c.header),
        header_last=order(lambda c: c.header_last),
        uasc=order(lambda c: c.uasc),
        uasc_last=order(lambda c: c.uasc_last),
    )


def _text(d: date | None) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y")


def case_for(store: Store, year: str, *, header_uasc: bool) -> dict[str, Any]:
    """The store as a rule case (docs/RULES.md): string values, dates DD/MM/YYYY."""
    kids = store.children

    def header_row(cid: str, flag: str) -> dict[str, str]:
        row = {"CHILD": cid, "DOB": _text(kids[cid].dob)}
        if header_uasc:
            row["UASC"] = flag
        return row

    def uasc_row(cid: str, duc: date | None) -> dict[str, str]:
        return {"CHILD": cid, "DOB": _text(kids[cid].dob), "DUC": _text(duc)}

    return {
        "year": year,
        "header": [header_row(c, kids[c].uasc_flag) for c in store.header],
        "header_last": [header_row(c, kids[c].uasc_flag_last) for c in store.header_last],
        "uasc": [uasc_row(c, kids[c].duc) for c in store.uasc],
        "uasc_last": [uasc_row(c, kids[c].duc_last) for c in store.uasc_last],
    }


def rows_of(ids: list[str], table: str, keep: Callable[[str], bool]) -> set[tuple[str, int]]:
    return {(table, i + 1) for i, cid in enumerate(ids) if keep(cid)}


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


# Plain-Python readings of the DfE texts -----------------------------------------------------------


def expected_205a(s: Store, year: str) -> set[tuple[str, int]]:
    """UASC last year, not this year: last year's DUC must be on or before last year's 31 March."""
    last_end = _start(year) - timedelta(days=1)
    in_uasc, in_last = set(s.uasc), set(s.uasc_last)

    def bad(cid: str) -> bool:
        duc = s.children[cid].duc_last
        supported = duc is not None and duc <= last_end
        return cid in in_last and cid not in in_uasc and not supported

    return rows_of(s.header, "header", bad)


def expected_205b(s: Store, year: str) -> set[tuple[str, int]]:
    """UASC in both years: no DUC last year, and this year's DUC (if any) not before 1 April."""
    in_last = set(s.uasc_last)

    def bad(cid: str) -> bool:
        kid = s.children[cid]
        ended = kid.duc_last is not None or (kid.duc is not None and kid.duc < _start(year))
        return cid in in_last and ended

    return rows_of(s.uasc, "uasc", bad)


def expected_205d(s: Store, year: str) -> set[tuple[str, int]]:
    """UASC this year, in last year's return, but no UASC record last year."""
    in_last, header_last = set(s.uasc_last), set(s.header_last)
    return rows_of(s.uasc, "uasc", lambda cid: cid in header_last and cid not in in_last)


def expected_231(s: Store, year: str) -> set[tuple[str, int]]:
    """UASC this year and under 11 on 31 March by the header's DOB."""
    in_uasc = set(s.uasc)

    def bad(cid: str) -> bool:
        return cid in in_uasc and age_on(s.children[cid].dob, _end(year)) < 11

    return rows_of(s.header, "header", bad)


def expected_105(s: Store, year: str) -> set[tuple[str, int]]:
    return rows_of(s.header, "header", lambda cid: s.children[cid].uasc_flag not in ("0", "1"))


def expected_205c(s: Store, year: str) -> set[tuple[str, int]]:
    """DUC given, header says not UASC this year, and not UASC last year (absent or not coded 1)."""
    header, header_last = set(s.header), set(s.header_last)

    def bad(cid: str) -> bool:
        kid = s.children[cid]
        not_last = cid not in header_last or kid.uasc_flag_last != "1"
        return kid.duc is not None and cid in header and kid.uasc_flag == "0" and not_last

    return rows_of(s.uasc, "uasc", bad)


def expected_303(s: Store, year: str) -> set[tuple[str, int]]:
    """DUC given, so the header's UASC must be 1 (children on the header only)."""
    header = set(s.header)

    def bad(cid: str) -> bool:
        kid = s.children[cid]
        return kid.duc is not None and cid in header and kid.uasc_flag != "1"

    return rows_of(s.uasc, "uasc", bad)


TABLE_RULES = {"205A": expected_205a, "205B": expected_205b, "205D": expected_205d, "231": expected_231}
HEADER_RULES = {"105": expected_105, "205C": expected_205c, "303": expected_303}


@functools.cache
def rule_for(code: str) -> Rule:
    found = [r for r in all_rules() if r.dataset == "ssda903" and r.code == code]
    assert len(found) == 1, f"expected one ssda903 rule {code}, found {len(found)}"
    return found[0]


def run(code: str, case: dict[str, Any]) -> tuple[RuleStatus, str | None, set[tuple[str, int]]]:
    """Run one rule on the case, loading only the dataset tables it reads (loading is the slow part)."""
    rule = rule_for(code)
    reads = {base_table(t) for t in rule.tables}
    case = {k: v for k, v in case.items() if k == "year" or base_table(k) in reads}
    result = run_case(rule, case, type_select=type_select, columns_for=columns_for)
    return result.outcome.status, result.outcome.reason, result.flagged


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("code", sorted(TABLE_RULES))
def test_status_from_uasc_table(code: str, year: str) -> None:
    """On a DfE-style CSV header (no UASC column) the rule runs and flags exactly the DfE's children."""
    store = make_store(SEED_FOR_YEAR[year], year)
    expected = TABLE_RULES[code](store, year)
    assert expected, "the random store should give this rule something to flag"
    status, reason, flagged = run(code, case_for(store, year, header_uasc=False))
    assert status is RuleStatus.RUN, reason
    assert flagged == expected, (sorted(flagged - expected)[:5], sorted(expected - flagged)[:5])


@pytest.mark.parametrize(("code", "year"), list(zip(sorted(HEADER_RULES), YEARS, strict=True)))
def test_header_uasc_column_rules(code: str, year: str) -> None:
    """Where the header carries UASC (XML-style returns) 105, 205C and 303 check it as the DfE text says."""
    store = make_store(SEED_FOR_YEAR[year], year)
    expected = HEADER_RULES[code](store, year)
    assert expected
    status, reason, flagged = run(code, case_for(store, year, header_uasc=True))
    assert status is RuleStatus.RUN, reason
    assert flagged == expected, (sorted(flagged - expected)[:5], sorted(expected - flagged)[:5])


@pytest.mark.parametrize("code", sorted(HEADER_RULES))
def test_header_rules_skipped_without_uasc_column(code: str) -> None:
    """Without a header UASC column these rules cannot be checked, and say so rather than pass."""
    store = make_store(SEED_FOR_YEAR["2025-26"], "2025-26")
    status, reason, flagged = run(code, case_for(store, "2025-26", header_uasc=False))
    assert status is RuleStatus.SKIPPED
    assert reason is not None and "UASC" in reason
    assert not flagged


def test_age_boundary_by_hand() -> None:
    """The hand-written age helper the 231 expectation relies on: the 11th birthday counts on the day."""
    assert age_on(date(2015, 3, 31), date(2026, 3, 31)) == 11
    assert age_on(date(2015, 4, 1), date(2026, 3, 31)) == 10
    assert age_on(date(2012, 2, 29), date(2023, 2, 28)) == 10
