"""The code groupings the indicators publish by, read from ``groupings.yaml`` beside this module.

Groupings are data (an authority may prefer CHNE under Asian, say), so they live in YAML and are
validated here once; code only ever sees the frozen, checked result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.yamlfiles import parse_yaml
from kinsight.errors import ConfigurationError


class AgeBandModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class GroupingsModel(BaseModel):
    """The shape of groupings.yaml; anything unexpected is refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")
    age_bands: list[AgeBandModel]
    placement_groups: dict[str, list[str]]
    forecast_placement_groups: dict[str, list[str]]
    forecast_age_breaks: list[int]
    ethnicity_groups: dict[str, list[str]]
    legal_status_groups: dict[str, list[str]]
    reason_ceased_groups: dict[str, list[str]]
    short_break_legal_statuses: list[str]
    temporary_placements: list[str]
    adoption_placements: list[str]
    new_placement_reasons: list[str]


@dataclass(frozen=True)
class AgeBand:
    label: str
    min: int
    max: int


@dataclass(frozen=True)
class Groupings:
    """Checked groupings; ``*_of`` mappings go from a code to its group label."""

    age_bands: tuple[AgeBand, ...]
    placement_group_of: dict[str, str]
    forecast_group_of: dict[str, str]
    forecast_groups: tuple[str, ...]
    forecast_age_breaks: tuple[int, ...]
    ethnicity_group_of: dict[str, str]
    legal_status_group_of: dict[str, str]
    reason_group_of: dict[str, str]
    short_break_legal_statuses: tuple[str, ...]
    temporary_placements: tuple[str, ...]
    adoption_placements: tuple[str, ...]
    new_placement_reasons: tuple[str, ...]

    def age_band(self, age: int) -> str:
        for band in self.age_bands:
            if band.min <= age <= band.max:
                return band.label
        return "Unknown"


def _invert(groups: dict[str, list[str]], source: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for label, codes in groups.items():
        for code in codes:
            if code in out:
                raise ConfigurationError(
                    f"code {code} is in two groups of {source} ({out[code]!r} and {label!r})",
                    hint="Each code may belong to one group only; edit groupings.yaml.",
                )
            out[code] = label
    return out


def parse_groupings(text: str, source: str = "groupings.yaml") -> Groupings:
    """Validate the YAML text and build the lookup tables."""
    try:
        model = GroupingsModel.model_validate(parse_yaml(text))
    except Exception as error:  # pydantic or YAML error: both are configuration problems
        raise ConfigurationError(
            f"{source} is not valid: {error}", hint="Compare it with the built-in file."
        ) from error
    bands = tuple(AgeBand(b.label, b.min, b.max) for b in model.age_bands)
    for a, b in zip(bands, bands[1:], strict=False):
        if b.min != a.max + 1:
            raise ConfigurationError(
                f"age bands {a.label!r} and {b.label!r} leave a gap or overlap", hint="Make them contiguous."
            )
    breaks = tuple(model.forecast_age_breaks)
    if list(breaks) != sorted(set(breaks)) or (breaks and breaks[0] <= 0):
        raise ConfigurationError(
            "forecast_age_breaks must be increasing positive ages", hint="e.g. [1, 5, 10, 16]"
        )
    return Groupings(
        age_bands=bands,
        placement_group_of=_invert(model.placement_groups, "placement_groups"),
        forecast_group_of=_invert(model.forecast_placement_groups, "forecast_placement_groups"),
        forecast_groups=tuple(dict.fromkeys([*model.forecast_placement_groups.keys(), "Other"])),
        forecast_age_breaks=breaks,
        ethnicity_group_of=_invert(model.ethnicity_groups, "ethnicity_groups"),
        legal_status_group_of=_invert(model.legal_status_groups, "legal_status_groups"),
        reason_group_of=_invert(model.reason_ceased_groups, "reason_ceased_groups"),
        short_break_legal_statuses=tuple(model.short_break_legal_statuses),
        temporary_placements=tuple(model.temporary_placements),
        adoption_placements=tuple(model.adoption_placements),
        new_placement_reasons=tuple(model.new_placement_reasons),
    )


@lru_cache(maxsize=1)
def default_groupings() -> Groupings:
    text = resources.files("kinsight.analytics").joinpath("groupings.yaml").read_text(encoding="utf-8")
    return parse_groupings(text)


def load_groupings(path: Path | None = None) -> Groupings:
    """The built-in groupings, or an authority's own copy when a path is given."""
    if path is None:
        return default_groupings()
    if not path.exists():
        raise ConfigurationError(
            f"groupings file {path} does not exist", hint="Give the path of a YAML file."
        )
    return parse_groupings(path.read_text(encoding="utf-8"), str(path))
