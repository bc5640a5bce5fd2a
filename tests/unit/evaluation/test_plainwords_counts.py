"""Plain words stay grammatical at the edges: no children, every child, under 1 in 100, one time."""

from __future__ import annotations

import pytest

from kinsight.evaluation.plainwords import fpr_words, in_words, precision_words, recall_words, selection_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (fpr_words(0.0), "Wrongly flags no children who did not have the outcome."),
        (fpr_words(1.0), "Wrongly flags every child who did not have the outcome."),
        (selection_words(0.0), "Flags no children."),
        (selection_words(1.0), "Flags every child."),
        (recall_words(0.0), "Misses every child who had the outcome (finds none)."),
        (precision_words(0.5), "When it flags a child, it is wrong 1 time in 2."),
        (precision_words(0.997), "When it flags a child, it is wrong fewer than 1 time in 100."),
        (selection_words(0.002), "Flags fewer than 1 in 100 children."),
    ],
)
def test_edges_read_as_english(text: str, expected: str) -> None:
    assert text == expected
    assert "none children" not in text and "0 in 100" not in text and "1 times" not in text


def test_hundredths_never_round_to_zero_or_a_hundred() -> None:
    assert in_words(0.004) == "fewer than 1 in 100"
    assert in_words(0.996) == "more than 99 in 100"
    assert in_words(0.013) == "1 in 100"
