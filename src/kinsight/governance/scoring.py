"""Turn answer sets into results: maturity level and tier, triage verdict and themes, risk levels.

The rules themselves are data in the instrument files; this module only applies them, so an
authority that changes a limit or a rule changes the YAML, never this code.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Any

from kinsight.errors import ConfigurationError
from kinsight.governance.definitions import (
    Instrument,
    MaturityScoring,
    QuestionType,
    RiskMatrix,
    TriageScoring,
)
from kinsight.governance.vocabulary import AnalyticsTier, RiskLevel, TriageVerdict


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    label: str
    score: float
    questions: int


@dataclass(frozen=True)
class MaturityResult:
    themes: tuple[ThemeScore, ...]
    overall: float
    level: str
    level_label: str
    meaning: str
    tier: AnalyticsTier

    def as_dict(self) -> dict[str, Any]:
        return {
            "themes": [t.__dict__ for t in self.themes],
            "overall": self.overall,
            "level": self.level,
            "level_label": self.level_label,
            "meaning": self.meaning,
            "highest_tier": str(self.tier),
        }


def _scoring(instrument: Instrument, kind: type) -> Any:
    if not isinstance(instrument.scoring, kind):
        raise ConfigurationError(
            f"Instrument '{instrument.id}' has no {kind.__name__} block.",
            hint="Restore the scoring section of the instrument file.",
        )
    return instrument.scoring


def score_maturity(instrument: Instrument, answers: dict[str, Any]) -> MaturityResult:
    """Theme score = mean of the theme's scale answers; overall = mean of theme scores.

    Levels are tried in file order; a level holds when every theme reaches ``min_theme_score`` and
    the overall score reaches ``min_overall`` (each only if set).  The last level is the fallback.
    """
    scoring: MaturityScoring = _scoring(instrument, MaturityScoring)
    by_theme: dict[str, list[float]] = {}
    for question in instrument.questions:
        if question.type is QuestionType.SCALE and question.theme and answers.get(question.id) is not None:
            by_theme.setdefault(question.theme, []).append(float(answers[question.id]))
    themes = tuple(
        ThemeScore(theme=t.id, label=t.label, score=fmean(by_theme[t.id]), questions=len(by_theme[t.id]))
        for t in instrument.themes
        if t.id in by_theme
    )
    if not themes:
        raise ConfigurationError(
            f"No scored answers for '{instrument.id}'.", hint="Answer the scale questions."
        )
    overall = fmean(t.score for t in themes)
    lowest = min(t.score for t in themes)
    for level in scoring.levels:
        if level.min_theme_score is not None and lowest < level.min_theme_score:
            continue
        if level.min_overall is not None and overall < level.min_overall:
            continue
        return MaturityResult(themes, overall, level.id, level.label, level.meaning.strip(), level.tier)
    raise AssertionError("the fallback level always matches")  # pragma: no cover


@dataclass(frozen=True)
class FlaggedTheme:
    theme: str
    label: str
    rationales: tuple[str, ...]


@dataclass(frozen=True)
class TriageResult:
    verdict: TriageVerdict
    verdict_text: str
    risk: RiskLevel
    fired_rules: tuple[str, ...]
    themes: tuple[FlaggedTheme, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "verdict_text": self.verdict_text,
            "risk_level": str(self.risk),
            "rules": list(self.fired_rules),
            "themes": [
                {"theme": t.theme, "label": t.label, "rationales": list(t.rationales)} for t in self.themes
            ],
        }


def score_triage(instrument: Instrument, answers: dict[str, Any]) -> TriageResult:
    """Fire every rule whose clauses all hold; verdict and risk are the most cautious among them."""
    scoring: TriageScoring = _scoring(instrument, TriageScoring)
    fired = [rule for rule in scoring.rules if all(clause.holds(answers) for clause in rule.when)]
    verdict = max((r.verdict for r in fired), key=lambda v: v.rank, default=TriageVerdict.CONTINUE)
    risk = max((r.risk for r in fired), key=lambda r: r.rank, default=RiskLevel.LOW)
    rationales: dict[str, list[str]] = {}
    for rule in fired:
        for theme in rule.themes:
            rationales.setdefault(theme, []).append(rule.rationale)
    themes = tuple(
        FlaggedTheme(t.id, t.label, tuple(rationales[t.id])) for t in instrument.themes if t.id in rationales
    )
    return TriageResult(verdict, scoring.verdicts[verdict].strip(), risk, tuple(r.id for r in fired), themes)


def risk_level(instrument: Instrument, row: dict[str, Any]) -> RiskLevel | None:
    """Overall level of one risk-log row from its likelihood and severity (None if either is missing)."""
    scoring: RiskMatrix = _scoring(instrument, RiskMatrix)
    likelihood = row.get(scoring.likelihood_question)
    severity = row.get(scoring.severity_question)
    if likelihood is None or severity is None:
        return None
    return scoring.matrix[likelihood][severity]
