"""The life of a deployed tool: shadow, live, deprecated, retired, and the moves between them.

Retirement is phased as the guidance suggests: a tool is deprecated first (still readable, with a
banner, producing nothing new) and only then decommissioned.  Each backward move (reinstating a
deprecated tool, restoring a decommissioned one) is a separate, named action so the record shows it.
"""

from __future__ import annotations

from enum import StrEnum

from kinsight.errors import ConflictError


class DeploymentStatus(StrEnum):
    SHADOW = "shadow"
    LIVE = "live"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class LifecycleAction(StrEnum):
    GO_LIVE = "go_live"
    DEPRECATE = "deprecate"
    DECOMMISSION = "decommission"
    REINSTATE = "reinstate"
    RESTORE = "restore"


_MOVES: dict[LifecycleAction, tuple[frozenset[DeploymentStatus], DeploymentStatus]] = {
    LifecycleAction.GO_LIVE: (
        frozenset({DeploymentStatus.SHADOW, DeploymentStatus.LIVE}),
        DeploymentStatus.LIVE,
    ),
    LifecycleAction.DEPRECATE: (
        frozenset({DeploymentStatus.SHADOW, DeploymentStatus.LIVE}),
        DeploymentStatus.DEPRECATED,
    ),
    LifecycleAction.DECOMMISSION: (frozenset({DeploymentStatus.DEPRECATED}), DeploymentStatus.RETIRED),
    LifecycleAction.REINSTATE: (frozenset({DeploymentStatus.DEPRECATED}), DeploymentStatus.LIVE),
    LifecycleAction.RESTORE: (frozenset({DeploymentStatus.RETIRED}), DeploymentStatus.DEPRECATED),
}

#: Actions that undo a retirement step; only the roles allowed to retire a tool may take them.
REVERSALS = frozenset({LifecycleAction.REINSTATE, LifecycleAction.RESTORE})
RETIREMENT_ACTIONS = frozenset({LifecycleAction.DEPRECATE, LifecycleAction.DECOMMISSION}) | REVERSALS


def next_status(current: DeploymentStatus | str, action: LifecycleAction | str) -> DeploymentStatus:
    """The status after ``action``, or ``ConflictError`` naming what the tool's status allows."""
    status, move = DeploymentStatus(current), LifecycleAction(action)
    allowed_from, to = _MOVES[move]
    if status not in allowed_from:
        possible = [a.value for a, (src, _) in _MOVES.items() if status in src]
        raise ConflictError(
            f"A {status.value} tool cannot be moved by '{move.value}'.",
            hint="From here the possible steps are: " + (", ".join(possible) or "none") + ".",
        )
    return to


def produces_outputs(status: DeploymentStatus | str) -> bool:
    """Shadow and live tools produce outputs; deprecated and retired ones do not."""
    return DeploymentStatus(status) in {DeploymentStatus.SHADOW, DeploymentStatus.LIVE}


def is_monitored(status: DeploymentStatus | str) -> bool:
    """Monitoring runs continue while a tool is deprecated (its outputs may still be in use)."""
    return DeploymentStatus(status) is not DeploymentStatus.RETIRED
