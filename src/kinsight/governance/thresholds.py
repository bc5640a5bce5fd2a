"""Compare an evaluation result with the accuracy thresholds set at design.

The evaluation payload is the one shape Kinsight's evaluation results take when they reach a gate::

    {"overall": {"precision": 0.71, "recall": 0.52, "n": 1200},
     "by_group": [{"attribute": "sex", "group": "1", "n": 610, "precision": 0.70, "recall": 0.55}, ...]}

Precision or recall may be ``None`` when undefined (no flagged cases, no true cases); an undefined
figure never meets a threshold.  Groups smaller than ``min_group_size`` are listed but not held to the
per-group limits, since their figures are too noisy to judge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

METRICS = ("precision", "recall")


@dataclass(frozen=True)
class ThresholdCheck:
    name: str
    rule: str
    required: float
    actual: float | None
    met: bool

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _at_least(name: str, actual: float | None, required: float) -> ThresholdCheck:
    return ThresholdCheck(name, ">=", required, actual, actual is not None and actual >= required)


def check_thresholds(criteria: dict[str, Any], evaluation: dict[str, Any]) -> list[ThresholdCheck]:
    """Every threshold the criteria set, checked against the evaluation; thresholds not set are skipped."""
    checks: list[ThresholdCheck] = []
    overall = evaluation.get("overall") or {}
    for metric in METRICS:
        required = criteria.get(f"min_{metric}")
        if required is not None:
            checks.append(_at_least(f"overall {metric}", overall.get(metric), float(required)))
    min_size = int(criteria.get("min_group_size") or 1)
    judged = [g for g in evaluation.get("by_group") or [] if int(g.get("n") or 0) >= min_size]
    for metric in METRICS:
        required = criteria.get(f"min_group_{metric}")
        if required is None:
            continue
        for group in judged:
            label = f"{metric} for {group.get('attribute')}={group.get('group')}"
            checks.append(_at_least(label, group.get(metric), float(required)))
    gap_limit = criteria.get("max_group_gap")
    if gap_limit is not None:
        attributes = sorted({str(g.get("attribute")) for g in judged})
        for attribute in attributes:
            for metric in METRICS:
                values = [g.get(metric) for g in judged if str(g.get("attribute")) == attribute]
                if len(values) < 2:
                    continue
                gap = None if any(v is None for v in values) else max(values) - min(values)
                checks.append(
                    ThresholdCheck(
                        f"{metric} gap between {attribute} groups",
                        "<=",
                        float(gap_limit),
                        gap,
                        gap is not None and gap <= float(gap_limit) + 1e-12,
                    )
                )
    return checks
