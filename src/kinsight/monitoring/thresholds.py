"""The thresholds a monitoring run judges a deployment against, read from ``thresholds.yaml``.

They are data, not code, because an approving group may set its own lines; a deployment stores the
thresholds it was approved against so that changing the defaults never re-judges an existing tool.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kinsight.domain.yamlfiles import read_yaml

DEFAULTS_FILE = Path(__file__).with_name("thresholds.yaml")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: dict[str, str] = Field(default_factory=dict)


class DriftThresholds(_Section):
    psi_watch: float = Field(0.1, ge=0)
    psi_drift: float = Field(0.25, gt=0)
    p_value: float = Field(0.01, gt=0, lt=1)
    bins: int = Field(10, ge=2, le=100)
    epsilon: float = Field(0.0001, gt=0, lt=0.01)
    min_rows: int = Field(30, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> DriftThresholds:
        if self.psi_watch > self.psi_drift:
            raise ValueError("psi_watch must not exceed psi_drift")
        return self


class AccuracyThresholds(_Section):
    min_outcomes: int = Field(30, ge=1)


class QualityThresholds(_Section):
    min_score: float = Field(90, ge=0, le=100)
    max_drop: float = Field(5, ge=0, le=100)


class ChallengeThresholds(_Section):
    max_open: int = Field(5, ge=0)


class UsageThresholds(_Section):
    min_events: int = Field(0, ge=0)


class MonitoringThresholds(BaseModel):
    """Every line a monitoring run draws, each with the reason it is drawn there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    drift: DriftThresholds = DriftThresholds()
    accuracy: AccuracyThresholds = AccuracyThresholds()
    quality: QualityThresholds = QualityThresholds()
    challenges: ChallengeThresholds = ChallengeThresholds()
    usage: UsageThresholds = UsageThresholds()

    def public(self) -> dict[str, Any]:
        """The values without their explanations (what ``--json`` output and stored records carry)."""
        return {
            name: {k: v for k, v in section.items() if k != "sources"}
            for name, section in self.model_dump().items()
        }


def parse_thresholds(raw: Any) -> MonitoringThresholds:
    return MonitoringThresholds.model_validate(raw or {})


@lru_cache(maxsize=1)
def default_thresholds() -> MonitoringThresholds:
    return parse_thresholds(read_yaml(DEFAULTS_FILE))


def merged_thresholds(overrides: dict[str, Any] | None) -> MonitoringThresholds:
    """The defaults with some values replaced, e.g. ``{"drift": {"psi_drift": 0.2}}``."""
    base = default_thresholds().model_dump()
    for section, values in (overrides or {}).items():
        if section not in base or not isinstance(values, dict):
            raise ValueError(f"unknown thresholds section '{section}'")
        base[section] = {**base[section], **values}
    return parse_thresholds(base)
