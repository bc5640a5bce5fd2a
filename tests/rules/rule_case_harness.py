"""The rule-case harness: every rule of every built-in pack, with the typing ingest uses when it exists.

Case tables are typed by ``kinsight.ingest.typing.typed_select`` and the dataset spec
(``kinsight.specs.load_spec``) as soon as those exist; until then by the engine's minimal fallback
(date-named fields DATE, everything else trimmed VARCHAR).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from typing import Any

from kinsight.quality.cases import fallback_type_select
from kinsight.quality.model import Rule
from kinsight.quality.registry import load_pack
from kinsight.rules import builtin_datasets, builtin_pack


@functools.cache
def _spec(dataset: str) -> Any | None:
    try:
        specs = importlib.import_module("kinsight.specs")
        return specs.load_spec(dataset)
    except Exception:  # the spec package is being written by another part; fall back until it lands
        return None


@functools.cache
def _typed_select() -> Any | None:
    try:
        return importlib.import_module("kinsight.ingest.typing").typed_select
    except Exception:
        return None


def _table_spec(dataset: str, table: str) -> Any | None:
    spec = _spec(dataset)
    if spec is None:
        return None
    try:
        return spec.tables[table]
    except (KeyError, AttributeError, TypeError):
        return None


def uses_spec_typing() -> bool:
    return _typed_select() is not None and _spec("ssda903") is not None


def type_select(dataset: str, table: str, source: str, columns: Sequence[str]) -> str:
    table_spec = _table_spec(dataset, table)
    typed = _typed_select()
    if table_spec is None or typed is None:
        return fallback_type_select(dataset, table, source, columns)
    return typed(table_spec, source, [*columns, "collection_year", "_row", "_file"])


def columns_for(dataset: str, table: str) -> list[str]:
    table_spec = _table_spec(dataset, table)
    if table_spec is None:
        return []
    return list(table_spec.fields)


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for dataset in builtin_datasets():
        pack = builtin_pack(dataset)
        assert pack is not None
        rules.extend(load_pack(pack, dataset=dataset))
    return rules


def case_params() -> list[tuple[Rule, str, int]]:
    """(rule, 'pass' | 'fail', index) for every case of every rule, with readable test ids."""
    return [(rule, kind, i) for rule in all_rules() for kind in ("pass", "fail") for i in range(len(rule.cases[kind]))]


def case_id(rule: Rule, kind: str, index: int) -> str:
    return f"{rule.dataset}-{rule.code}-{rule.years[-1]}-{kind}{index + 1}"
