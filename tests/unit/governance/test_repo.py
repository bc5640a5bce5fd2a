"""Governance storage: versions increase, nothing is updated or deleted; SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from kinsight.governance.vocabulary import Actor, EvidenceKind, SignoffRole, Stage
from kinsight.storage import governance_repo as repo
from kinsight.storage.appdb import Base, make_engine
from kinsight.storage.models_governance import GOVERNANCE_TABLES, AppendOnlyViolation, GovAnswerSet

ACTOR = Actor("tester", "analyst")


@pytest.fixture
def session(app_db_url: str):
    """A session on a fresh database of each backend (conftest's ``app_db_url``)."""
    engine = make_engine(app_db_url)
    Base.metadata.create_all(engine, tables=GOVERNANCE_TABLES)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_answers_are_versioned_and_loaded_latest(session: Session) -> None:
    project = repo.create_project(session, name="p", title="P", la_code="999", actor=ACTOR)
    for n in (1, 2, 3):
        row = repo.add_answers(
            session,
            project,
            instrument="user_needs",
            instrument_version=1,
            answers={"engagement": f"round {n}"},
            actor=ACTOR,
        )
        assert row.version == n
    session.commit()
    record = repo.load_record(session, project)
    assert record.answers["user_needs"].answers == {"engagement": "round 3"}
    assert [a.version for a in repo.answer_history(session, project, "user_needs")] == [1, 2, 3]
    assert record.stage is Stage.PROBLEM_IDENTIFICATION and record.history[0].direction == "create"


def test_stored_records_can_be_neither_changed_nor_deleted(session: Session) -> None:
    project = repo.create_project(session, name="p", title="P", la_code="999", actor=ACTOR)
    row = repo.add_answers(
        session,
        project,
        instrument="user_needs",
        instrument_version=1,
        answers={"engagement": "x"},
        actor=ACTOR,
    )
    session.commit()
    row.answers = {"engagement": "rewritten"}
    with pytest.raises(AppendOnlyViolation):
        session.commit()
    session.rollback()
    session.delete(session.get(GovAnswerSet, row.id))
    with pytest.raises(AppendOnlyViolation):
        session.commit()
    session.rollback()
    with pytest.raises(AppendOnlyViolation):
        session.delete(project)
        session.flush()


def test_risks_signoffs_evidence_round_trip(session: Session) -> None:
    project = repo.create_project(session, name="p", title="P", la_code="999", actor=ACTOR)
    repo.add_risks(session, project, [({"ref": "R1", "description": "a"}, "low")], ACTOR)
    repo.add_risks(
        session, project, [({"ref": "R1", "description": "b"}, "high"), ({"ref": "R2"}, None)], ACTOR
    )
    repo.add_signoff(
        session,
        project,
        role=SignoffRole.SENIOR_LEADER,
        subject="business_case",
        user="D",
        note="",
        actor=ACTOR,
    )
    repo.add_evidence(
        session,
        project,
        kind=EvidenceKind.PRIVACY,
        subject="",
        payload={"passed": True},
        source="test",
        actor=ACTOR,
    )
    session.commit()
    record = repo.load_record(session, project)
    assert [(r.ref, r.version, r.level) for r in record.risks] == [("R1", 2, "high"), ("R2", 1, None)]
    assert record.signoffs[0].role is SignoffRole.SENIOR_LEADER
    assert record.latest_evidence(EvidenceKind.PRIVACY).payload == {"passed": True}
    assert record.created_at.tzinfo is not None


def test_duplicate_project_name_is_a_conflict(session: Session) -> None:
    from kinsight.errors import ConflictError

    repo.create_project(session, name="p", title="P", la_code="999", actor=ACTOR)
    with pytest.raises(ConflictError):
        repo.create_project(session, name="p", title="P", la_code="999", actor=ACTOR)
