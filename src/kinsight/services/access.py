"""Permission decisions: pycasbin RBAC with domains (domain = local authority code).

The role x permission matrix comes from ``domain/permissions.yaml``.  A person's role is held per
local authority (memberships), so the same person can hold different roles in the authorities of a
regional deployment.  Every decision made through ``require`` is written to the audit log, allowed
or refused.  ``can_see`` is the field-level decision by the spec's privacy class.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol, TypeVar

import casbin

from kinsight.domain.audit import AuditAction, Outcome
from kinsight.domain.roles import Permission, PrivacyClass, Role, load_matrix
from kinsight.errors import PermissionDeniedError
from kinsight.services import audit
from kinsight.services.auth import Principal
from kinsight.settings import Settings

_MODEL = """
[request_definition]
r = sub, dom, obj

[policy_definition]
p = sub, dom, obj

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && keyMatch(r.dom, p.dom) && r.obj == p.obj
"""


@lru_cache(maxsize=1)
def enforcer() -> casbin.Enforcer:
    """The enforcer built once from the matrix file; read-only afterwards, so safe across threads."""
    model = casbin.Enforcer.new_model(text=_MODEL)
    enf = casbin.Enforcer(model)
    rules = [
        [info.role.value, "*", p.value] for info in load_matrix().roles for p in sorted(info.permissions)
    ]
    enf.add_policies(rules)
    return enf


@lru_cache(maxsize=256)
def allowed_permissions(role: Role, la_code: str) -> frozenset[Permission]:
    """Everything ``role`` may do in ``la_code``, asked of the enforcer once and then remembered.

    The policy is read from the package's matrix file and never changes while the process runs, so
    the answers cannot go stale; one casbin call costs about half a millisecond, and a page asks
    one per menu item.
    """
    enf = enforcer()
    return frozenset(p for p in Permission if enf.enforce(role.value, la_code, p.value))


def role_allows(role: Role, permission: Permission, la_code: str) -> bool:
    return Permission(permission) in allowed_permissions(Role(role), la_code)


def is_allowed(principal: Principal | None, permission: Permission) -> bool:
    """The decision alone (no audit record): the role in the principal's authority, narrowed by scopes."""
    if principal is None:
        return False
    if principal.scopes is not None and permission not in principal.scopes:
        return False
    return role_allows(principal.role, permission, principal.la_code)


def permissions_of(principal: Principal | None) -> frozenset[Permission]:
    if principal is None:
        return frozenset()
    granted = allowed_permissions(principal.role, principal.la_code)
    return granted if principal.scopes is None else granted & principal.scopes


def require(
    settings: Settings,
    principal: Principal,
    permission: Permission,
    *,
    target: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Decide, record the decision in the audit log, and raise ``PermissionDeniedError`` when refused."""
    allowed = is_allowed(principal, permission)
    audit.record(
        settings,
        actor=principal.username,
        action=AuditAction.PERMISSION,
        target=target,
        outcome=Outcome.ALLOWED if allowed else Outcome.REFUSED,
        details={
            "permission": permission.value,
            "role": principal.role.value,
            "via": principal.via,
            **(details or {}),
        },
    )
    if not allowed:
        raise PermissionDeniedError(
            f"Your role ({principal.role.value.replace('_', ' ')}) does not allow this: {permission.value}.",
            hint="If your work needs it, ask your administrator; the Roles page lists who may do what.",
        )


def can_see(role: Role, privacy_class: PrivacyClass | str) -> bool:
    """Field-level restriction: may this role see fields of this privacy class?"""
    return load_matrix().sees(role, PrivacyClass(privacy_class))


class _HasPrivacy(Protocol):
    privacy: Any


T = TypeVar("T", bound=_HasPrivacy)


def visible_fields(role: Role, fields: Iterable[T]) -> list[T]:
    """The fields (anything with a ``privacy`` attribute, e.g. a spec's FieldSpec) this role may see."""
    return [f for f in fields if can_see(role, str(f.privacy))]
