"""Titles and descriptions of the indicators, read from ``indicators.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from kinsight.domain.yamlfiles import parse_yaml


class IndicatorMetaModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    unit: str
    rate: bool
    description: str


@dataclass(frozen=True)
class IndicatorMeta:
    name: str
    title: str
    unit: str
    rate: bool
    description: str


@lru_cache(maxsize=1)
def indicator_catalogue() -> dict[str, IndicatorMeta]:
    raw = parse_yaml(
        resources.files("kinsight.analytics").joinpath("indicators.yaml").read_text(encoding="utf-8")
    )
    return {
        name: IndicatorMeta(name, **IndicatorMetaModel.model_validate(body).model_dump())
        for name, body in raw.items()
    }
