"""Use cases of the practitioner view: search, a child's page, caseloads, break-glass review.

Every search (terms included) and every page view is an audit record, allowed or refused.  What a
person sees follows their role's privacy classes (``services.access.can_see``); which children they
reach follows their caseload or a recorded reason (``practitioner.access``).  The search index is
built once per store version and kept in memory; the store's file times tell when it changed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from kinsight.domain.audit import AuditAction, Outcome
from kinsight.domain.roles import Permission, PrivacyClass, Role
from kinsight.errors import (
    AuthenticationError,
    KinsightError,
    NotFoundError,
    PermissionDeniedError,
    UsageError,
)
from kinsight.practitioner import access as policy
from kinsight.practitioner.coverage import HeldSources, held_sources, service_contacts, source_coverage
from kinsight.practitioner.family import family_links
from kinsight.practitioner.index import SearchIndex, build_index, people_frame
from kinsight.practitioner.query import Query, parse_query
from kinsight.practitioner.ranking import rank
from kinsight.practitioner.timeline import store_tables, timeline
from kinsight.services import access, audit
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.storage import platform_repo
from kinsight.storage import practitioner_repo as repo
from kinsight.storage.models_practitioner import AccessGrant, CaseloadEntry
from kinsight.storage.practitioner_store import read_store

#: Privacy class needed to search by each kind of term (a child ID is how the record is named, so any
#: role that may open records may look one up by it).
TERM_CLASS = {
    "name": PrivacyClass.DIRECT_IDENTIFIER,
    "postcode": PrivacyClass.DIRECT_IDENTIFIER,
    "upn": PrivacyClass.DIRECT_IDENTIFIER,
    "date_of_birth": PrivacyClass.QUASI_IDENTIFIER,
}

#: Privacy class of each field of a child's card (from the identities and SSDA903 specs).
CARD_FIELDS = {
    "forename": PrivacyClass.DIRECT_IDENTIFIER,
    "surname": PrivacyClass.DIRECT_IDENTIFIER,
    "address": PrivacyClass.DIRECT_IDENTIFIER,
    "postcode": PrivacyClass.DIRECT_IDENTIFIER,
    "upn": PrivacyClass.DIRECT_IDENTIFIER,
    "date_of_birth": PrivacyClass.QUASI_IDENTIFIER,
}


# --- the index cache -------------------------------------------------------------------------------


def store_version(path: Path) -> str:
    """A cheap fingerprint of the store file (and its write-ahead log): changes whenever data is loaded."""
    parts = []
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            stat = candidate.stat()
            parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
    return "|".join(parts)


_CACHE: dict[str, SearchIndex] = {}
_LOCK = threading.Lock()


def search_index(settings: Settings) -> SearchIndex:
    """The index of the store's children, rebuilt only when the store has changed."""
    path = settings.store_path
    version = store_version(path)
    key = str(path.resolve())
    cached = _CACHE.get(key)
    if cached is not None and cached.version == version:
        return cached
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.version == version:
            return cached
        with read_store(path) as con:
            index = build_index(people_frame(con), version=version)
        _CACHE[key] = index
        return index


@dataclass(frozen=True)
class StoreFacts:
    """What every child page needs from the store but changes only when data is loaded."""

    version: str
    tables: frozenset[str]
    held: HeldSources


_FACTS: dict[str, StoreFacts] = {}


def store_facts(settings: Settings, con: Any) -> StoreFacts:
    """The store's table list and source coverage, read once per store version."""
    path = settings.store_path
    version = store_version(path)
    key = str(path.resolve())
    cached = _FACTS.get(key)
    if cached is not None and cached.version == version:
        return cached
    facts = StoreFacts(version, frozenset(store_tables(con)), held_sources(con))
    _FACTS[key] = facts
    return facts


# --- who is asking ---------------------------------------------------------------------------------


def principal_named(settings: Settings, username: str) -> Principal:
    """The principal of a local account, for the CLI's ``--as USER``; refused for unknown accounts."""
    with platform_repo.session(settings.app_database_url) as s:
        user = platform_repo.user_by_username(s, username.strip())
        role = platform_repo.role_of(s, user.id, settings.la_code) if user else None
        if user is None or not user.active or role is None:
            raise AuthenticationError(
                f"There is no active user called {username!r} with a role in this authority.",
                hint="`kinsight user list` shows the accounts; `kinsight user create` makes one.",
            )
        return Principal(user.id, user.username, user.display_name, Role(role), settings.la_code, via="cli")


