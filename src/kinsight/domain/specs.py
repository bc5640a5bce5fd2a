"""The vocabulary of dataset specifications: datasets, tables, fields, code sets and the years they hold.

The specs themselves are data (YAML under ``kinsight/specs``); these frozen values are what the rest of
Kinsight reads once a spec is loaded.  Every table, field and code carries the collection years it is
valid for (``valid_from`` / ``valid_to``, inclusive, ``None`` meaning open-ended), because the DfE
changes its returns year by year and a page, a rule or the ingest must always see the spec *in force*
for the year it works on, never a mixture.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kinsight.domain.years import parse_year
from kinsight.errors import NotFoundError


class FieldType(StrEnum):
    """How a field's text is typed at ingest (one parse, in one place)."""

    STRING = "string"
    CODE = "code"
    DATE = "date"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"


class PrivacyClass(StrEnum):
    """How identifying a field is; drives pseudonymisation, views and what pages may show."""

    DIRECT_IDENTIFIER = "direct_identifier"
    QUASI_IDENTIFIER = "quasi_identifier"
    SENSITIVE = "sensitive"
    OTHER = "other"


def valid_in(valid_from: str | None, valid_to: str | None, year: str) -> bool:
    """True when ``year`` lies within the inclusive range of collection years (open ends allowed)."""
    start = parse_year(year)
    if valid_from is not None and start < parse_year(valid_from):
        return False
    return not (valid_to is not None and start > parse_year(valid_to))


@dataclass(frozen=True)
class Code:
    """One code of a code set, with its meaning in plain words so pages can show words, not codes."""

    code: str
    meaning: str
    valid_from: str | None = None
    valid_to: str | None = None
    note: str = ""

    def valid(self, year: str) -> bool:
        return valid_in(self.valid_from, self.valid_to, year)


@dataclass(frozen=True)
class CodeSet:
    name: str
    description: str
    codes: tuple[Code, ...]

    def in_force(self, year: str) -> CodeSet:
        return replace(self, codes=tuple(c for c in self.codes if c.valid(year)))

    def meaning(self, code: str) -> str | None:
        """The plain-words meaning of ``code`` (any year), or None if the code is not in the set."""
        for item in self.codes:
            if item.code == code:
                return item.meaning
        return None


@dataclass(frozen=True)
class FieldSpec:
    """One field (column) of a table, named exactly as the DfE names it.

    ``required`` says the DfE expects a value; ``optional_column`` says the column itself may be absent
    from a file without that being a structural problem (e.g. the derived 903 fields PL_DISTANCE).
    ``upper`` says codes are compared in upper case (the typed table stores them so).
    """

    name: str
    type: FieldType
    required: bool = False
    codeset: str | None = None
    privacy: PrivacyClass = PrivacyClass.OTHER
    description: str = ""
    valid_from: str | None = None
    valid_to: str | None = None
    optional_column: bool = False
    upper: bool = False

    def valid(self, year: str) -> bool:
        return valid_in(self.valid_from, self.valid_to, year)


@dataclass(frozen=True)
class TableSpec:
    """One table of a dataset: its fields in DfE column order and the fields that identify a row."""

    name: str
    dfe_name: str
    description: str
    fields: Mapping[str, FieldSpec]
    keys: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None

    def valid(self, year: str) -> bool:
        return valid_in(self.valid_from, self.valid_to, year)

    def in_force(self, year: str) -> TableSpec:
        return replace(self, fields={n: f for n, f in self.fields.items() if f.valid(year)})

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(self.fields)


@dataclass(frozen=True)
class DatasetSpec:
    """A whole dataset spec.  As loaded it spans every year; ``in_force(year)`` narrows it to one year."""

    name: str
    title: str
    description: str
    tables: Mapping[str, TableSpec]
    codesets: Mapping[str, CodeSet]
    statutory: bool = True
    year: str | None = None
    extras: Mapping[str, object] = field(default_factory=dict)

    def in_force(self, year: str) -> DatasetSpec:
        """Tables, fields and codes valid in collection year ``year`` (e.g. ``"2025-26"``)."""
        parse_year(year)
        return replace(
            self,
            year=year,
            tables={n: t.in_force(year) for n, t in self.tables.items() if t.valid(year)},
            codesets={n: c.in_force(year) for n, c in self.codesets.items()},
        )

    def table(self, name: str) -> TableSpec:
        try:
            return self.tables[name]
        except KeyError:
            raise NotFoundError(
                f"dataset {self.name} has no table '{name}'" + (f" in {self.year}" if self.year else ""),
                hint="Tables: " + ", ".join(self.tables),
            ) from None

    def codeset(self, name: str) -> CodeSet:
        try:
            return self.codesets[name]
        except KeyError:
            raise NotFoundError(
                f"dataset {self.name} has no code set '{name}'", hint="Code sets: " + ", ".join(self.codesets)
            ) from None

    def codes(self, codeset: str, year: str) -> list[str]:
        """The codes of ``codeset`` valid in collection year ``year``, in spec order."""
        return [c.code for c in self.codeset(codeset).codes if c.valid(year)]

    def meaning(self, codeset: str, code: str) -> str | None:
        return self.codeset(codeset).meaning(code)
