"""Challenges: lifecycle, allowed transitions, who sees what, and counts checked by hand."""

from __future__ import annotations

import pytest

from kinsight.errors import ConflictError, NotFoundError, PermissionDeniedError, UsageError
from kinsight.services import accounts, challenges
from kinsight.settings import Settings

PW = "paper lantern orbit 42"


@pytest.fixture
def people(app_settings: Settings) -> Settings:
    accounts.create_user(app_settings, "pat", role="practitioner", password=PW, display_name="Pat Smith")
    accounts.create_user(app_settings, "ivy", role="information_governance", password=PW)
    return app_settings


def test_public_challenge_through_to_resolution(people: Settings) -> None:
    raised = challenges.create(
        people,
        output_ref="/forecast/2025",
        summary="The numbers look too high",
        name="A parent",
        contact="p@example.org",
    )
    assert raised.status is challenges.ChallengeStatus.RECEIVED and raised.reference.startswith("CH-")
    ivy = accounts.sign_in(people, "ivy", PW)
    challenges.update(people, ivy, raised.reference, status="triage")
    with pytest.raises(UsageError):
        challenges.update(people, ivy, raised.reference, status="resolved")  # a resolution needs a response
    done = challenges.update(
        people, ivy, raised.reference, status="resolved", note="We corrected the method."
    )
    seen = challenges.get(people, raised.reference.lower())
    assert seen.status is challenges.ChallengeStatus.RESOLVED and seen.response == "We corrected the method."
    assert [e.status.value for e in seen.events] == ["received", "triage", "resolved"]
    assert done.raised_by == "A parent"
    with pytest.raises(ConflictError, match="cannot move"):
        challenges.update(people, ivy, raised.reference, status="triage")


def test_anonymous_challenge_keeps_no_name_or_contact(people: Settings) -> None:
    pat = accounts.sign_in(people, "pat", PW)
    raised = challenges.create(
        people,
        output_ref="/x",
        summary="Why?",
        kind="question",
        principal=pat,
        name="ignored",
        contact="ignored",
        anonymous=True,
    )
    assert raised.raised_by is None and raised.anonymous
    assert challenges.list_for(people, pat) == []  # not linked to the person at all


def test_practitioners_see_their_own_and_cannot_manage(people: Settings) -> None:
    pat = accounts.sign_in(people, "pat", PW)
    mine = challenges.create(people, output_ref="/a", summary="Mine", principal=pat)
    challenges.create(people, output_ref="/b", summary="Someone else's")
    assert [c.reference for c in challenges.list_for(people, pat)] == [mine.reference]
    ivy = accounts.sign_in(people, "ivy", PW)
    assert len(challenges.list_for(people, ivy)) == 2
    with pytest.raises(PermissionDeniedError):
        challenges.update(people, pat, mine.reference, status="triage")
    with pytest.raises(NotFoundError):
        challenges.get(people, "CH-NOTREAL1")


def test_counts_match_a_hand_count(people: Settings) -> None:
    ivy = accounts.sign_in(people, "ivy", PW)
    refs = [challenges.create(people, output_ref=f"/o{i}", summary=f"c{i}").reference for i in range(5)]
    challenges.update(people, ivy, refs[0], status="triage")
    challenges.update(people, ivy, refs[1], status="responded", note="Answered")
    challenges.update(people, ivy, refs[2], status="triage")
    challenges.update(people, ivy, refs[2], status="resolved", note="Fixed")
    expected = {"received": 2, "triage": 1, "responded": 1, "resolved": 1, "total": 5}
    assert challenges.counts(people) == expected
    from datetime import datetime, timedelta

    assert challenges.counts(people, since=datetime.utcnow() + timedelta(days=1))["total"] == 0


def test_empty_summary_is_refused(people: Settings) -> None:
    with pytest.raises(UsageError):
        challenges.create(people, output_ref="/x", summary="   ")
