"""Every rule of every built-in pack passes its passing cases and flags its failing cases.

Run one pack or one rule with -k: ``-k ssda903``, ``-k ssda903-101-`` (the trailing dash keeps 1010 out).
"""

from __future__ import annotations

import pytest
from rule_case_harness import case_id, case_params, codesets_for, columns_for, type_select

from kinsight.quality.cases import run_case
from kinsight.quality.model import Rule, RuleStatus

PARAMS = case_params()


@pytest.mark.parametrize(("rule", "kind", "index"), PARAMS, ids=[case_id(*p) for p in PARAMS])
def test_rule_case(rule: Rule, kind: str, index: int) -> None:
    case = rule.cases[kind][index]
    others = [c for k in ("pass", "fail") for c in rule.cases[k]]
    result = run_case(
        rule,
        case,
        type_select=type_select,
        columns_for=columns_for,
        other_cases=others,
        codesets_for=codesets_for,
    )
    assert result.outcome.status is RuleStatus.RUN, f"{rule.code} did not run: {result.outcome.reason}"
    if kind == "pass":
        assert not result.flagged, f"{rule.code} flagged a passing case: {sorted(result.flagged)}"
    else:
        assert result.flagged, f"{rule.code} flagged nothing in a failing case"
        if "flags" in case:
            expected = {(str(t).lower(), int(r)) for t, r in case["flags"]}
            assert result.flagged == expected
