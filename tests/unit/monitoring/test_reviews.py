"""Reviews: checklist answers, the runs since the last review attached, decisions and their follow-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kinsight.errors import UsageError
from kinsight.governance.vocabulary import Actor
from kinsight.monitoring.checklist import checklist
from kinsight.services import governance
from kinsight.services import monitoring as svc
from kinsight.settings import Settings

from .conftest import OPERATOR


def _answers() -> dict[str, object]:
    return {q.id: "met" for q in checklist()}


def _live(settings: Settings, reference: Path, monkeypatch: pytest.MonkeyPatch, project: str = "") -> None:
    svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference, owner="ana", project=project)
    monkeypatch.setattr(svc, "today", lambda: date(2025, 1, 10))
    from kinsight.storage import monitoring_repo as repo

    with repo.session(settings.app_database_url) as s:  # stands in for a version that passed evaluation
        repo.get_version(s, repo.get_deployment(s, "tool"), "1").evaluation_passed = True
    svc.go_live(settings, OPERATOR, "tool", version="1")


def test_review_attaches_runs_since_the_last_one(
    settings: Settings, reference_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _live(settings, reference_csv, monkeypatch)
    first_runs = [
        svc.run(settings, OPERATOR, "tool", current=reference_csv, period=p)[0]["run"]
        for p in ("2025-01", "2025-02")
    ]
    first = svc.record_review(
        settings, OPERATOR, "tool", answers=_answers(), decision="continue", held_on=date(2025, 2, 10)
    )
    assert first["evidence_runs"] == first_runs
    assert first["due_on"] == date(2025, 2, 10) and not first["was_overdue"]
    later = svc.run(settings, OPERATOR, "tool", current=reference_csv, period="2025-03")[0]["run"]
    second = svc.record_review(
        settings, OPERATOR, "tool", answers=_answers(), decision="retrain", held_on=date(2025, 3, 20)
    )
    assert second["evidence_runs"] == [later]
    assert second["was_overdue"]  # due 10 March
    assert "retrain" in second["follow_up"]
    detail = svc.detail(settings, OPERATOR, "tool")
    assert [r["decision"] for r in detail["reviews"]] == ["continue", "retrain"]
    assert detail["reviews"][0]["signed_off_by"] == "ana"


def test_overdue_review_is_flagged(
    settings: Settings, reference_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _live(settings, reference_csv, monkeypatch)
    monkeypatch.setattr(svc, "today", lambda: date(2025, 3, 1))
    [item] = svc.status(settings, OPERATOR)
    assert item["review_overdue"] and item["days_overdue"] == 19
    assert [d["name"] for d in svc.overdue_reviews(settings)] == ["tool"]


def test_scope_change_reopens_governance_triage(
    settings: Settings, reference_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = Actor("ana", governance.LOCAL_OPERATOR)
    governance.create_project(settings, actor, "tool-project")
    _live(settings, reference_csv, monkeypatch, project="tool-project")
    result = svc.record_review(
        settings,
        OPERATOR,
        "tool",
        answers=_answers(),
        decision="change_scope",
        scope_description="add a second borough",
    )
    change = result["follow_up"]["scope_change"]
    assert change["done"] and "ethics_triage" in change["reopened"]
    assert any(e["event"] == "scope_change" for e in governance.history(settings, actor, "tool-project"))


def test_bad_reviews_refused(
    settings: Settings, reference_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _live(settings, reference_csv, monkeypatch)
    with pytest.raises(UsageError, match="Unknown decision"):
        svc.record_review(settings, OPERATOR, "tool", answers=_answers(), decision="shrug")
    with pytest.raises(UsageError, match="description"):
        svc.record_review(settings, OPERATOR, "tool", answers=_answers(), decision="change_scope")
    with pytest.raises(UsageError, match="incomplete"):
        svc.record_review(settings, OPERATOR, "tool", answers={"accuracy": "met"}, decision="continue")
