"""Metrics in plain words, so that a poor result cannot hide behind a decimal.

"Recall 0.2" means little to an oversight group; "misses 4 in 5 children who had the outcome" does.  A
proportion is written as the simplest "k in d" (d up to 10) within one percentage point, otherwise as
"k in 100".
"""

from __future__ import annotations

from fractions import Fraction


def in_words(share: float) -> str:
    """``0.8`` → ``"4 in 5"``; ``0.37`` → ``"37 in 100"``."""
    if share <= 0:
        return "none"
    if share >= 1:
        return "all"
    for denominator in range(2, 11):
        numerator = round(share * denominator)
        if 0 < numerator < denominator and abs(numerator / denominator - share) <= 0.01:
            fraction = Fraction(numerator, denominator)
            return f"{fraction.numerator} in {fraction.denominator}"
    hundredths = round(share * 100)
    if hundredths < 1:
        return "fewer than 1 in 100"
    if hundredths > 99:
        return "more than 99 in 100"
    return f"{hundredths} in 100"


def recall_words(recall: float | None) -> str:
    if recall is None:
        return "Recall cannot be measured: no child in this group had the outcome."
    if recall >= 1:
        return "Finds every child who had the outcome."
    if recall <= 0:
        return "Misses every child who had the outcome (finds none)."
    return f"Misses {children(1 - recall)} who had the outcome (finds {in_words(recall)})."


def precision_words(precision: float | None) -> str:
    if precision is None:
        return "Precision cannot be measured: no child was flagged."
    if precision >= 1:
        return "Every child it flags went on to have the outcome."
    words = in_words(1 - precision)
    if " in " not in words:
        return f"When it flags a child, it is wrong {words} of the time."
    k, d = words.split(" in ")
    times = "time" if k == "1" or k.endswith(" 1") else "times"
    return f"When it flags a child, it is wrong {k} {times} in {d}."


def children(share: float) -> str:
    """``0`` → ``"no children"``, ``1`` → ``"every child"``, else ``"1 in 5 children"``."""
    words = in_words(share)
    if words == "none":
        return "no children"
    if words == "all":
        return "every child"
    return f"{words} children"


def selection_words(rate: float | None) -> str:
    if rate is None:
        return "No children to flag."
    return f"Flags {children(rate)}."


def fpr_words(rate: float | None) -> str:
    if rate is None:
        return "No child without the outcome to judge false alarms by."
    return f"Wrongly flags {children(rate)} who did not have the outcome."


def summary(block: dict[str, object]) -> list[str]:
    """Plain-words lines for one group's (or the overall) figures."""
    if block.get("suppressed"):
        return [f"Fewer than the minimum group size ({block.get('n_display')}): figures withheld."]
    return [
        recall_words(block.get("recall")),  # type: ignore[arg-type]
        precision_words(block.get("precision")),  # type: ignore[arg-type]
        fpr_words(block.get("false_positive_rate")),  # type: ignore[arg-type]
    ]
