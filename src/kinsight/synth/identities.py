"""Fake names and addresses for the synthetic authority's children (``identities/people.csv``).

They exist so the practitioner search can be built and tested with tolerant matching: siblings share a
surname and a household address, a baby whose mother is also known links to her record.  Every street
is invented, the town does not exist and the postcodes sit in the unused ``ZZ`` area.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from kinsight.synth.config import Names
from kinsight.synth.dates import text_series, to_text

PEOPLE_COLUMNS = [
    "CHILD",
    "FORENAME",
    "SURNAME",
    "DOB",
    "ADDRESS",
    "POSTCODE",
    "MOTHER_CHILD",
    "SIBLING_GROUP",
    "HOUSEHOLD",
]


def household_addresses(
    names: Names, rng: np.random.Generator, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(street address, postcode, surname) for ``n`` households."""
    first = np.array(names.street_first, dtype=object)[rng.integers(0, len(names.street_first), n)]
    second = np.array(names.street_second, dtype=object)[rng.integers(0, len(names.street_second), n)]
    kind = np.array(names.street_kinds, dtype=object)[rng.integers(0, len(names.street_kinds), n)]
    number = rng.integers(1, 180, n).astype(str).astype(object)
    street = first + np.where(second == "", "", " " + second) + " " + kind
    address = number + " " + street + ", " + names.town
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    postcode = (
        names.postcode_area
        + rng.integers(1, 20, n).astype(str).astype(object)
        + " "
        + rng.integers(0, 10, n).astype(str).astype(object)
        + letters[rng.integers(0, 20, n)].astype(object)
        + letters[rng.integers(0, 20, n)].astype(object)
    )
    surname = np.array(names.surnames, dtype=object)[rng.integers(0, len(names.surnames), n)]
    return address, postcode, surname


def people_frame(
    names: Names,
    rng: np.random.Generator,
    ids: np.ndarray,
    dob: np.ndarray,
    male: np.ndarray,
    household: np.ndarray,
    mother: np.ndarray,
    address: np.ndarray,
    postcode: np.ndarray,
    surname: np.ndarray,
) -> pl.DataFrame:
    """One row per child; ``household`` indexes the address arrays, ``mother`` is an ordinal or -1."""
    n = ids.size
    boys = np.array(names.forenames_male, dtype=object)[rng.integers(0, len(names.forenames_male), n)]
    girls = np.array(names.forenames_female, dtype=object)[rng.integers(0, len(names.forenames_female), n)]
    sizes = np.bincount(household, minlength=int(household.max()) + 1 if n else 0)
    last = surname[household].copy()
    has_mother = mother >= 0
    siblings = sizes[household] > 1
    # A baby on its own takes its mother's surname; siblings keep their shared one.
    takes = has_mother & ~siblings
    last[takes] = last[mother[takes]]
    frame = pl.DataFrame(
        {
            "CHILD": text_series(ids),
            "FORENAME": text_series(np.where(male, boys, girls)),
            "SURNAME": text_series(last),
            "DOB": to_text(dob),
            "ADDRESS": text_series(address[household]),
            "POSTCODE": text_series(postcode[household]),
            "MOTHER_CHILD": text_series(np.where(has_mother, ids[np.maximum(mother, 0)], None)),
            "SIBLING_GROUP": text_series(
                np.where(siblings, np.char.add("SG", household.astype(str)).astype(object), None)
            ),
            "HOUSEHOLD": text_series(np.char.add("HH", household.astype(str)).astype(object)),
        }
    )
    return frame.select(PEOPLE_COLUMNS).sort("CHILD", maintain_order=True)
