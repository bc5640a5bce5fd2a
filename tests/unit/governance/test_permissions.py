"""Governance use cases follow the platform's permission matrix; signatories sign in their own name."""

from __future__ import annotations

import pytest

from kinsight.errors import PermissionDeniedError
from kinsight.services import governance as svc
from kinsight.settings import Settings


def test_roles_are_checked(sqlite_settings: Settings) -> None:
    analyst = svc.Actor("ana", "analyst")
    leader = svc.Actor("lee", "senior_leader")
    oversight = svc.Actor("ova", "oversight_member")
    svc.create_project(sqlite_settings, analyst, "p")
    assert svc.status(sqlite_settings, oversight, "p")["stage"] == "problem_identification"
    with pytest.raises(PermissionDeniedError):
        svc.answer(sqlite_settings, oversight, "p", "user_needs", {"engagement": "x"})
    with pytest.raises(PermissionDeniedError):
        svc.signoff(sqlite_settings, analyst, "p", role="senior_leader", user="ana", subject="business_case")
    with pytest.raises(PermissionDeniedError):
        svc.signoff(
            sqlite_settings, leader, "p", role="senior_leader", user="someone else", subject="business_case"
        )
    signed = svc.signoff(
        sqlite_settings, leader, "p", role="senior_leader", user="lee", subject="business_case"
    )
    assert signed["user"] == "lee"
    with pytest.raises(PermissionDeniedError):
        svc.create_project(sqlite_settings, svc.Actor("x", "not_a_role"), "q")