def _sees(principal: Principal, cls: PrivacyClass) -> bool:
    return access.can_see(principal.role, cls)


def _caseload_ids(settings: Settings, username: str) -> list[str]:
    with platform_repo.session(settings.app_database_url) as s:
        return [e.child_id for e in repo.caseload(s, username)]


# --- search ----------------------------------------------------------------------------------------


def _card(index: SearchIndex, row: int, principal: Principal) -> dict[str, Any]:
    born = index.dob_of(row)
    values = {
        "forename": index.forename[row],
        "surname": index.surname[row],
        "address": index.address[row],
        "postcode": index.postcode[row],
        "upn": index.upn[row],
        "date_of_birth": born.isoformat() if born else None,
    }
    hidden = [name for name, cls in CARD_FIELDS.items() if not _sees(principal, cls)]
    card = {name: (None if name in hidden else value) for name, value in values.items()}
    card["name"] = (
        " ".join(p for p in (card["forename"], card["surname"]) if p) or None
        if "forename" not in hidden
        else None
    )
    card["hidden_fields"] = hidden
    return card


def _links(
    index: SearchIndex, row: int, principal: Principal, visible: set[str] | None
) -> list[dict[str, Any]]:
    found = []
    for link in family_links(index, row):
        in_scope = visible is None or (link.child is not None and link.child in visible)
        shows_names = _sees(principal, PrivacyClass.DIRECT_IDENTIFIER) and in_scope and link.row is not None
        found.append(
            {
                "relationship": link.link.value,
                "words": link.words,
                "child": link.child,
                "name": " ".join(p for p in (index.forename[link.row], index.surname[link.row]) if p)
                if shows_names and link.row is not None
                else None,
                "born": link.born.isoformat()
                if link.born and _sees(principal, PrivacyClass.QUASI_IDENTIFIER)
                else None,
                "source": link.source,
                "in_your_scope": in_scope,
            }
        )
    return found


def _check_term_kinds(principal: Principal, query: Query) -> Query:
    """Refuse terms the role may not search by (a short ID that looks like a postcode stays an ID)."""
    ambiguous = bool(query.outward) and query.outward in query.identifiers and not query.postcode
    if ambiguous and not _sees(principal, TERM_CLASS["postcode"]):
        query = replace(query, outward=None)
    refused = [
        kind for kind in query.kinds() if kind in TERM_CLASS and not _sees(principal, TERM_CLASS[kind])
    ]
    if refused:
        raise PermissionDeniedError(
            "Your role may not search by " + ", ".join(k.replace("_", " ") for k in refused) + ".",
            hint="Search by the child ID instead (for example the one named in a data-quality finding).",
        )
    return query


def _record_search(
    settings: Settings, principal: Principal, terms: str, outcome: str, details: dict[str, Any]
) -> int:
    seq = audit.record(
        settings,
        actor=principal.username,
        action=AuditAction.CHILD_SEARCH,
        target="search",
        outcome=outcome,
        details={"terms": terms, "via": principal.via, **details},
    )
    return seq


