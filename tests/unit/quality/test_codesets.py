"""``codeset(name)`` in rule SQL holds the spec's codes in force that year, in a case as in a real run."""

from __future__ import annotations

import pytest

from kinsight.quality.cases import run_case
from kinsight.quality.model import Rule, RuleStatus, Severity
from kinsight.services.quality import spec_options
from kinsight.specs import load_spec


def _rule(year: str) -> Rule:
    return Rule(
        code="T-ETHNIC",
        message="m",
        severity=Severity.ERROR,
        years=(year,),
        tables=("header",),
        fields=("ETHNIC",),
        dataset="ssda903",
        source="test",
        check_table="header",
        fails_when="ETHNIC IS NOT NULL AND ETHNIC NOT IN (SELECT code FROM codeset('ethnicity'))",
    )


def _columns(dataset: str, table: str) -> list[str]:
    return list(load_spec(dataset).tables[table].fields)


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_codeset_in_a_case_is_the_spec_code_list(year: str) -> None:
    from kinsight.ingest.typing import typed_select

    spec = load_spec("ssda903")
    valid = spec.codes("ethnicity", year)
    values = [*valid[:6], "XXXX", "wbri", "", "ABCD"]
    rows = [{"CHILD": str(i), "ETHNIC": v} for i, v in enumerate(values)]

    def type_select(dataset: str, table: str, source: str, columns: list[str]) -> str:
        return typed_select(spec.tables[table], source, [*columns, "collection_year", "_row", "_file"])

    result = run_case(
        _rule(year),
        {"year": year, "header": rows},
        type_select=type_select,
        columns_for=_columns,
        codesets_for=lambda dataset, y: spec_options(dataset, y)[0],
    )
    assert result.outcome.status is RuleStatus.RUN
    # by hand: ingest upper-cases ETHNIC (so "wbri" is valid) and blanks are NULL (not flagged)
    expected = {("header", i + 1) for i, v in enumerate(values) if v and v.upper() not in valid}
    assert result.flagged == expected == {("header", 7), ("header", 10)}


def test_without_code_sets_the_list_is_empty() -> None:
    """The old harness gap: no code sets means every code is flagged, which is why the harness passes them."""
    result = run_case(_rule("2025-26"), {"header": [{"CHILD": "1", "ETHNIC": "WBRI"}]})
    assert result.flagged == {("header", 1)}
