"""Turn what a practitioner types into a structured query.

One box takes everything: ``"Kate Smith 03/12/2015 ZZ10 3XD"``, ``"KS0000123"``, ``"smith 2015"``.
Each piece is recognised by its shape: a UPN (a letter and 12 digits), a full postcode or just its
outward half, a date (day/month/year, ISO, month/year or a year alone), any other piece holding a
digit is an identifier (the authority's child ID), and words are names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kinsight.practitioner.names import fold

_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_OUTWARD = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$", re.IGNORECASE)
_UPN = re.compile(r"^[A-Z]\d{11}[A-Z\d]$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_NAME = re.compile(r"^[^\W\d_][^\W\d_'\-]*(?:['\-][^\W\d_]+)*$")


@dataclass(frozen=True)
class DateTerm:
    """A date of birth as typed: the year always, the month and day when given."""

    year: int
    month: int | None = None
    day: int | None = None
    text: str = ""

    @property
    def full(self) -> bool:
        return self.month is not None and self.day is not None

    def as_date(self) -> date | None:
        if not self.full:
            return None
        try:
            return date(self.year, self.month or 1, self.day or 1)
        except ValueError:
            return None

    def swapped(self) -> date | None:
        """The date with day and month swapped (3/12 read as 12/3), when that is a real, different date."""
        if not self.full or self.day == self.month:
            return None
        try:
            return date(self.year, self.day or 1, self.month or 1)
        except ValueError:
            return None


@dataclass(frozen=True)
class Query:
    names: tuple[str, ...] = ()
    dob: DateTerm | None = None
    postcode: str | None = None  # full postcode, no space, upper case
    outward: str | None = None  # outward half of a postcode, upper case
    identifiers: tuple[str, ...] = ()
    upns: tuple[str, ...] = ()
    ignored: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.names or self.dob or self.postcode or self.outward or self.identifiers or self.upns)

    def kinds(self) -> tuple[str, ...]:
        """Which kinds of term the query holds (used to check the searcher may search by them)."""
        found = []
        if self.names:
            found.append("name")
        if self.dob:
            found.append("date_of_birth")
        if self.postcode or self.outward:
            found.append("postcode")
        if self.identifiers:
            found.append("child_id")
        if self.upns:
            found.append("upn")
        return tuple(found)


def _date_term(token: str) -> DateTerm | None:
    if m := _DMY.match(token):
        return DateTerm(int(m.group(3)), int(m.group(2)), int(m.group(1)), token)
    if m := _YMD.match(token):
        return DateTerm(int(m.group(1)), int(m.group(2)), int(m.group(3)), token)
    if m := _MY.match(token):
        month = int(m.group(1))
        return DateTerm(int(m.group(2)), month if 1 <= month <= 12 else None, None, token)
    if _YEAR.match(token):
        return DateTerm(int(token), None, None, token)
    return None


def _has_digit(token: str) -> bool:
    return any(c.isdigit() for c in token)


def parse_query(text: str) -> Query:
    """Split ``text`` into names, a date of birth, a postcode and identifiers."""
    remaining = text.strip()
    postcode = outward = None
    if m := _POSTCODE.search(remaining):
        postcode = (m.group(1) + m.group(2)).upper()
        outward = m.group(1).upper()
        remaining = remaining[: m.start()] + " " + remaining[m.end() :]
    names: list[str] = []
    identifiers: list[str] = []
    upns: list[str] = []
    ignored: list[str] = []
    dob: DateTerm | None = None
    for token in re.split(r"[\s,;]+", remaining):
        token = token.strip()
        if not token:
            continue
        if _UPN.match(token):
            upns.append(token.upper())
        elif (term := _date_term(token)) is not None and dob is None:
            dob = term
        elif postcode is None and outward is None and _OUTWARD.match(token) and _has_digit(token):
            outward = token.upper()
            identifiers.append(token.upper())  # a short child ID looks the same; let both compete
        elif any(c.isdigit() for c in token):
            identifiers.append(token.upper())
        elif _NAME.match(token) and fold(token):
            names.append(fold(token))
        else:
            ignored.append(token)
    return Query(
        names=tuple(names),
        dob=dob,
        postcode=postcode,
        outward=outward,
        identifiers=tuple(identifiers),
        upns=tuple(upns),
        ignored=tuple(ignored),
    )
