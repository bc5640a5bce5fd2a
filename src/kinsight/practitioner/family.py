"""Family links held in the data: brothers and sisters, mother and child, and a shared address.

- siblings: the same ``SIBLING_GROUP`` in the identities table, else the same ``HOUSEHOLD``;
- mother and child: ``MOTHER_CHILD`` names the mother's own child ID; the SSDA903 header's ``MOTHER``
  flag with ``MC_DOB`` says a looked-after young woman has a child born on that date, which is linked
  to a known child born that day at the same address or with the same surname (else reported as a
  child not known to the authority);
- shared address: the same address and postcode as another child outside the household.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np

from kinsight.practitioner.index import NO_DATE, SearchIndex


class Link(StrEnum):
    SIBLING = "sibling"
    MOTHER = "mother"
    CHILD = "child"
    SAME_ADDRESS = "same_address"


LINK_WORDS = {
    Link.SIBLING: "Brother or sister",
    Link.MOTHER: "Mother",
    Link.CHILD: "Their child",
    Link.SAME_ADDRESS: "Lives at the same address",
}


@dataclass(frozen=True)
class FamilyLink:
    """One linked person.  ``row`` is None for a child the authority does not hold (903 MC_DOB only)."""

    link: Link
    row: int | None
    child: str | None
    source: str
    born: date | None = None

    @property
    def words(self) -> str:
        return LINK_WORDS[self.link]


def _others(rows: np.ndarray, row: int) -> list[int]:
    return sorted(int(r) for r in rows if int(r) != row)


def family_links(index: SearchIndex, row: int, *, limit: int = 30) -> list[FamilyLink]:
    """Every link of the child at ``row``, nearest first (mother, children, siblings, same address)."""
    links: list[FamilyLink] = []
    seen: set[int] = {row}

    def add(link: Link, other: int, source: str) -> None:
        if other in seen or len(links) >= limit:
            return
        seen.add(other)
        links.append(FamilyLink(link, other, str(index.child[other]), source, index.dob_of(other)))

    mother = int(index.mother_row[row])
    if mother >= 0:
        add(Link.MOTHER, mother, "names and addresses (mother recorded)")
    for other in _others(np.flatnonzero(index.mother_row == row), row):
        add(Link.CHILD, other, "names and addresses (mother recorded)")
    mc_dob = int(index.mc_dob[row])
    if mc_dob != NO_DATE:
        born_that_day = _others(index.rows_born_on(mc_dob), row)
        same_place = [
            r
            for r in born_that_day
            if (index.address_code[r] >= 0 and index.address_code[r] == index.address_code[row])
            or (index.sur_code[r] >= 0 and index.sur_code[r] == index.sur_code[row])
        ]
        for other in same_place:
            add(Link.CHILD, other, "SSDA903 return (MOTHER and MC_DOB)")
        if not same_place:
            born = date.fromordinal(date(1970, 1, 1).toordinal() + mc_dob)
            links.append(FamilyLink(Link.CHILD, None, None, "SSDA903 return (MOTHER and MC_DOB)", born))
    sibling = int(index.sibling_code[row])
    group = index.by_sibling.rows(sibling) if sibling >= 0 else np.empty(0, dtype=np.int32)
    household = int(index.household_code[row])
    if group.size == 0 and household >= 0:
        group = index.by_household.rows(household)
    for other in _others(group, row):
        add(Link.SIBLING, other, "names and addresses (sibling group or household)")
    address = int(index.address_code[row])
    if address >= 0:
        for other in _others(index.by_address.rows(address), row):
            add(Link.SAME_ADDRESS, other, "names and addresses (same address and postcode)")
    return links
