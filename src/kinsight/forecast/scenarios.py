"""Named scenarios: multiply entry, move or exit rates, and see the effect beside the base forecast.

A scenarios file is YAML, a list of:

    - name: "Fewer residential entries"
      entry: {Residential: 0.8}                 # multiply entry rates into a placement group ("*" = all)
      move: [{from: Fostering, to: Residential, multiply: 0.5}]   # between groups (any age band)
      exit: {Supported: 1.2}                    # multiply leaving-care rates from a group
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from kinsight.domain.yamlfiles import parse_yaml
from kinsight.errors import ConfigurationError
from kinsight.forecast.project import Adjustment
from kinsight.forecast.states import StateSpace


class MoveChange(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_group: str = Field(alias="from")
    to_group: str = Field(alias="to")
    multiply: float = Field(ge=0)


class ScenarioModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    entry: dict[str, float] = {}
    move: list[MoveChange] = []
    exit: dict[str, float] = {}


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    spec: ScenarioModel

    def adjustment(self, space: StateSpace) -> Adjustment:
        n = space.size
        adj = Adjustment.none(n)
        groups = np.array([space.group_index(i) for i in range(n)])

        def mask(group: str) -> np.ndarray:
            if group == "*":
                return np.ones(n, dtype=bool)
            if group not in space.groups:
                raise ConfigurationError(
                    f"scenario {self.name!r} names unknown placement group {group!r}",
                    hint=f"Use one of {', '.join(space.groups)} or *.",
                )
            return groups == space.groups.index(group)

        entry, move, exit_ = adj.entry.copy(), adj.move.copy(), adj.exit.copy()
        for group, factor in self.spec.entry.items():
            entry[mask(group)] *= factor
        for group, factor in self.spec.exit.items():
            exit_[mask(group)] *= factor
        for change in self.spec.move:
            move[np.ix_(mask(change.from_group), mask(change.to_group))] *= change.multiply
        return Adjustment(entry=entry, move=move, exit=exit_)


def parse_scenarios(text: str, source: str = "scenarios") -> list[Scenario]:
    try:
        raw = parse_yaml(text) or []
        models = [ScenarioModel.model_validate(item) for item in raw]
    except Exception as error:
        raise ConfigurationError(
            f"{source} is not a valid scenarios file: {error}", hint="See kinsight scenario --help."
        ) from error
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise ConfigurationError(f"{source} repeats a scenario name", hint="Give each scenario its own name.")
    return [Scenario(m.name, m.description, m) for m in models]


def load_scenarios(path: Path) -> list[Scenario]:
    if not path.exists():
        raise ConfigurationError(
            f"scenarios file {path} does not exist", hint="Give a YAML file (see --help)."
        )
    return parse_scenarios(path.read_text(encoding="utf-8"), str(path))