def search(
    settings: Settings,
    principal: Principal,
    terms: str,
    *,
    reason: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Find children by what was typed; each result says why it matched.  Audited with its terms."""
    access.require(settings, principal, Permission.CHILD_SEARCH, target="search")
    terms = " ".join((terms or "").split())[:300]
    try:
        query = parse_query(terms)
        if query.empty:
            raise UsageError(
                "Nothing to search for.",
                hint='Type a name, a date of birth, a postcode or a child ID, e.g. "Kate Smith 2015".',
            )
        query = _check_term_kinds(principal, query)
        caseload = _caseload_ids(settings, principal.username)
        scope = policy.decide_search(caseload_size=len(caseload), reason=reason)
    except KinsightError as error:
        _record_search(settings, principal, terms, Outcome.REFUSED, {"refused": error.code, "reason": reason})
        raise
    index = search_index(settings)
    allowed = None
    visible: set[str] | None = None
    if not scope.everyone:
        visible = set(caseload)
        allowed = np.zeros(index.size, dtype=bool)
        rows = [index.row_of[c] for c in caseload if c in index.row_of]
        allowed[rows] = True
    rules = policy.policy()
    matches = rank(
        index, query, allowed=allowed, limit=min(limit or rules.max_results, 100), min_score=rules.min_score
    )
    on_caseload = set(caseload)
    results = [
        {
            "child": m.child,
            "score": m.score,
            "why": list(m.why),
            "on_your_caseload": m.child in on_caseload,
            **_card(index, m.row, principal),
            "links": _links(index, m.row, principal, visible),
        }
        for m in matches
    ]
    seq = _record_search(
        settings,
        principal,
        terms,
        Outcome.ALLOWED,
        {
            "reason": scope.reason,
            "scope": "everyone" if scope.everyone else "caseload",
            "results": len(results),
        },
    )
    return {
        "terms": terms,
        "scope": "everyone" if scope.everyone else "your caseload",
        "reason": scope.reason,
        "understood": {
            "names": list(query.names),
            "date_of_birth": query.dob.text if query.dob else None,
            "postcode": query.postcode or query.outward,
            "identifiers": list(query.identifiers) + list(query.upns),
            "ignored": list(query.ignored),
        },
        "children_searched": int(index.size if allowed is None else allowed.sum()),
        "results": results,
        "audit_seq": seq,
    }


# --- a child's page --------------------------------------------------------------------------------


def _open_child(
    settings: Settings, principal: Principal, child: str, reason: str | None, break_glass: bool
) -> tuple[policy.ViewDecision, int]:
    now = audit.now_utc()
    target = f"child:{child}"
    with platform_repo.session(settings.app_database_url) as s:
        on_caseload = repo.open_entry(s, principal.username, child) is not None
        has_grant = repo.active_grant(s, principal.username, child, now) is not None
    try:
        decision = policy.decide_view(
            on_caseload=on_caseload, has_grant=has_grant, reason=reason, break_glass=break_glass
        )
    except KinsightError as error:
        audit.record(
            settings,
            actor=principal.username,
            action=AuditAction.CHILD_VIEW,
            target=target,
            outcome=Outcome.REFUSED,
            details={"refused": error.code, "via": principal.via},
        )
        raise
    seq = audit.record(
        settings,
        actor=principal.username,
        action=AuditAction.CHILD_VIEW,
        target=target,
        details={"basis": decision.basis.value, "reason": decision.reason, "via": principal.via},
    )
    if decision.new_grant:
        hours = policy.policy().reason_valid_hours
        with platform_repo.session(settings.app_database_url) as s:
            s.add(
                AccessGrant(
                    username=principal.username,
                    child_id=child,
                    reason=decision.reason or "",
                    break_glass=decision.basis == policy.Basis.BREAK_GLASS,
                    granted_at=now,
                    expires_at=now + timedelta(hours=hours),
                    audit_seq=seq,
                )
            )
    return decision, seq


def child_page(
    settings: Settings,
    principal: Principal,
    child: str,
    *,
    reason: str | None = None,
    break_glass: bool = False,
) -> dict[str, Any]:
    """Everything held about one child, newest first, with sources and last contacts.  Audited."""
    access.require(settings, principal, Permission.CHILD_VIEW, target=f"child:{child}")
    child = child.strip()
    index = search_index(settings)
    row = index.row_of.get(child)
    if row is None:
        raise NotFoundError(
            f"No child with ID {child} is held.", hint="Search for the child first: kinsight search"
        )
    decision, seq = _open_child(settings, principal, child, reason, break_glass)
    with read_store(settings.store_path) as con:
        facts = store_facts(settings, con)
        events = timeline(con, child, lambda cls: _sees(principal, cls), tables=set(facts.tables))
    sources = source_coverage(facts.held, events, in_identities=index.forename[row] is not None)
    with platform_repo.session(settings.app_database_url) as s:
        holders = [e.username for e in repo.holders_of(s, child)]
    return {
        "child": child,
        **_card(index, row, principal),
        "access": {"basis": decision.basis.value, "reason": decision.reason, "audit_seq": seq},
        "held_by": holders,
        "links": _links(index, row, principal, None),
        "timeline": [e.as_dict() for e in events],
        "sources": [c.as_dict() for c in sources],
        "last_contact": [c.as_dict() for c in service_contacts(events)],
    }


# --- caseloads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadView:
    username: str
    children: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"username": self.username, "children": list(self.children)}


def assign_caseload(settings: Settings, principal: Principal, child: str, username: str) -> dict[str, Any]:
    """Put a child on a practitioner's caseload (team managers and administrators only)."""
    if not policy.may_manage_caseloads(principal.role):
        audit.record(
            settings,
            actor=principal.username,
            action="caseload.assign",
            target=f"child:{child}",
            outcome=Outcome.REFUSED,
            details={"to": username},
        )
        raise PermissionDeniedError(
            "Only a team manager or an administrator may assign caseloads.",
            hint="Ask your team manager to assign the child to you.",
        )
    child = child.strip()
    if child not in search_index(settings).row_of:
        raise NotFoundError(f"No child with ID {child} is held.", hint="Check the ID: kinsight search")
    with platform_repo.session(settings.app_database_url) as s:
        user = platform_repo.user_by_username(s, username)
        role = platform_repo.role_of(s, user.id, settings.la_code) if user else None
        if user is None or role is None:
            raise NotFoundError(f"No user called {username} in this authority.", hint="kinsight user list")
        if not policy.may_hold_caseload(Role(role)):
            raise UsageError(
                f"{username} is a {role.replace('_', ' ')}: that role does not hold a caseload.",
                hint="Assign children to practitioners or team managers.",
            )
        existing = repo.open_entry(s, username, child)
        if existing is None:
            s.add(
                CaseloadEntry(
                    username=username,
                    child_id=child,
                    assigned_by=principal.username,
                    assigned_at=audit.now_utc(),
                )
            )
    audit.record(
        settings,
        actor=principal.username,
        action="caseload.assign",
        target=f"child:{child}",
        details={"to": username, "already": existing is not None},
    )
    return {"child": child, "username": username, "assigned": existing is None}


def caseload_of(settings: Settings, principal: Principal, username: str) -> CaseloadView:
    """A caseload: one's own, or anyone's for those who manage caseloads."""
    if username != principal.username and not policy.may_manage_caseloads(principal.role):
        raise PermissionDeniedError(
            "You may list only your own caseload.", hint="Team managers can list anyone's."
        )
    return CaseloadView(username, tuple(_caseload_ids(settings, username)))


# --- break-glass review ----------------------------------------------------------------------------


def _grant_dict(g: AccessGrant) -> dict[str, Any]:
    return {
        "id": g.id,
        "username": g.username,
        "child": g.child_id,
        "reason": g.reason,
        "granted_at": g.granted_at,
        "audit_seq": g.audit_seq,
        "reviewed_by": g.reviewed_by,
        "reviewed_at": g.reviewed_at,
        "outcome": g.review_outcome,
        "note": g.review_note,
    }


def break_glass_queue(
    settings: Settings, principal: Principal, *, pending_only: bool = True
) -> list[dict[str, Any]]:
    access.require(settings, principal, Permission.AUDIT_VIEW, target="break-glass review")
    with platform_repo.session(settings.app_database_url) as s:
        return [_grant_dict(g) for g in repo.break_glass_grants(s, pending_only=pending_only)]


REVIEW_OUTCOMES = ("justified", "not_justified")


def review_break_glass(
    settings: Settings, principal: Principal, grant_id: int, *, outcome: str, note: str
) -> dict[str, Any]:
    """Information governance records whether a break-glass access was justified."""
    access.require(settings, principal, Permission.AUDIT_VIEW, target="break-glass review")
    if outcome not in REVIEW_OUTCOMES:
        raise UsageError(f"Unknown outcome {outcome!r}.", hint="Use justified or not_justified.")
    with platform_repo.session(settings.app_database_url) as s:
        grant = s.get(AccessGrant, grant_id)
        if grant is None or not grant.break_glass:
            raise NotFoundError(f"No break-glass access numbered {grant_id}.", hint="See the review queue.")
        grant.reviewed_by = principal.username
        grant.reviewed_at = audit.now_utc()
        grant.review_outcome = outcome
        grant.review_note = " ".join(note.split())[:1000]
        body = _grant_dict(grant)
    audit.record(
        settings,
        actor=principal.username,
        action="access.break_glass_review",
        target=f"grant:{grant_id}",
        details={"outcome": outcome},
    )
    return body


# --- a score, where the evaluation area has one ----------------------------------------------------


def child_explanation(settings: Settings, child: str, *, show_score: bool = False) -> dict[str, Any] | None:
    """The factors behind the demonstration model's output for this child, score only when asked.

    ``None`` when no model has been trained or it holds no output for the child: the page then shows
    nothing rather than an empty box.  Call only after ``child_page`` has let the person in.
    """
    from kinsight.services import evaluation

    try:
        body = evaluation.model_explain(settings, child=child, limit=1, show_score=show_score)
    except NotFoundError:
        return None
    outputs = body.get("outputs") or []
    if not outputs:
        return None
    return {"notice": body.get("notice"), "score_shown": show_score, **outputs[0]}
