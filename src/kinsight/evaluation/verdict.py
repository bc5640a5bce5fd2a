"""A verdict against thresholds set at design: each threshold met or not, with the evidence.

Thresholds are written down before testing (the guidance asks for this) and stored in the project's
governance record; here they arrive as a YAML/JSON document::

    thresholds:
      - metric: precision        # any Metric name
        at_least: 0.65
        applies_to: overall      # overall (default) | every_group
      - metric: recall
        at_least: 0.5
        applies_to: every_group
      - gap: recall              # difference between the highest and lowest shown group
        at_most: 0.1
      - metric: brier
        at_most: 0.2

A threshold whose figure cannot be computed (a withheld or undefined metric) is *not met*: a claim that
cannot be shown is not a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from kinsight.evaluation.gaps import GAP_METRICS
from kinsight.evaluation.metrics import Metric
from kinsight.evaluation.plainwords import in_words


class Scope(StrEnum):
    OVERALL = "overall"
    EVERY_GROUP = "every_group"


class ThresholdRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: Metric | None = None
    gap: Metric | None = None
    at_least: float | None = None
    at_most: float | None = None
    applies_to: Scope = Scope.OVERALL
    note: str = ""

    @model_validator(mode="after")
    def _one_of_each(self) -> ThresholdRule:
        if (self.metric is None) == (self.gap is None):
            raise ValueError("give exactly one of 'metric' or 'gap'")
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("give exactly one of 'at_least' or 'at_most'")
        if self.gap is not None and self.gap not in GAP_METRICS:
            raise ValueError(f"gaps are measured for {', '.join(m.value for m in GAP_METRICS)}")
        return self

    @property
    def bound(self) -> str:
        return f">= {self.at_least}" if self.at_least is not None else f"<= {self.at_most}"

    @property
    def name(self) -> str:
        bound = self.bound
        if self.gap is not None:
            return f"gap in {self.gap.value} between groups {bound}"
        where = "in every group" if self.applies_to is Scope.EVERY_GROUP else "overall"
        return f"{self.metric.value} {where} {bound}"  # type: ignore[union-attr]


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    thresholds: list[ThresholdRule]


@dataclass(frozen=True)
class ThresholdResult:
    threshold: str
    met: bool
    observed: float | None
    required: float
    evidence: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "met": self.met,
            "observed": self.observed,
            "required": self.required,
            "evidence": self.evidence,
        }


def _passes(rule: ThresholdRule, value: float) -> bool:
    if rule.at_least is not None:
        return value >= rule.at_least
    return value <= rule.at_most  # type: ignore[operator]


def _required(rule: ThresholdRule) -> float:
    return rule.at_least if rule.at_least is not None else rule.at_most  # type: ignore[return-value]


def _check_value(rule: ThresholdRule, value: float | None, where: str) -> ThresholdResult:
    if value is None:
        return ThresholdResult(
            rule.name, False, None, _required(rule), f"{where}: cannot be computed, so not met"
        )
    met = _passes(rule, value)
    words = f" ({in_words(value)})" if 0 <= value <= 1 else ""
    evidence = f"{where}: {value:.3f}{words}; required {rule.bound}"
    return ThresholdResult(rule.name, met, value, _required(rule), evidence)


def verdict(metrics: dict[str, Any], thresholds: Thresholds) -> dict[str, Any]:
    """Check an evaluation result (as returned by ``evaluate``) against each threshold."""
    results: list[ThresholdResult] = []
    for rule in thresholds.thresholds:
        if rule.gap is not None:
            gap = (metrics.get("gaps") or {}).get("by_group", {}).get(rule.gap.value, {})
            diff = gap.get("difference")
            if diff is not None:
                where = f"{gap.get('highest_group')} vs {gap.get('lowest_group')}"
            else:
                where = "fewer than two groups with figures shown"
            results.append(_check_value(rule, diff, where))
            continue
        assert rule.metric is not None
        if rule.applies_to is Scope.OVERALL:
            results.append(_check_value(rule, metrics["overall"].get(rule.metric.value), "overall"))
            continue
        groups = metrics.get("by_group") or {}
        failing: list[str] = []
        worst: float | None = None
        for key, block in groups.items():
            if block.get("suppressed"):
                continue
            value = block.get(rule.metric.value)
            if value is None or not _passes(rule, value):
                failing.append(f"{key} ({'cannot be computed' if value is None else f'{value:.3f}'})")
            if value is not None:
                worse = worst is None or (value < worst if rule.at_least is not None else value > worst)
                worst = value if worse else worst
        shown = [k for k, b in groups.items() if not b.get("suppressed")]
        if not shown:
            results.append(
                ThresholdResult(rule.name, False, None, _required(rule), "no group large enough to judge")
            )
        elif failing:
            results.append(
                ThresholdResult(rule.name, False, worst, _required(rule), "not met in: " + ", ".join(failing))
            )
        else:
            results.append(
                ThresholdResult(
                    rule.name, True, worst, _required(rule), f"met in all {len(shown)} groups shown"
                )
            )
    return {"passed": all(r.met for r in results), "results": [r.as_dict() for r in results]}
