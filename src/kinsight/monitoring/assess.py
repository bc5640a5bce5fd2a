"""Turn what a monitoring run gathered into sections, stored figures and alerts.

A run looks at five things (the guidance's review list): input-data drift, input data-quality, accuracy
(overall and per group) as outcomes arrive, use of the tool, and challenges and feedback.  Each section
is ``ok``, ``breach`` or ``no_evidence``; a missing source is recorded as "no evidence available" rather
than failing the run or inventing figures.  Every breach becomes one alert draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kinsight.monitoring.drift import DriftReport
from kinsight.monitoring.thresholds import MonitoringThresholds

NO_EVIDENCE = "no evidence available"
ACCURACY_METRICS = ("accuracy", "precision", "recall", "roc_auc")


class Section(StrEnum):
    DRIFT = "drift"
    QUALITY = "quality"
    ACCURACY = "accuracy"
    USAGE = "usage"
    CHALLENGES = "challenges"


class SectionStatus(StrEnum):
    OK = "ok"
    BREACH = "breach"
    NO_EVIDENCE = "no_evidence"


@dataclass(frozen=True)
class SectionResult:
    section: Section
    status: SectionStatus
    summary: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status.value, "summary": self.summary, **self.data}


@dataclass(frozen=True)
class Figure:
    """One number kept per run so it can be charted over time (PSI of a field, recall of a group ...)."""

    section: Section
    subject: str
    metric: str
    value: float | None
    threshold: float | None
    breached: bool


@dataclass(frozen=True)
class AlertDraft:
    section: Section
    subject: str
    message: str


@dataclass(frozen=True)
class Assessment:
    sections: tuple[SectionResult, ...]
    figures: tuple[Figure, ...]
    alerts: tuple[AlertDraft, ...]

    @property
    def breached(self) -> bool:
        return bool(self.alerts)

    def as_dict(self) -> dict[str, Any]:
        return {s.section.value: s.as_dict() for s in self.sections}


def _missing(section: Section, why: str = "") -> SectionResult:
    return SectionResult(section, SectionStatus.NO_EVIDENCE, NO_EVIDENCE + (f": {why}" if why else ""))


def assess_drift(report: DriftReport | None) -> tuple[SectionResult, list[Figure], list[AlertDraft]]:
    if report is None:
        return _missing(Section.DRIFT, "no current input data"), [], []
    t = report.thresholds
    figures = [Figure(Section.DRIFT, f.field, "psi", f.psi, t.psi_drift, f.drifted) for f in report.fields]
    alerts = [
        AlertDraft(
            Section.DRIFT,
            f.field,
            f"Input field {f.field} has drifted from the reference data: PSI {f.psi:.3f} "
            f"(threshold {t.psi_drift}), {f.test.value} p-value {f.p_value:.2g} (below {t.p_value}).",
        )
        for f in report.fields
        if f.drifted and f.psi is not None and f.p_value is not None
    ]
    watch = [f.field for f in report.fields if f.status.value == "watch"]
    summary = (
        f"{len(alerts)} of {len(report.fields)} fields drifted"
        + (f" ({', '.join(report.drifted_fields)})" if alerts else "")
        + (f"; {len(watch)} to watch ({', '.join(watch)})" if watch else "")
    )
    status = SectionStatus.BREACH if alerts else SectionStatus.OK
    return SectionResult(Section.DRIFT, status, summary, report.as_dict()), figures, alerts


def assess_quality(
    scores: list[Mapping[str, Any]] | None,
    previous: Mapping[str, float] | None,
    t: MonitoringThresholds,
) -> tuple[SectionResult, list[Figure], list[AlertDraft]]:
    """Latest score per dataset (its newest collection year) against the floor and the previous run."""
    latest: dict[str, Mapping[str, Any]] = {}
    for row in scores or []:
        name, score = row.get("dataset"), row.get("score")
        if not name or not isinstance(score, int | float):
            continue
        if name not in latest or str(row.get("year") or "") > str(latest[name].get("year") or ""):
            latest[str(name)] = row
    if not latest:
        return _missing(Section.QUALITY, "no data-quality checks have been run"), [], []
    figures, alerts, rows = [], [], {}
    for name, row in sorted(latest.items()):
        score = float(row["score"])
        before = (previous or {}).get(name)
        drop = None if before is None else before - score
        low = score < t.quality.min_score
        fell = drop is not None and drop > t.quality.max_drop
        figures.append(Figure(Section.QUALITY, name, "score", score, t.quality.min_score, low or fell))
        rows[name] = {"year": row.get("year"), "score": score, "previous": before, "drop": drop}
        if low:
            alerts.append(
                AlertDraft(
                    Section.QUALITY,
                    name,
                    f"Input data quality for {name} is {score:.1f}, below {t.quality.min_score}.",
                )
            )
        elif fell:
            alerts.append(
                AlertDraft(
                    Section.QUALITY,
                    name,
                    f"Input data quality for {name} fell by {drop:.1f} points to {score:.1f} "
                    f"(more than {t.quality.max_drop}).",
                )
            )
    status = SectionStatus.BREACH if alerts else SectionStatus.OK
    summary = "; ".join(f"{k} {v['score']:.1f}" for k, v in rows.items())
    return SectionResult(Section.QUALITY, status, summary, {"datasets": rows}), figures, alerts


def assess_accuracy(
    result: Mapping[str, Any] | None, t: MonitoringThresholds
) -> tuple[SectionResult, list[Figure], list[AlertDraft]]:
    """An evaluation of the period's predictions against arrived outcomes, with its verdict if any."""
    if result is None:
        return _missing(Section.ACCURACY, "no outcomes have arrived"), [], []
    overall = result.get("overall") or {}
    n = int(overall.get("n") or 0)
    enough = n >= t.accuracy.min_outcomes
    verdict = result.get("verdict")
    failing = [r for r in (verdict or {}).get("results", []) if not r.get("met")]
    figures = [
        Figure(Section.ACCURACY, "overall", m, overall.get(m), None, False)
        for m in ACCURACY_METRICS
        if m in overall
    ]
    for group, block in sorted((result.get("by_group") or {}).items()):
        if block.get("suppressed"):
            continue
        for m in ("accuracy", "recall"):
            figures.append(Figure(Section.ACCURACY, str(group), m, block.get(m), None, False))
    alerts = (
        [
            AlertDraft(
                Section.ACCURACY,
                r["threshold"],
                f"Accuracy threshold not met: {r['threshold']} ({r['evidence']}).",
            )
            for r in failing
        ]
        if enough
        else []
    )
    data = {
        "n": n,
        "overall": {m: overall.get(m) for m in ACCURACY_METRICS if m in overall},
        "by_group": {
            g: {"n": b.get("n_display"), **{m: b.get(m) for m in ("accuracy", "recall", "precision")}}
            for g, b in sorted((result.get("by_group") or {}).items())
        },
        "verdict": verdict,
    }
    if not enough:
        summary = f"{n} outcomes: fewer than {t.accuracy.min_outcomes}, so thresholds are not judged yet"
    elif verdict is None:
        summary = f"{n} outcomes; no accuracy thresholds were approved for this deployment"
    else:
        summary = f"{n} outcomes; {len(failing)} of {len(verdict.get('results', []))} thresholds not met"
    status = SectionStatus.BREACH if alerts else SectionStatus.OK
    return SectionResult(Section.ACCURACY, status, summary, data), figures, alerts


