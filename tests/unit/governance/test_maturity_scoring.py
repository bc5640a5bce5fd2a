"""Maturity scoring checked against a plain hand-written group-by and the level rules worked by hand."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from kinsight.governance.instruments import load_instruments
from kinsight.governance.scoring import score_maturity

MATURITY = load_instruments()["data_maturity"]
SCALES = [q for q in MATURITY.questions if q.type == "scale"]


def hand_levels(answers: dict[str, int]) -> tuple[dict[str, float], float, str]:
    sums: dict[str, list[int]] = defaultdict(list)
    for q in SCALES:
        sums[q.theme].append(answers[q.id])
    themes = {t: sum(v) / len(v) for t, v in sums.items()}
    overall = sum(themes.values()) / len(themes)
    if min(themes.values()) >= 3.5:
        level = "high"
    elif overall >= 2.5:
        level = "medium"
    else:
        level = "low"
    return themes, overall, level


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=len(SCALES), max_size=len(SCALES)))
def test_theme_scores_overall_and_level_match_hand_computation(ratings: list[int]) -> None:
    answers = {q.id: r for q, r in zip(SCALES, ratings, strict=True)}
    result = score_maturity(MATURITY, answers)
    themes, overall, level = hand_levels(answers)
    assert {t.theme: t.score for t in result.themes} == themes
    assert abs(result.overall - overall) < 1e-12
    assert result.level == level
    assert str(result.tier) == {"high": "predictive", "medium": "diagnostic", "low": "descriptive"}[level]


def test_worked_example_one_weak_theme_blocks_high() -> None:
    # Every theme 5 except governance at (3 + 3) / 2 = 3.0 < 3.5: overall (5*5 + 3) / 6 = 4.67 -> medium.
    answers = {q.id: (3 if q.theme == "governance" else 5) for q in SCALES}
    result = score_maturity(MATURITY, answers)
    assert result.level == "medium"
    assert round(result.overall, 2) == 4.67


def test_worked_example_low() -> None:
    answers = {q.id: 2 for q in SCALES}  # overall 2.0 < 2.5
    assert score_maturity(MATURITY, answers).level == "low"
