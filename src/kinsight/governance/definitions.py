"""The shape of the governance YAML files (instruments and stages), checked when they are loaded.

An authority may adapt these files (change wording, add questions, move thresholds); the models
here make sure an adapted file still means something Kinsight can act on, and say where it is wrong.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kinsight.governance.vocabulary import AnalyticsTier, RiskLevel, SignoffRole, Stage, TriageVerdict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionType(StrEnum):
    TEXT = "text"
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    SCALE = "scale"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    LIST = "list"
    TABLE = "table"


class Option(Strict):
    id: str
    label: str


class Column(Strict):
    id: str
    text: str
    type: QuestionType = QuestionType.TEXT
    options: list[Option] = Field(default_factory=list)
    required: bool = True


class Question(Strict):
    id: str
    text: str
    type: QuestionType
    help: str = ""
    required: bool = False
    theme: str | None = None
    phase: str | None = None
    options: list[Option] = Field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    columns: list[Column] = Field(default_factory=list)
    min_rows: int = 0

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.type in (QuestionType.CHOICE, QuestionType.MULTI_CHOICE) and not self.options:
            raise ValueError(f"question {self.id}: a {self.type} question needs options")
        if self.type is QuestionType.TABLE and not self.columns:
            raise ValueError(f"question {self.id}: a table question needs columns")
        if self.type is QuestionType.SCALE and (self.minimum is None or self.maximum is None):
            raise ValueError(f"question {self.id}: a scale question needs minimum and maximum")
        return self


class Theme(Strict):
    id: str
    label: str


class MaturityLevel(Strict):
    id: str
    label: str
    meaning: str
    tier: AnalyticsTier
    min_theme_score: float | None = None
    min_overall: float | None = None


class MaturityScoring(Strict):
    """Theme score = mean of its questions; levels are tried in order, the first whose limits hold wins."""

    method: Literal["maturity_levels"]
    levels: list[MaturityLevel]

    @model_validator(mode="after")
    def _fallback_last(self) -> MaturityScoring:
        last = self.levels[-1]
        if last.min_theme_score is not None or last.min_overall is not None:
            raise ValueError("the last maturity level must have no limits (it is the fallback)")
        return self


class Clause(Strict):
    """One test on one answer: ``is`` (equals), ``is_not``, ``includes`` (multi-choice) or ``answered``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    question: str
    is_: Any = Field(default=None, alias="is")
    is_not: Any = None
    includes: str | None = None
    in_: list[Any] | None = Field(default=None, alias="in")

    def holds(self, answers: dict[str, Any]) -> bool:
        value = answers.get(self.question)
        if self.includes is not None:
            return isinstance(value, list) and self.includes in value
        if self.in_ is not None:
            return value in self.in_
        if self.is_not is not None:
            return value is not None and value != self.is_not
        return value is not None and value == self.is_


class TriageRule(Strict):
    id: str
    when: list[Clause]
    themes: list[str]
    rationale: str
    risk: RiskLevel = RiskLevel.LOW
    verdict: TriageVerdict = TriageVerdict.CONTINUE


class TriageScoring(Strict):
    method: Literal["triage_rules"]
    rules: list[TriageRule]
    verdicts: dict[TriageVerdict, str]


class RiskMatrix(Strict):
    """Overall risk for each likelihood and severity (ICO DPIA step 5 style)."""

    method: Literal["risk_matrix"]
    likelihood_question: str
    severity_question: str
    matrix: dict[str, dict[str, RiskLevel]]


Scoring = Annotated[MaturityScoring | TriageScoring | RiskMatrix, Field(discriminator="method")]


class Instrument(Strict):
    id: str
    version: int
    title: str
    purpose: str
    stage: Stage
    source: str = ""
    themes: list[Theme] = Field(default_factory=list)
    phases: list[Theme] = Field(default_factory=list)
    questions: list[Question]
    scoring: Scoring | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Instrument:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError(f"instrument {self.id}: question ids repeat")
        theme_ids = {t.id for t in self.themes}
        for q in self.questions:
            if q.theme and theme_ids and q.theme not in theme_ids:
                raise ValueError(f"instrument {self.id}: question {q.id} names unknown theme {q.theme}")
        return self

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


class ConditionKind(StrEnum):
    ANSWERS = "answers"
    ANSWER_VALUE = "answer_value"
    SIGNOFF = "signoff"
    MATURITY_TIER = "maturity_tier"
    MATURITY_LEVEL = "maturity_level"
    TRIAGE_VERDICT = "triage_verdict"
    RISK_LOG = "risk_log"
    DATA_QUALITY = "data_quality"
    PRIVACY = "privacy"
    EVALUATION = "evaluation"
    EXTERNAL_VALIDATION = "external_validation"


class Applies(Strict):
    """A condition applies only when an answer of an instrument passes this test."""

    instrument: str
    clause: Clause


class ConditionSpec(Strict):
    id: str
    kind: ConditionKind
    label: str
    instrument: str | None = None
    questions: list[str] | None = None
    first: int | None = None
    question: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    role: SignoffRole | None = None
    subject: str | None = None
    level: str | None = None
    min_count: int = 1
    min_score: float | None = None
    when: Applies | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _needs(self) -> ConditionSpec:
        needs: dict[ConditionKind, tuple[str, ...]] = {
            ConditionKind.ANSWERS: ("instrument",),
            ConditionKind.ANSWER_VALUE: ("instrument", "question"),
            ConditionKind.SIGNOFF: ("role", "subject"),
            ConditionKind.MATURITY_LEVEL: ("level",),
            ConditionKind.DATA_QUALITY: ("min_score",),
        }
        for name in needs.get(self.kind, ()):
            if getattr(self, name) is None:
                raise ValueError(f"condition {self.id}: a {self.kind} condition needs '{name}'")
        return self


class StageSpec(Strict):
    id: Stage
    label: str
    question: str
    purpose: str
    atrs_phase: Literal["pre-deployment", "beta-pilot", "production", "retired"]
    next: Stage | None = None
    back: list[Stage] = Field(default_factory=list)
    gate: list[ConditionSpec] = Field(default_factory=list)


class StagesFile(Strict):
    version: int
    reopened_by_scope_change: list[str]
    stages: list[StageSpec]

    @model_validator(mode="after")
    def _ordered(self) -> StagesFile:
        if [s.id for s in self.stages] != list(Stage):
            raise ValueError("stages.yaml must list the ten stages once each, in lifecycle order")
        for spec in self.stages:
            for earlier in spec.back:
                if earlier.ordinal >= spec.id.ordinal:
                    raise ValueError(f"stage {spec.id}: 'back' may only name earlier stages ({earlier})")
            if spec.next is not None and spec.next.ordinal != spec.id.ordinal + 1:
                raise ValueError(f"stage {spec.id}: 'next' must be the following stage")
        return self
