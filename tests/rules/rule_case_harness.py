"""The rule-case harness: every rule of every built-in pack, typed and given code sets exactly as a real run.

Case tables are typed by ``kinsight.ingest.typing.typed_select`` with the dataset spec, the same SQL ingest
uses, and the engine gets the spec's code sets in force in the case's year, as ``kinsight quality`` does, so
``codeset('...')`` in a rule means the same in a case as in production.  Cases run in one shared in-memory
database per test worker (``kinsight.quality.cases.shared_database``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from kinsight.domain.specs import DatasetSpec, TableSpec
from kinsight.ingest.typing import typed_select
from kinsight.quality.model import Rule
from kinsight.quality.registry import load_pack
from kinsight.rules import builtin_datasets, builtin_pack
from kinsight.services.quality import spec_options
from kinsight.specs import load_spec

META = ("collection_year", "_row", "_file")


@functools.cache
def _spec(dataset: str) -> DatasetSpec:
    return load_spec(dataset)


def _table_spec(dataset: str, table: str) -> TableSpec:
    try:
        return _spec(dataset).tables[table]
    except KeyError:
        raise KeyError(
            f"{dataset} has no table {table!r}: check the rule's tables and case table names"
        ) from None


def type_select(dataset: str, table: str, source: str, columns: Sequence[str]) -> str:
    """Ingest's own typing SQL for the case's raw rows."""
    return typed_select(_table_spec(dataset, table), source, [*columns, *META])


def columns_for(dataset: str, table: str) -> list[str]:
    """Every field of the table in the spec (all years), so fields a case leaves out are NULL."""
    return list(_table_spec(dataset, table).fields)


@functools.cache
def codesets_for(dataset: str, year: str) -> Mapping[str, Sequence[str]]:
    """The spec's code sets in force in ``year``, from the very function ``kinsight quality`` uses."""
    return spec_options(dataset, year)[0]


def uses_spec_typing() -> bool:
    return True


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for dataset in builtin_datasets():
        pack = builtin_pack(dataset)
        assert pack is not None
        rules.extend(load_pack(pack, dataset=dataset))
    return rules


def case_params() -> list[tuple[Rule, str, int]]:
    """(rule, 'pass' | 'fail', index) for every case of every rule, with readable test ids."""
    return [
        (rule, kind, i)
        for rule in all_rules()
        for kind in ("pass", "fail")
        for i in range(len(rule.cases[kind]))
    ]


def case_id(rule: Rule, kind: str, index: int) -> str:
    return f"{rule.dataset}-{rule.code}-{rule.years[-1]}-{kind}{index + 1}"
