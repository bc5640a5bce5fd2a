"""The timeline, sources and family links on a hand-made store, against expectations written by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kinsight.domain.specs import PrivacyClass
from kinsight.practitioner.coverage import held_sources, service_contacts, source_coverage
from kinsight.practitioner.family import Link, family_links
from kinsight.practitioner.index import build_index, people_frame
from kinsight.practitioner.timeline import timeline


@pytest.fixture(scope="module")
def con(tiny_store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tiny_store), read_only=True)
    yield connection
    connection.close()


def test_timeline_is_newest_first_in_plain_words_without_repeats(con: duckdb.DuckDBPyConnection) -> None:
    events = timeline(con, "A1", lambda cls: True)
    assert [(e.when, e.kind) for e in events] == [
        (date(2024, 6, 30), "care_episode_ended"),
        (date(2023, 5, 1), "care_episode_started"),
        (date(2023, 1, 10), "referral"),
    ]
    assert events[0].words == "This period of care or placement ended: Residence or child arrangements order."
    assert "Started to be looked after" in events[1].words and "Full care order" in events[1].words
    assert events[2].words.startswith("Referred to children's social care by A school.")
    assert not any(c.isupper() and c.isdigit() for c in events[1].words)


def test_fields_of_a_class_the_role_may_not_see_are_hidden(con: duckdb.DuckDBPyConnection) -> None:
    events = timeline(con, "A1", lambda cls: cls != PrivacyClass.SENSITIVE)
    started = next(e for e in events if e.kind == "care_episode_started")
    assert "Legal status: (hidden)" in started.words  # LS is sensitive in the SSDA903 spec
    referral = next(e for e in events if e.kind == "referral")
    assert "Main need: (hidden)" in referral.words  # PrimaryNeedCode is sensitive


def test_sources_say_checked_and_nothing_found(con: duckdb.DuckDBPyConnection) -> None:
    events = timeline(con, "A2", lambda cls: True)
    assert events == []
    by = {s.dataset: s for s in source_coverage(held_sources(con), events, in_identities=True)}
    assert by["ssda903"].held and by["ssda903"].records == 0
    assert "checked and nothing found" in by["ssda903"].words
    assert (by["ssda903"].earliest_year, by["ssda903"].latest_year) == ("2023-24", "2024-25")
    assert by["identities"].records == 1


def test_last_contact_per_service(con: duckdb.DuckDBPyConnection) -> None:
    contacts = {c.service: c for c in service_contacts(timeline(con, "A1", lambda cls: True))}
    assert contacts["Care (looked after)"].last_contact == date(2024, 6, 30)
    assert contacts["Children in need and child protection"].last_contact == date(2023, 1, 10)
    assert contacts["Adoption"].last_contact is None


def test_family_links(con: duckdb.DuckDBPyConnection) -> None:
    index = build_index(people_frame(con))
    a1 = family_links(index, index.row_of["A1"])
    assert [(link.link, link.child) for link in a1] == [(Link.SIBLING, "A2")]
    b1 = {(link.link, link.child) for link in family_links(index, index.row_of["B1"])}
    assert (Link.CHILD, "B2") in b1
    b2 = {(link.link, link.child) for link in family_links(index, index.row_of["B2"])}
    assert (Link.MOTHER, "B1") in b2
