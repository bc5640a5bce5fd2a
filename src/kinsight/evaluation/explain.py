"""Explanations: for each output, the factors that drove it, in plain words.

For a glass-box model (interpret's explainable boosting machine) the explanation is exact: the model's
log-odds is its intercept plus one additive contribution per factor, so each factor's part can be shown
without approximation.  For other models SHAP would be used when installed; it is not required.

The score itself can be left out (``show_score=False``), as the guidance suggests: the person sees what
information lies behind the output, not a number that invites deference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Factor:
    feature: str
    label: str
    value: str
    contribution: float

    @property
    def words(self) -> str:
        direction = (
            "made the outcome more likely" if self.contribution > 0 else "made the outcome less likely"
        )
        return f"{self.label} ({self.value}) {direction}"


def contributions(model: Any, features: Any) -> tuple[np.ndarray, float]:
    """Per-row, per-factor contributions to the log-odds, and the intercept (EBM only)."""
    if not hasattr(model, "eval_terms"):
        raise TypeError("exact contributions need an explainable boosting machine (or SHAP, if installed)")
    terms = np.asarray(model.eval_terms(features), dtype=float)
    return terms, float(np.ravel(model.intercept_)[0])


def _value_text(value: object) -> str:
    if isinstance(value, float):
        return (
            "not recorded" if np.isnan(value) else (f"{value:.0f}" if value == int(value) else f"{value:.1f}")
        )
    return str(value)


def explain_rows(
    model: Any, features: Any, labels: dict[str, str], *, top: int = 3, show_score: bool = False
) -> list[dict[str, Any]]:
    """The ``top`` factors (by size of contribution) behind each row's output, in plain words."""
    terms, intercept = contributions(model, features)
    names = list(model.term_names_)
    out: list[dict[str, Any]] = []
    for i in range(terms.shape[0]):
        order = np.argsort(-np.abs(terms[i]), kind="stable")[:top]
        factors = [
            Factor(
                names[j],
                labels.get(names[j], names[j]),
                _value_text(features.iloc[i][names[j]]),
                float(terms[i, j]),
            )
            for j in order
            if terms[i, j] != 0
        ]
        entry: dict[str, Any] = {
            "factors": [
                {"feature": f.feature, "value": f.value, "contribution": f.contribution, "words": f.words}
                for f in factors
            ],
        }
        if show_score:
            logit = intercept + terms[i].sum()
            entry["score"] = float(1.0 / (1.0 + np.exp(-logit)))
        out.append(entry)
    return out
