"""Permission decisions match permissions.yaml read independently; field-level privacy decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import kinsight.domain as domain_pkg
from kinsight.domain.roles import Permission, PrivacyClass, Role
from kinsight.errors import PermissionDeniedError
from kinsight.services import access, audit
from kinsight.services.auth import Principal
from kinsight.settings import Settings

RAW = yaml.safe_load((Path(domain_pkg.__file__).parent / "permissions.yaml").read_text())


def test_every_role_and_permission_is_in_the_file() -> None:
    assert set(RAW["roles"]) == {r.value for r in Role}
    assert set(RAW["permissions"]) == {p.value for p in Permission}


@pytest.mark.parametrize("role", list(Role))
def test_casbin_decisions_match_the_file(role: Role) -> None:
    granted = set(RAW["roles"][role.value]["permissions"])
    for permission in Permission:
        assert access.role_allows(role, permission, "999") is (permission.value in granted), (
            role,
            permission,
        )


@pytest.mark.parametrize("role", list(Role))
def test_can_see_matches_the_file(role: Role) -> None:
    visible = set(RAW["roles"][role.value]["privacy"])
    for cls in PrivacyClass:
        assert access.can_see(role, cls) is (cls.value in visible)


def test_analysts_never_see_direct_identifiers_and_visible_fields_filters() -> None:
    class Field:
        def __init__(self, name: str, privacy: str) -> None:
            self.name, self.privacy = name, privacy

    fields = [Field("NAME", "direct_identifier"), Field("DOB", "quasi_identifier"), Field("LA", "other")]
    assert [f.name for f in access.visible_fields(Role.ANALYST, fields)] == ["DOB", "LA"]
    assert [f.name for f in access.visible_fields(Role.PRACTITIONER, fields)] == ["NAME", "DOB", "LA"]
    assert [f.name for f in access.visible_fields(Role.SENIOR_LEADER, fields)] == ["LA"]


def test_token_scopes_narrow_the_role() -> None:
    p = Principal(
        1, "bot", "bot", Role.ANALYST, "999", via="token", scopes=frozenset({Permission.CATALOGUE_VIEW})
    )
    assert access.is_allowed(p, Permission.CATALOGUE_VIEW)
    assert not access.is_allowed(p, Permission.DATA_EXPORT)  # the role allows it, the scope does not


def test_require_audits_allowed_and_refused(sqlite_settings: Settings) -> None:
    p = Principal(1, "pat", "Pat", Role.PRACTITIONER, "999")
    access.require(sqlite_settings, p, Permission.CHILD_VIEW, target="GET /x")
    with pytest.raises(PermissionDeniedError):
        access.require(sqlite_settings, p, Permission.AUDIT_VIEW, target="GET /audit")
    rows = audit.recent(sqlite_settings, action="access.decision")
    assert [(r.target, r.outcome, r.details["permission"]) for r in reversed(rows)] == [
        ("GET /x", "allowed", "child.view"),
        ("GET /audit", "refused", "audit.view"),
    ]
