"""Load rule packs (built-in or an authority's own) into ``Rule`` objects through one code path.

A pack is a folder of YAML files, each a list of rule entries (docs/RULES.md).  A later pack overrides
an earlier one for the same code and year, so an authority can replace a built-in rule with its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from kinsight.domain.yamlfiles import read_yaml
from kinsight.domain.years import parse_year
from kinsight.errors import ConfigurationError
from kinsight.quality.model import Rule, RuleEntry
from kinsight.quality.pack_cache import cached_pack, inside


def _entry_to_rule(
    entry: RuleEntry, *, dataset: str, pack: Path, file: Path, outside: list[Path] | None = None
) -> Rule:
    sql_text = None
    if entry.sql is not None:
        sql_path = (pack / entry.sql).resolve()
        if outside is not None and not inside(sql_path, pack):
            outside.append(sql_path)
        if not sql_path.is_file():
            raise ConfigurationError(
                f"rule {entry.code} in {file.name}: SQL module {entry.sql} not found",
                hint=f"Paths in 'sql:' are relative to the pack folder {pack}.",
            )
        sql_text = sql_path.read_text(encoding="utf-8").strip().rstrip(";")
    return Rule(
        code=entry.code,
        message=entry.message.strip(),
        severity=entry.severity,
        years=tuple(entry.years),
        tables=tuple(t.lower() for t in entry.tables),
        fields=tuple(entry.fields),
        dataset=dataset,
        source=f"{file}",
        check_table=entry.check.table.lower() if entry.check else None,
        fails_when=entry.check.fails_when if entry.check else None,
        sql_text=sql_text,
        note=entry.note,
        cases={"pass": entry.cases.pass_, "fail": entry.cases.fail},
    )


def load_pack(folder: Path, *, dataset: str) -> list[Rule]:
    """Every rule in the pack folder, in file then entry order; a malformed entry names file and code.

    A pack read before with the same contents comes from the cache (``pack_cache``) in milliseconds."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigurationError(
            f"rule pack {folder} is not a folder", hint="Give the folder holding the *.yaml files."
        )
    return cached_pack(folder, dataset, lambda: _parse_pack(folder, dataset))


def _parse_pack(folder: Path, dataset: str) -> tuple[list[Rule], bool]:
    """The pack's rules, and whether every file they read lies inside the folder (so may be cached)."""
    outside: list[Path] = []
    rules: list[Rule] = []
    seen: dict[tuple[str, str], str] = {}
    for file in sorted(folder.glob("*.yaml")):
        try:
            raw = read_yaml(file) or []
        except yaml.YAMLError as error:
            raise ConfigurationError(
                f"{file} is not valid YAML: {error}", hint="Fix the YAML syntax."
            ) from error
        if not isinstance(raw, list):
            raise ConfigurationError(f"{file} must hold a YAML list of rules", hint="See docs/RULES.md.")
        for position, item in enumerate(raw, start=1):
            label = item.get("code", f"entry {position}") if isinstance(item, dict) else f"entry {position}"
            try:
                entry = RuleEntry.model_validate(item)
            except ValidationError as error:
                raise ConfigurationError(
                    f"rule {label} in {file.name} is malformed: {error.errors()[0]['msg']}"
                    f" at {'.'.join(str(p) for p in error.errors()[0]['loc'])}",
                    hint="See docs/RULES.md for the rule-pack format.",
                ) from error
            for year in entry.years:
                parse_year(year)
                if (entry.code, year) in seen:
                    raise ConfigurationError(
                        f"rule {entry.code} is defined twice for {year} ({seen[(entry.code, year)]} and"
                        f" {file.name})",
                        hint="Year variants of a rule must cover different years.",
                    )
                seen[(entry.code, year)] = file.name
            rules.append(_entry_to_rule(entry, dataset=dataset, pack=folder, file=file, outside=outside))
    return rules, not outside


@dataclass(frozen=True)
class Registry:
    """All rules of one dataset, from every pack given, later packs overriding earlier ones."""

    dataset: str
    rules: tuple[Rule, ...]

    @classmethod
    def from_packs(cls, dataset: str, packs: Sequence[Path]) -> Registry:
        merged: list[Rule] = []
        for pack in packs:
            incoming = load_pack(pack, dataset=dataset)
            overridden = {(r.code, y) for r in incoming for y in r.years}
            kept: list[Rule] = []
            for rule in merged:
                years = tuple(y for y in rule.years if (rule.code, y) not in overridden)
                if years == rule.years:
                    kept.append(rule)
                elif years:
                    kept.append(_with_years(rule, years))
            merged = kept + incoming
        return cls(dataset=dataset, rules=tuple(merged))

    def for_year(self, year: str) -> list[Rule]:
        """The rules in force in ``year``, sorted by DfE code (numeric part first)."""
        return sorted((r for r in self.rules if r.applies_to(year)), key=lambda r: code_sort_key(r.code))

    def years(self) -> list[str]:
        return sorted({y for r in self.rules for y in r.years})

    def counts_by_year(self) -> dict[str, int]:
        return {year: len(self.for_year(year)) for year in self.years()}


def _with_years(rule: Rule, years: Iterable[str]) -> Rule:
    return replace(rule, years=tuple(years))


def code_sort_key(code: str) -> tuple[int, int, str]:
    """Sort DfE codes the way a data officer reads them: 101, 102 ... 197a, 197B ... then letter codes."""
    digits = ""
    for char in code:
        if char.isdigit():
            digits += char
        else:
            break
    if digits:
        return (0, int(digits), code[len(digits) :].upper())
    return (1, 0, code.upper())
