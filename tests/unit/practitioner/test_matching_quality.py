"""Matching quality on a truth set: queries built from known children with injected typos, name
variants, swapped day and month, and partial dates.  Recall of the top 5 must be at least 0.98."""

from __future__ import annotations

import random

import polars as pl
import pytest

from kinsight.practitioner.index import build_index
from kinsight.practitioner.query import parse_query
from kinsight.practitioner.ranking import rank

# Written here, independently of name_variants.yaml, as the variants a practitioner might be told.
SHORT_FORMS = {
    "William": "Bill",
    "Thomas": "Tom",
    "Samuel": "Sam",
    "Oliver": "Ollie",
    "Elizabeth": "Liz",
    "Joseph": "Joe",
    "Daniel": "Dan",
    "Jessica": "Jess",
    "Abigail": "Abby",
    "Harry": "Henry",
    "Zac": "Zachary",
    "Katie": "Kate",
    "Matilda": "Tilly",
    "Eleanor": "Nell",
}


def _typo(word: str, rng: random.Random) -> str:
    """One edit: swap two neighbouring letters, drop one, or change one (never the whole word)."""
    i = rng.randrange(1, len(word) - 1) if len(word) > 3 else 1
    kind = rng.choice(["swap", "drop", "change"])
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    letter = rng.choice([c for c in "aeioumnrst" if c != word[i].lower()])
    return word[:i] + letter + word[i + 1 :]


def _queries(people: pl.DataFrame, n: int, seed: int = 11) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    rows = people.sample(n, seed=seed).to_dicts()
    found = []
    for i, r in enumerate(rows):
        fore, sur, dob = r["FORENAME"], r["SURNAME"], r["DOB"]
        full = f"{dob.day:02d}/{dob.month:02d}/{dob.year}"
        case = i % 6
        if case == 0:
            text = f"{fore} {_typo(sur, rng)} {full}"
        elif case == 1:
            text = f"{SHORT_FORMS.get(fore, fore)} {sur} {full}"
        elif case == 2 and dob.day <= 12 and dob.day != dob.month:
            text = f"{fore} {sur} {dob.month:02d}/{dob.day:02d}/{dob.year}"
        elif case == 3:
            text = f"{_typo(fore, rng)} {sur} {dob.month}/{dob.year} {r['POSTCODE'].split()[0]}"
        elif case == 4:
            text = f"{sur} {fore} {full}"  # surname first
        else:
            text = f"{fore} {sur} {r['POSTCODE']}"
        found.append((text, r["CHILD"], f"case{case}"))
    return found


def _same_person(people: pl.DataFrame) -> dict[str, set[str]]:
    """Children indistinguishable by what a query holds (same names and date of birth): any is right."""
    key = pl.concat_str([pl.col("FORENAME"), pl.col("SURNAME"), pl.col("DOB").cast(pl.String)], separator="|")
    groups = people.with_columns(key.alias("k")).group_by("k").agg(pl.col("CHILD"))
    found: dict[str, set[str]] = {}
    for ids in groups.get_column("CHILD").to_list():
        for c in ids:
            found[c] = set(ids)
    return found


@pytest.fixture(scope="module")
def measured(people: pl.DataFrame) -> dict[str, float]:
    index = build_index(people)
    same = _same_person(people)
    hits = returned = relevant_returned = first_right = 0
    queries = _queries(people, 600)
    for text, truth, _ in queries:
        top = rank(index, parse_query(text), limit=5, min_score=25)
        ids = [m.child for m in top]
        right = same[truth]
        hits += any(c in right for c in ids)
        first_right += bool(ids) and ids[0] in right
        # precision of the top 5: of the children shown, how many are the child sought
        returned += len(ids)
        relevant_returned += sum(c in right for c in ids)
    return {
        "recall_at_5": hits / len(queries),
        "precision_at_5": relevant_returned / max(returned, 1),
        "right_first": first_right / len(queries),
    }


def test_recall_of_the_top_five_is_at_least_098(measured: dict[str, float]) -> None:
    print(
        f"\nrecall@5 = {measured['recall_at_5']:.3f}, precision@5 = {measured['precision_at_5']:.3f}, "
        f"right child first = {measured['right_first']:.3f}"
    )
    assert measured["recall_at_5"] >= 0.98


def test_the_child_sought_is_usually_first(measured: dict[str, float]) -> None:
    assert measured["right_first"] >= 0.9


def test_exact_identifier_is_first(people: pl.DataFrame) -> None:
    index = build_index(people)
    top = rank(index, parse_query("C0001234"), limit=5)
    assert [m.child for m in top] == ["C0001234"]
    assert top[0].why == ("Child ID matches",)
