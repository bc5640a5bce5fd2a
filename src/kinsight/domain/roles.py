"""Who may do what: the roles, the permissions, and the role x permission matrix (read from data).

The matrix itself lives in ``permissions.yaml`` beside this module so that it can be reviewed,
printed on a page and changed without touching code.  This module only names the closed sets and
reads the file into frozen values; the decisions are made by ``kinsight.services.access``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kinsight.domain.specs import PrivacyClass  # the spec's privacy classes: one vocabulary
from kinsight.domain.yamlfiles import parse_yaml

MATRIX_FILE = Path(__file__).with_name("permissions.yaml")


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    TEAM_MANAGER = "team_manager"
    ANALYST = "analyst"
    INFORMATION_GOVERNANCE = "information_governance"
    OVERSIGHT_MEMBER = "oversight_member"
    SENIOR_LEADER = "senior_leader"
    ADMIN = "admin"


class Permission(StrEnum):
    """One action a person may take.  Names read ``area.action``; scopes of API tokens use the same names."""

    CATALOGUE_VIEW = "catalogue.view"
    DICTIONARY_VIEW = "dictionary.view"
    OUTPUTS_VIEW = "outputs.view"
    CHILD_VIEW = "child.view"
    CHILD_SEARCH = "child.search"
    DATA_EXPORT = "data.export"
    DATA_LOAD = "data.load"
    QUALITY_VIEW = "quality.view"
    QUALITY_RUN = "quality.run"
    ANALYTICS_VIEW = "analytics.view"
    FORECAST_VIEW = "forecast.view"
    EVALUATION_VIEW = "evaluation.view"
    EVALUATION_RUN = "evaluation.run"
    MONITORING_VIEW = "monitoring.view"
    MONITORING_MANAGE = "monitoring.manage"
    MONITORING_RETIRE = "monitoring.retire"
    GOVERNANCE_VIEW = "governance.view"
    GOVERNANCE_EDIT = "governance.edit"
    GOVERNANCE_SIGN_OFF = "governance.sign_off"
    AUDIT_VIEW = "audit.view"
    AUDIT_VERIFY = "audit.verify"
    CHALLENGE_RAISE = "challenge.raise"
    CHALLENGE_MANAGE = "challenge.manage"
    ROLES_VIEW = "roles.view"
    USERS_VIEW = "users.view"
    USERS_MANAGE = "users.manage"
    TOKENS_MANAGE = "tokens.manage"


class _RoleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    purpose: str
    permissions: list[Permission]
    privacy: list[PrivacyClass]


class _PermissionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    sensitivity: str


class _MatrixFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    permissions: dict[Permission, _PermissionEntry]
    privacy_classes: dict[PrivacyClass, str]
    roles: dict[Role, _RoleEntry]


@dataclass(frozen=True)
class RoleInfo:
    role: Role
    label: str
    purpose: str
    permissions: frozenset[Permission]
    privacy: frozenset[PrivacyClass]


@dataclass(frozen=True)
class PermissionInfo:
    permission: Permission
    label: str
    sensitivity: str


@dataclass(frozen=True)
class Matrix:
    """The whole role x permission matrix and the role x privacy-class matrix, in file order."""

    roles: tuple[RoleInfo, ...]
    permissions: tuple[PermissionInfo, ...]
    privacy_classes: tuple[tuple[PrivacyClass, str], ...]

    def role(self, role: Role) -> RoleInfo:
        for info in self.roles:
            if info.role == role:
                return info
        raise KeyError(role)

    def allows(self, role: Role, permission: Permission) -> bool:
        return permission in self.role(role).permissions

    def sees(self, role: Role, privacy: PrivacyClass) -> bool:
        return privacy in self.role(role).privacy


def parse_matrix(text: str) -> Matrix:
    """Read the matrix file; every role and every permission must be listed, so nothing is implied."""
    parsed = _MatrixFile.model_validate(parse_yaml(text))
    missing_roles = set(Role) - set(parsed.roles)
    missing_perms = set(Permission) - set(parsed.permissions)
    missing_classes = set(PrivacyClass) - set(parsed.privacy_classes)
    if missing_roles or missing_perms or missing_classes:
        raise ValueError(
            "permissions.yaml must list every role, permission and privacy class; missing: "
            + ", ".join(sorted(map(str, missing_roles | missing_perms | missing_classes)))
        )
    return Matrix(
        roles=tuple(
            RoleInfo(role, e.label, e.purpose, frozenset(e.permissions), frozenset(e.privacy))
            for role, e in parsed.roles.items()
        ),
        permissions=tuple(PermissionInfo(p, e.label, e.sensitivity) for p, e in parsed.permissions.items()),
        privacy_classes=tuple(parsed.privacy_classes.items()),
    )


@lru_cache(maxsize=1)
def load_matrix() -> Matrix:
    return parse_matrix(MATRIX_FILE.read_text(encoding="utf-8"))
