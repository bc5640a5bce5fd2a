"""The deployment state machine: phased retirement and named reversals."""

from __future__ import annotations

import pytest

from kinsight.errors import ConflictError
from kinsight.monitoring.lifecycle import DeploymentStatus as S
from kinsight.monitoring.lifecycle import LifecycleAction as A
from kinsight.monitoring.lifecycle import is_monitored, next_status, produces_outputs


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (S.SHADOW, A.GO_LIVE, S.LIVE),
        (S.LIVE, A.GO_LIVE, S.LIVE),
        (S.LIVE, A.DEPRECATE, S.DEPRECATED),
        (S.SHADOW, A.DEPRECATE, S.DEPRECATED),
        (S.DEPRECATED, A.DECOMMISSION, S.RETIRED),
        (S.DEPRECATED, A.REINSTATE, S.LIVE),
        (S.RETIRED, A.RESTORE, S.DEPRECATED),
    ],
)
def test_allowed_moves(start: S, action: A, end: S) -> None:
    assert next_status(start, action) is end


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (S.LIVE, A.DECOMMISSION),
        (S.SHADOW, A.DECOMMISSION),
        (S.RETIRED, A.GO_LIVE),
        (S.DEPRECATED, A.GO_LIVE),
        (S.LIVE, A.RESTORE),
        (S.RETIRED, A.DEPRECATE),
    ],
)
def test_refused_moves_name_the_possible_ones(start: S, action: A) -> None:
    with pytest.raises(ConflictError) as caught:
        next_status(start, action)
    assert "possible steps" in caught.value.hint


def test_outputs_and_monitoring_by_status() -> None:
    assert [produces_outputs(s) for s in S] == [True, True, False, False]
    assert [is_monitored(s) for s in S] == [True, True, True, False]
