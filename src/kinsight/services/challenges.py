"""Challenge and feedback: anyone can question an output; it is tracked to a resolution they can see.

A challenge carries the output it is about (a page path or output id), moves through
received -> triage -> responded -> resolved, and has a reference the raiser uses to check its status
(no sign-in needed).  ``counts`` feeds monitoring.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kinsight.domain.audit import AuditAction
from kinsight.domain.roles import Permission
from kinsight.errors import ConflictError, NotFoundError, UsageError
from kinsight.services import audit
from kinsight.services.access import is_allowed, require
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.storage import platform_repo as repo
from kinsight.storage.models_platform import Challenge, ChallengeEvent

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_SUMMARY = 4000


class ChallengeStatus(StrEnum):
    RECEIVED = "received"
    TRIAGE = "triage"
    RESPONDED = "responded"
    RESOLVED = "resolved"


class ChallengeKind(StrEnum):
    CONCERN = "concern"
    QUESTION = "question"
    CORRECTION = "correction"


NEXT: dict[ChallengeStatus, tuple[ChallengeStatus, ...]] = {
    ChallengeStatus.RECEIVED: (ChallengeStatus.TRIAGE, ChallengeStatus.RESPONDED),
    ChallengeStatus.TRIAGE: (ChallengeStatus.RESPONDED, ChallengeStatus.RESOLVED),
    ChallengeStatus.RESPONDED: (ChallengeStatus.TRIAGE, ChallengeStatus.RESOLVED),
    ChallengeStatus.RESOLVED: (),
}


@dataclass(frozen=True)
class ChallengeEventView:
    at: datetime
    status: ChallengeStatus
    note: str | None


@dataclass(frozen=True)
class ChallengeView:
    reference: str
    output_ref: str
    kind: ChallengeKind
    summary: str
    status: ChallengeStatus
    response: str | None
    raised_by: str | None
    anonymous: bool
    created_at: datetime
    updated_at: datetime
    events: tuple[ChallengeEventView, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "output_ref": self.output_ref,
            "kind": self.kind.value,
            "summary": self.summary,
            "status": self.status.value,
            "response": self.response,
            "raised_by": self.raised_by,
            "anonymous": self.anonymous,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "events": [{"at": e.at, "status": e.status.value, "note": e.note} for e in self.events],
            "next_statuses": [s.value for s in NEXT[self.status]],
        }


def _view(c: Challenge, events: list[ChallengeEvent] | None = None) -> ChallengeView:
    raised = None if c.anonymous else c.raiser_name
    return ChallengeView(
        c.reference,
        c.output_ref,
        ChallengeKind(c.kind),
        c.summary,
        ChallengeStatus(c.status),
        c.response,
        raised,
        c.anonymous,
        c.created_at,
        c.updated_at,
        tuple(ChallengeEventView(e.at, ChallengeStatus(e.status), e.note) for e in events or []),
    )


def _new_reference() -> str:
    return "CH-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def create(
    settings: Settings,
    *,
    output_ref: str,
    summary: str,
    kind: str = ChallengeKind.CONCERN,
    principal: Principal | None = None,
    name: str | None = None,
    contact: str | None = None,
    anonymous: bool = False,
) -> ChallengeView:
    """Record a challenge.  Without a principal it comes from the public form (optionally anonymous)."""
    text = (summary or "").strip()
    if not text:
        raise UsageError("Say what your concern or question is.", hint="A sentence or two is enough.")
    if len(text) > MAX_SUMMARY:
        raise UsageError(f"Keep it under {MAX_SUMMARY} characters.", hint="Give the main points.")
    try:
        chosen = ChallengeKind(kind)
    except ValueError as error:
        raise UsageError(f"Unknown kind {kind!r}.", hint="concern, question or correction") from error
    now = audit.now_utc()
    if principal is not None:
        require(settings, principal, Permission.CHALLENGE_RAISE, target=f"challenge:{output_ref}")
    raiser = None if anonymous else (principal.display_name if principal else (name or "").strip() or None)
    with repo.session(settings.app_database_url) as s:
        reference = _new_reference()
        while repo.challenge_by_reference(s, reference) is not None:
            reference = _new_reference()
        row = Challenge(
            reference=reference,
            la_code=settings.la_code,
            output_ref=output_ref.strip()[:400] or "/",
            kind=chosen.value,
            summary=text,
            raised_by=principal.user_id if principal and not anonymous else None,
            raiser_name=raiser,
            contact=None if anonymous else ((contact or "").strip() or None),
            anonymous=anonymous,
            status=ChallengeStatus.RECEIVED.value,
            response=None,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        s.add(
            ChallengeEvent(
                challenge_id=row.id,
                at=now,
                actor=principal.username if principal else "public",
                status=ChallengeStatus.RECEIVED.value,
                note=None,
            )
        )
    audit.record(
        settings,
        actor=principal.username if principal and not anonymous else "public",
        action=AuditAction.CHALLENGE_CREATE,
        target=reference,
        details={"output": row.output_ref},
    )
    return _view(row)


def get(settings: Settings, reference: str) -> ChallengeView:
    """A challenge and its history by reference: what the raiser sees on the status page."""
    with repo.session(settings.app_database_url) as s:
        row = repo.challenge_by_reference(s, reference.strip().upper())
        if row is None or row.la_code != settings.la_code:
            raise NotFoundError(
                "There is no challenge with that reference.", hint="References look like CH-AB12CD34."
            )
        return _view(row, repo.challenge_events(s, row.id))


def list_for(settings: Settings, principal: Principal, status: str | None = None) -> list[ChallengeView]:
    """Everyone's challenges for those who manage them; otherwise only the person's own."""
    manages = is_allowed(principal, Permission.CHALLENGE_MANAGE)
    with repo.session(settings.app_database_url) as s:
        rows = repo.challenges(
            s, la_code=settings.la_code, raised_by=None if manages else principal.user_id, status=status
        )
        return [_view(r) for r in rows]


def update(
    settings: Settings, principal: Principal, reference: str, *, status: str, note: str | None = None
) -> ChallengeView:
    """Move a challenge on (triage, respond, resolve).  The note of a response is shown to the raiser."""
    require(settings, principal, Permission.CHALLENGE_MANAGE, target=f"challenge:{reference}")
    try:
        wanted = ChallengeStatus(status)
    except ValueError as error:
        raise UsageError(
            f"Unknown status {status!r}.", hint=", ".join(s.value for s in ChallengeStatus)
        ) from error
    text = (note or "").strip() or None
    now = audit.now_utc()
    with repo.session(settings.app_database_url) as s:
        row = repo.challenge_by_reference(s, reference.strip().upper())
        if row is None or row.la_code != settings.la_code:
            raise NotFoundError(
                "There is no challenge with that reference.", hint="References look like CH-AB12CD34."
            )
        current = ChallengeStatus(row.status)
        if wanted not in NEXT[current]:
            allowed = ", ".join(s.value for s in NEXT[current]) or "none (it is resolved)"
            raise ConflictError(
                f"A challenge that is {current.value} cannot move to {wanted.value}.",
                hint=f"Next steps allowed: {allowed}.",
            )
        if wanted in (ChallengeStatus.RESPONDED, ChallengeStatus.RESOLVED) and text is None:
            raise UsageError(
                "Write the response the person will see.", hint="Say what was found and what will change."
            )
        row.status = wanted.value
        row.updated_at = now
        if text is not None:
            row.response = text
        s.add(
            ChallengeEvent(
                challenge_id=row.id, at=now, actor=principal.username, status=wanted.value, note=text
            )
        )
        s.flush()
        view = _view(row, repo.challenge_events(s, row.id))
    audit.record(
        settings,
        actor=principal.username,
        action=AuditAction.CHALLENGE_UPDATE,
        target=view.reference,
        details={"status": wanted.value},
    )
    return view


def counts(settings: Settings, since: datetime | None = None) -> dict[str, int]:
    """Challenges by status (every status present, zero when none) plus ``total``; for monitoring."""
    with repo.session(settings.app_database_url) as s:
        found = repo.challenge_counts(s, la_code=settings.la_code, since=since)
    result = {status.value: found.get(status.value, 0) for status in ChallengeStatus}
    result["total"] = sum(result.values())
    return result
