"""Plain words for recall and precision, checked against hand-worked fractions."""

from __future__ import annotations

from kinsight.evaluation.plainwords import in_words, precision_words, recall_words


def test_simple_fractions() -> None:
    assert in_words(0.8) == "4 in 5"
    assert in_words(0.6) == "3 in 5"
    assert in_words(0.5) == "1 in 2"
    assert in_words(0.47) == "47 in 100"
    assert in_words(0.375) == "3 in 8"
    assert in_words(0.0) == "none"


def test_the_wwcsc_pattern_reads_plainly() -> None:
    assert recall_words(0.2) == "Misses 4 in 5 children who had the outcome (finds 1 in 5)."
    assert precision_words(0.4) == "When it flags a child, it is wrong 3 times in 5."
    assert precision_words(None).startswith("Precision cannot be measured")
