"""The state space of the demand model: age band x placement group, in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StateSpace:
    """``groups`` are placement groups (e.g. Fostering); ``age_breaks`` the birthdays that move a child on.

    State index = band * len(groups) + group.  Band labels read "0 to 1", "1 to 5" ... "16+".
    """

    groups: tuple[str, ...]
    age_breaks: tuple[int, ...]

    @property
    def bands(self) -> tuple[str, ...]:
        edges = (0, *self.age_breaks)
        labels = [f"{a} to {b}" for a, b in zip(edges, edges[1:], strict=False)]
        return (*labels, f"{edges[-1]}+")

    @property
    def size(self) -> int:
        return len(self.bands) * len(self.groups)

    def label(self, index: int) -> str:
        band, group = divmod(index, len(self.groups))
        return f"{self.bands[band]} - {self.groups[group]}"

    def labels(self) -> list[str]:
        return [self.label(i) for i in range(self.size)]

    def group_index(self, index: int) -> int:
        return index % len(self.groups)

    def band_index(self, index: int) -> int:
        return index // len(self.groups)
