"""Disclosure-control rules for published tables, read from ``disclosure.yaml`` beside this module.

The numbers live in data, not code, so a data protection officer can read and change them; presets
(``dfe-cla``, ``dfe-cin``, ``uk-llc``) override only the values they name.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import UsageError

RULES_FILE = Path(__file__).with_name("disclosure.yaml")


class Symbols(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    confidential: str = "c"
    not_applicable: str = "z"
    not_available: str = "x"
    low: str = "k"


class DisclosureRules(BaseModel):
    """What to suppress, round and how to mark it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: int = Field(ge=0, description="Counts from 1 to this are suppressed.")
    suppress_zeros: bool = False
    round_to: int | None = Field(default=None, ge=1, description="Round local counts to this base.")
    national_round_to: int | None = Field(default=10, ge=1, description="Round national counts to this base.")
    percent_decimals: int = Field(default=0, ge=0, le=3)
    symbols: Symbols = Symbols()


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: DisclosureRules
    presets: dict[str, dict[str, Any]] = {}


@cache
def _load() -> _RulesFile:
    return _RulesFile.model_validate(read_yaml(RULES_FILE))


def preset_names() -> list[str]:
    return sorted(_load().presets)


def disclosure_rules(preset: str | None = None, **overrides: Any) -> DisclosureRules:
    """The default rules, a preset's, with any explicit overrides (``threshold=9`` ...) on top."""
    data = _load()
    values = data.default.model_dump()
    if preset is not None:
        if preset not in data.presets:
            raise UsageError(
                f"unknown disclosure preset '{preset}'", hint=f"Choose one of: {', '.join(preset_names())}."
            )
        values.update(data.presets[preset])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return DisclosureRules.model_validate(values)
