"""Run assessment: quality trend, challenges and usage sections against their thresholds."""

from __future__ import annotations

from kinsight.monitoring.assess import assess_challenges, assess_quality, assess_usage
from kinsight.monitoring.thresholds import default_thresholds, merged_thresholds


def test_quality_floor_and_drop() -> None:
    t = default_thresholds()
    rows = [
        {"dataset": "ssda903", "year": "2023-24", "score": 60.0},  # older year: ignored
        {"dataset": "ssda903", "year": "2024-25", "score": 93.0},
        {"dataset": "cin_census", "year": "2024-25", "score": 85.0},
    ]
    section, figures, alerts = assess_quality(rows, {"ssda903": 99.0, "cin_census": 86.0}, t)
    assert section.data["datasets"]["ssda903"]["drop"] == 6.0
    assert {a.subject for a in alerts} == {"ssda903", "cin_census"}  # a 6-point drop; below 90
    assert {f.subject: f.value for f in figures} == {"cin_census": 85.0, "ssda903": 93.0}
    section, _, alerts = assess_quality(
        rows, {"ssda903": 95.0}, merged_thresholds({"quality": {"min_score": 80}})
    )
    assert alerts == [] and section.status.value == "ok"
    assert assess_quality([], None, t)[0].status.value == "no_evidence"


def test_open_challenges_and_usage() -> None:
    t = default_thresholds()
    counts = {"received": 4, "triage": 2, "responded": 1, "resolved": 3, "total": 10}
    section, _, alerts = assess_challenges(counts, t)
    assert (section.data["raised"], section.data["resolved"], section.data["open"]) == (10, 3, 7)
    assert len(alerts) == 1
    assert assess_usage(0, t)[2] == []  # the usage alert is off by default
    assert len(assess_usage(2, merged_thresholds({"usage": {"min_events": 5}}))[2]) == 1
