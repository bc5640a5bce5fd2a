"""Where the child's information comes from: for each source, how recent and how far back, and whether
it was checked and found nothing; and when each service was last in contact.

A practitioner reading "nothing found" must be able to tell "we looked and there is nothing" from
"we do not hold that source at all"; both are said in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from kinsight.practitioner.timeline import Event, timeline_words

SOURCES = {
    "cin_census": "Children in need census",
    "ssda903": "Children looked after return (SSDA903)",
    "identities": "Names and addresses (local records)",
}


@dataclass(frozen=True)
class SourceCoverage:
    dataset: str
    title: str
    held: bool
    last_updated: datetime | None
    earliest_year: str | None
    latest_year: str | None
    records: int

    @property
    def words(self) -> str:
        if not self.held:
            return "Not held in Kinsight: this source was not checked."
        span = (
            f"covers {self.earliest_year} to {self.latest_year}"
            if self.earliest_year != self.latest_year
            else f"covers {self.latest_year}"
        )
        found = f"{self.records} record(s) found" if self.records else "checked and nothing found"
        return f"{found}; {span}."

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "title": self.title,
            "held": self.held,
            "last_updated": self.last_updated,
            "earliest_year": self.earliest_year,
            "latest_year": self.latest_year,
            "records": self.records,
            "words": self.words,
        }


@dataclass(frozen=True)
class ServiceContact:
    service: str
    last_contact: date | None
    first_contact: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "last_contact": self.last_contact,
            "first_contact": self.first_contact,
        }


HeldSources = dict[str, tuple[datetime | None, str | None, str | None]]


def held_sources(con: duckdb.DuckDBPyConnection) -> HeldSources:
    """Per dataset loaded: last load time, earliest and latest collection year (from ``_files``).

    It changes only when data is loaded, so callers cache it per store version.
    """
    rows = con.execute(
        """SELECT dataset, max(loaded_at), min(year), max(year) FROM _files
           WHERE status <> 'refused' GROUP BY dataset"""
    ).fetchall()
    return {str(r[0]): (r[1], r[2], r[3]) for r in rows}


def source_coverage(held: HeldSources, events: list[Event], *, in_identities: bool) -> list[SourceCoverage]:
    """One entry per source Kinsight knows of: held or not, how recent, how far back, records found."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.source] = counts.get(event.source, 0) + 1
    if in_identities:
        counts["identities"] = 1
    found = []
    for dataset, title in SOURCES.items():
        row = held.get(dataset)
        found.append(
            SourceCoverage(
                dataset,
                title,
                row is not None,
                row[0] if row else None,
                row[1] if row else None,
                row[2] if row else None,
                counts.get(dataset, 0),
            )
        )
    return found


def service_contacts(events: list[Event], *, today: date | None = None) -> list[ServiceContact]:
    """The last and first dated contact with each service (events after ``today`` are not contact)."""
    cutoff = today or date.today()
    found = []
    for service in timeline_words().services.values():
        dates = [e.when for e in events if e.service == service and e.when <= cutoff]
        found.append(ServiceContact(service, max(dates) if dates else None, min(dates) if dates else None))
    return found
