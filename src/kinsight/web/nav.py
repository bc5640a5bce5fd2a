"""The navigation registry: each area declares its nav items; the layout shows those a person may use."""

from __future__ import annotations

from dataclasses import dataclass

from kinsight.domain.roles import Permission


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    permission: Permission | None
    order: int = 100


class NavRegistry:
    """Items in display order; built once per app from the area modules."""

    def __init__(self) -> None:
        self._items: list[NavItem] = []

    def add(self, *items: NavItem) -> None:
        self._items.extend(items)
        self._items.sort(key=lambda item: (item.order, item.label))

    @property
    def items(self) -> tuple[NavItem, ...]:
        return tuple(self._items)
