"""Stage gates: each condition of a transition checked against the project's record and evidence.

A condition is never assumed: where Kinsight has no result to read it says "no evidence yet" and
the gate stays shut.  Every condition is evaluated (no early exit) so a refusal names all that is
missing at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import ConfigurationError
from kinsight.governance.definitions import ConditionSpec, Instrument, StagesFile, StageSpec
from kinsight.governance.instruments import is_answered
from kinsight.governance.record import ProjectRecord
from kinsight.governance.scoring import score_maturity, score_triage
from kinsight.governance.thresholds import check_thresholds
from kinsight.governance.vocabulary import AnalyticsTier, ConditionStatus, EvidenceKind, Stage, TriageVerdict

STAGES_FILE = Path(__file__).parent / "stages.yaml"


@lru_cache(maxsize=4)
def load_stages(path: Path = STAGES_FILE) -> StagesFile:
    try:
        return StagesFile.model_validate(read_yaml(path))
    except (yaml.YAMLError, ValidationError) as error:
        raise ConfigurationError(
            f"The stages file {path} is not valid: {error}", hint="Restore stages.yaml."
        ) from error


def stage_spec(stages: StagesFile, stage: Stage) -> StageSpec:
    return next(s for s in stages.stages if s.id == stage)


@dataclass(frozen=True)
class ConditionResult:
    id: str
    kind: str
    label: str
    status: ConditionStatus
    detail: str

    @property
    def met(self) -> bool:
        return self.status in (ConditionStatus.MET, ConditionStatus.NOT_APPLICABLE)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "status": str(self.status),
            "met": self.met,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class GateResult:
    from_stage: Stage
    to_stage: Stage | None
    conditions: tuple[ConditionResult, ...]

    @property
    def met(self) -> bool:
        return self.to_stage is not None and all(c.met for c in self.conditions)

    @property
    def unmet(self) -> list[ConditionResult]:
        return [c for c in self.conditions if not c.met]

    def as_dict(self) -> dict[str, Any]:
        return {
            "from_stage": str(self.from_stage),
            "to_stage": str(self.to_stage) if self.to_stage else None,
            "met": self.met,
            "conditions": [c.as_dict() for c in self.conditions],
            "unmet": [c.as_dict() for c in self.unmet],
        }


class _Checker:
    """Checks conditions for one project; results are (status, detail)."""

    def __init__(self, record: ProjectRecord, instruments: dict[str, Instrument]) -> None:
        self.record = record
        self.instruments = instruments
        self.reopened = record.reopened()

    def check(self, spec: ConditionSpec) -> ConditionResult:
        source = self.record.answers.get(spec.when.instrument) if spec.when else None
        if spec.when is not None and not spec.when.clause.holds(source.answers if source else {}):
            status, detail = ConditionStatus.NOT_APPLICABLE, "Does not apply to this project."
        else:
            handler: Callable[[ConditionSpec], tuple[ConditionStatus, str]] = getattr(
                self, f"_{spec.kind.value}"
            )
            status, detail = handler(spec)
        return ConditionResult(spec.id, str(spec.kind), spec.label, status, detail)

    # -- answers ---------------------------------------------------------------------------------
    def _reopened_note(self, instrument: str) -> str | None:
        if instrument in self.reopened:
            return f"'{instrument}' was reopened by a change of scope and must be answered again."
        return None

    def _answers(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        assert spec.instrument is not None
        answer_set = self.record.answers.get(spec.instrument)
        if answer_set is None:
            return ConditionStatus.UNMET, f"No answers recorded for '{spec.instrument}'."
        reopened = self._reopened_note(spec.instrument)
        if reopened:
            return ConditionStatus.UNMET, reopened
        wanted = list(spec.questions or [])
        if spec.first is not None:
            wanted = [q.id for q in self.instruments[spec.instrument].questions[: spec.first]]
        missing = [q for q in wanted if not is_answered(answer_set.answers.get(q))]
        if missing:
            return ConditionStatus.UNMET, f"Unanswered in '{spec.instrument}': {', '.join(missing)}."
        return ConditionStatus.MET, f"Answered ('{spec.instrument}' version {answer_set.version})."

    def _answer_value(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        assert spec.instrument is not None and spec.question is not None
        reopened = self._reopened_note(spec.instrument)
        if reopened:
            return ConditionStatus.UNMET, reopened
        value = self.record.answer(spec.instrument, spec.question)
        if value is None:
            return ConditionStatus.UNMET, f"'{spec.instrument}.{spec.question}' is not answered yet."
        wanted = spec.in_ if spec.in_ is not None else [spec.equals]
        if value in wanted:
            return ConditionStatus.MET, f"'{spec.question}' is {value!r}."
        shown = " or ".join(repr(w) for w in wanted)
        return ConditionStatus.UNMET, f"'{spec.question}' is {value!r}; it must be {shown}."

    def _signoff(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        found = [s for s in self.record.signoffs if s.role == spec.role and s.subject == spec.subject]
        if not found:
            return ConditionStatus.UNMET, f"No sign-off of '{spec.subject}' by a {spec.role}."
        latest = max(found, key=lambda s: s.signed_at)
        return (
            ConditionStatus.MET,
            f"Signed off by {latest.user} ({latest.role}) on {latest.signed_at:%Y-%m-%d}.",
        )

    # -- maturity and triage -----------------------------------------------------------------------
    def _maturity(self) -> Any:
        answer_set = self.record.answers.get("data_maturity")
        if answer_set is None:
            return None
        return score_maturity(self.instruments["data_maturity"], answer_set.answers)

    def _maturity_tier(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        maturity = self._maturity()
        chosen = self.record.answer("project_profile", "analytics_type")
        if maturity is None:
            return ConditionStatus.UNMET, "The data maturity self-assessment has no answers."
        if chosen is None:
            return ConditionStatus.UNMET, "The project profile does not declare the analytics type."
        if AnalyticsTier(chosen).rank <= maturity.tier.rank:
            return (
                ConditionStatus.MET,
                f"Maturity {maturity.level} allows up to {maturity.tier} analytics; {chosen} chosen.",
            )
        return (
            ConditionStatus.UNMET,
            f"Maturity {maturity.level} (overall {maturity.overall:.2f})"
            f" allows up to {maturity.tier} analytics, "
            f"but the project declares {chosen}.",
        )

    def _maturity_level(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        maturity = self._maturity()
        if maturity is None:
            return ConditionStatus.UNMET, "The data maturity self-assessment has no answers."
        scoring = self.instruments["data_maturity"].scoring
        order = [level.id for level in scoring.levels]  # type: ignore[union-attr]
        if order.index(maturity.level) <= order.index(str(spec.level)):
            return ConditionStatus.MET, f"Maturity level is {maturity.level}."
        return ConditionStatus.UNMET, f"Maturity level is {maturity.level}; {spec.level} is needed."

    def _triage_verdict(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        answer_set = self.record.answers.get("ethics_triage")
        if answer_set is None:
            return ConditionStatus.UNMET, "The ethics triage has not been taken."
        reopened = self._reopened_note("ethics_triage")
        if reopened:
            return ConditionStatus.UNMET, reopened
        result = score_triage(self.instruments["ethics_triage"], answer_set.answers)
        themes = ", ".join(t.label for t in result.themes) or "none"
        if result.verdict is TriageVerdict.RECONSIDER:
            return ConditionStatus.UNMET, f"The triage advises reconsidering the tool (themes: {themes})."
        if result.verdict is TriageVerdict.PROCEED_WITH_GOVERNANCE and not self.record.answer(
            "project_profile", "oversight_group"
        ):
            return (
                ConditionStatus.UNMET,
                "The triage calls for proportionate governance, but the profile names no oversight group.",
            )
        return (
            ConditionStatus.MET,
            f"Verdict {result.verdict}, risk {result.risk}; themes to address: {themes}.",
        )

    def _risk_log(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        count = len(self.record.risks)
        if count >= spec.min_count:
            return ConditionStatus.MET, f"{count} risk(s) logged."
        return ConditionStatus.UNMET, f"{count} risk(s) logged; at least {spec.min_count} needed."

    # -- evidence from Kinsight's own results ----------------------------------------------------
    def _data_quality(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        datasets = self.record.answer("project_profile", "datasets") or []
        if not datasets:
            return ConditionStatus.UNMET, "The project profile names no datasets."
        lacking, low, seen = [], [], []
        for dataset in datasets:
            evidence = self.record.latest_evidence(EvidenceKind.DATA_QUALITY, dataset)
            score = None if evidence is None else evidence.payload.get("score")
            if score is None:
                lacking.append(dataset)
            elif float(score) < float(spec.min_score or 0):
                low.append(f"{dataset} {float(score):g}")
            else:
                seen.append(f"{dataset} {float(score):g}")
        if lacking:
            extra = f"; below {spec.min_score:g}: {', '.join(low)}" if low else ""
            return ConditionStatus.NO_EVIDENCE, f"No data-quality score yet for: {', '.join(lacking)}{extra}."
        if low:
            return ConditionStatus.UNMET, f"Data-quality score below {spec.min_score:g}: {', '.join(low)}."
        return ConditionStatus.MET, f"Data-quality scores: {', '.join(seen)}."

    def _privacy(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        evidence = self.record.latest_evidence(EvidenceKind.PRIVACY)
        if evidence is None:
            return ConditionStatus.NO_EVIDENCE, "No privacy risk report yet."
        summary = evidence.payload.get("summary", "")
        if evidence.payload.get("passed") is True:
            return (
                ConditionStatus.MET,
                f"Privacy risk report passed ({evidence.recorded_at:%Y-%m-%d}). {summary}".strip(),
            )
        return ConditionStatus.UNMET, f"The latest privacy risk report did not pass. {summary}".strip()

    def _evaluation(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        criteria = self.record.answers.get("success_criteria")
        thresholds = {
            k: v for k, v in (criteria.answers if criteria else {}).items() if k.startswith(("min_", "max_"))
        }
        if not any(k != "min_group_size" for k in thresholds):
            return ConditionStatus.UNMET, "No accuracy thresholds were set at design."
        evidence = self.record.latest_evidence(EvidenceKind.EVALUATION)
        if evidence is None:
            return ConditionStatus.NO_EVIDENCE, "No alpha evaluation result yet."
        checks = check_thresholds(thresholds, evidence.payload)
        failed = [c for c in checks if not c.met]
        if failed:
            shown = "; ".join(f"{c.name} {_shown(c.actual)} (needs {c.rule} {c.required:g})" for c in failed)
            return ConditionStatus.UNMET, f"Thresholds not met: {shown}."
        return ConditionStatus.MET, f"All {len(checks)} threshold checks met."

    def _external_validation(self, spec: ConditionSpec) -> tuple[ConditionStatus, str]:
        current = self.record.current_validations()
        if not current:
            stale = " (earlier ones predate the last move back)" if self.record.validations else ""
            return ConditionStatus.NO_EVIDENCE, f"No external validation recorded{stale}."
        latest = max(current, key=lambda v: v.recorded_at)
        if latest.validated:
            return (
                ConditionStatus.MET,
                f"Validated by {latest.validator} ({latest.organisation}) on {latest.validated_on}.",
            )
        return ConditionStatus.UNMET, f"{latest.validator} ({latest.organisation}) did not validate the tool."


def _shown(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def evaluate_gate(
    record: ProjectRecord, instruments: dict[str, Instrument], stages: StagesFile | None = None
) -> GateResult:
    """The gate to leave the project's current stage forwards, with every condition checked."""
    stages = stages or load_stages()
    spec = stage_spec(stages, record.stage)
    checker = _Checker(record, instruments)
    results = [checker.check(condition) for condition in spec.gate]
    mentioned = {c.instrument for c in spec.gate if c.instrument}
    for instrument in sorted(set(checker.reopened) - mentioned):
        results.append(
            ConditionResult(
                f"reopened_{instrument}",
                "scope_change",
                f"'{instrument}' is reviewed after the change of scope",
                ConditionStatus.UNMET,
                f"A change of scope reopened '{instrument}'; answer it again.",
            )
        )
    if spec.next is None:
        results.append(
            ConditionResult(
                "final_stage",
                "lifecycle",
                "There is a next stage",
                ConditionStatus.UNMET,
                "Retirement is the last stage.",
            )
        )
    return GateResult(record.stage, spec.next, tuple(results))