def assess_usage(
    events: int | None, t: MonitoringThresholds
) -> tuple[SectionResult, list[Figure], list[AlertDraft]]:
    if events is None:
        return _missing(Section.USAGE, "the audit log could not be read"), [], []
    low = t.usage.min_events > 0 and events < t.usage.min_events
    alerts = (
        [
            AlertDraft(
                Section.USAGE,
                "use",
                f"Only {events} recorded uses since the previous run"
                f" (expected at least {t.usage.min_events}).",
            )
        ]
        if low
        else []
    )
    figure = Figure(Section.USAGE, "events", "count", float(events), float(t.usage.min_events) or None, low)
    status = SectionStatus.BREACH if low else SectionStatus.OK
    return (
        SectionResult(
            Section.USAGE, status, f"{events} recorded uses since the previous run", {"events": events}
        ),
        [figure],
        alerts,
    )


def assess_challenges(
    counts: Mapping[str, int] | None, t: MonitoringThresholds
) -> tuple[SectionResult, list[Figure], list[AlertDraft]]:
    if counts is None:
        return _missing(Section.CHALLENGES, "challenges are not recorded here"), [], []
    resolved = int(counts.get("resolved", 0))
    total = int(counts.get("total", 0))
    open_ = total - resolved
    breach = open_ > t.challenges.max_open
    alerts = (
        [
            AlertDraft(
                Section.CHALLENGES,
                "open",
                f"{open_} challenges or feedback items are still open (more than {t.challenges.max_open}).",
            )
        ]
        if breach
        else []
    )
    figures = [
        Figure(Section.CHALLENGES, "raised", "count", float(total), None, False),
        Figure(Section.CHALLENGES, "open", "count", float(open_), float(t.challenges.max_open), breach),
    ]
    data = {"raised": total, "resolved": resolved, "open": open_, "by_status": dict(counts)}
    summary = f"{total} raised, {resolved} resolved, {open_} open"
    return (
        SectionResult(
            Section.CHALLENGES, SectionStatus.BREACH if breach else SectionStatus.OK, summary, data
        ),
        figures,
        alerts,
    )


def assess(
    *,
    thresholds: MonitoringThresholds,
    drift: DriftReport | None,
    quality_scores: list[Mapping[str, Any]] | None,
    previous_quality: Mapping[str, float] | None,
    accuracy: Mapping[str, Any] | None,
    usage_events: int | None,
    challenge_counts: Mapping[str, int] | None,
) -> Assessment:
    parts = [
        assess_drift(drift),
        assess_quality(quality_scores, previous_quality, thresholds),
        assess_accuracy(accuracy, thresholds),
        assess_usage(usage_events, thresholds),
        assess_challenges(challenge_counts, thresholds),
    ]
    return Assessment(
        sections=tuple(p[0] for p in parts),
        figures=tuple(f for p in parts for f in p[1]),
        alerts=tuple(a for p in parts for a in p[2]),
    )
