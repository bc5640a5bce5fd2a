"""The vocabulary of the audit: severities, rule entries as read from YAML, rules, and run results.

A rule entry crosses a boundary (a YAML file a local authority may write), so it is a strict pydantic
model; once checked it becomes a frozen ``Rule`` the engine works with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Severity(StrEnum):
    """How much a finding matters: errors block a return, queries need an explanation, warnings inform."""

    ERROR = "error"
    QUERY = "query"
    WARNING = "warning"


class RuleStatus(StrEnum):
    RUN = "run"
    SKIPPED = "skipped"
    FAILED = "failed"


class CheckEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: str
    fails_when: str


class CasesEntry(BaseModel):
    """Passing and failing examples; each case maps a table name to rows (plus ``year`` and ``flags``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    pass_: list[dict[str, Any]] = Field(alias="pass", min_length=1)
    fail: list[dict[str, Any]] = Field(min_length=1)


class RuleEntry(BaseModel):
    """One entry of a rule-pack YAML file, exactly as docs/RULES.md defines it."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1)
    message: str = Field(min_length=1)
    severity: Severity
    years: list[str] = Field(min_length=1)
    tables: list[str] = Field(min_length=1)
    fields: list[str] = Field(default_factory=list)
    check: CheckEntry | None = None
    sql: str | None = None
    cases: CasesEntry
    note: str | None = None

    @model_validator(mode="after")
    def _one_check(self) -> RuleEntry:
        if (self.check is None) == (self.sql is None):
            raise ValueError("give exactly one of 'check' and 'sql'")
        if self.check is not None and self.check.table not in self.tables:
            raise ValueError(f"check.table '{self.check.table}' must be listed in 'tables'")
        if self.code.upper().endswith("Q") and self.severity is not Severity.QUERY:
            raise ValueError("DfE codes ending in Q are queries: set severity: query")
        return self


@dataclass(frozen=True)
class Rule:
    """A checked rule, ready to run.  ``sql_text`` is the SQL module's text for SQL rules."""

    code: str
    message: str
    severity: Severity
    years: tuple[str, ...]
    tables: tuple[str, ...]
    fields: tuple[str, ...]
    dataset: str
    source: str
    check_table: str | None = None
    fails_when: str | None = None
    sql_text: str | None = None
    note: str | None = None
    cases: dict[str, list[dict[str, Any]]] = field(default_factory=dict, compare=False, hash=False)

    @property
    def kind(self) -> str:
        return "check" if self.fails_when is not None else "sql"

    @property
    def key(self) -> str:
        """Unique within a dataset: code plus the first year it applies to (year variants share a code)."""
        return f"{self.code}@{self.years[0]}"

    def applies_to(self, year: str) -> bool:
        return year in self.years


@dataclass(frozen=True)
class RuleOutcome:
    """What happened to one rule in one run: run (with its finding count), skipped or failed, and why."""

    code: str
    status: RuleStatus
    findings: int = 0
    seconds: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class YearRun:
    """The outcome of checking one dataset for one collection year."""

    dataset: str
    year: str
    outcomes: tuple[RuleOutcome, ...]
    findings: int

    def codes(self, status: RuleStatus) -> list[str]:
        return [o.code for o in self.outcomes if o.status is status]
