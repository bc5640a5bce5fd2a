"""Fake names and addresses for the synthetic authority's children (``identities/people.csv``).

They exist so the practitioner search can be built and tested with tolerant matching: siblings share a
surname and a household address, a baby whose mother is also known links to her record.  Every street
is invented, the town does not exist and the postcodes sit in the unused ``ZZ`` area.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from kinsight.synth.config import Names
from kinsight.synth.dates import to_text

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
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """(street address, postcode, surname) for ``n`` households, as text columns.

    Draws happen in a fixed order (street parts, house number, postcode parts, surname).  Every street
    name and every postcode that can occur is written once into a small table, and households pick
    theirs by number: at national size there are millions of households, and building each part as a
    column of text first cost gigabytes.
    """
    first = rng.integers(0, len(names.street_first), n)
    second = rng.integers(0, len(names.street_second), n)
    kind = rng.integers(0, len(names.street_kinds), n)
    house = rng.integers(1, 180, n)
    letters = list("ABDEFGHJLNPQRSTUWXYZ")
    district, sector = rng.integers(1, 20, n), rng.integers(0, 10, n)
    letter1, letter2 = rng.integers(0, 20, n), rng.integers(0, 20, n)
    surname = pl.Series(names.surnames, dtype=pl.String).gather(rng.integers(0, len(names.surnames), n))

    streets = [
        f"{a}{' ' + b if b else ''} {k}"
        for a in names.street_first
        for b in names.street_second
        for k in names.street_kinds
    ]
    street_no = (first * len(names.street_second) + second) * len(names.street_kinds) + kind
    address = (
        pl.Series(house).cast(pl.String)
        + " "
        + pl.Series(streets, dtype=pl.String).gather(street_no)
        + f", {names.town}"
    )
    postcodes = [
        f"{names.postcode_area}{d} {s}{x}{y}"
        for d in range(1, 20)
        for s in range(10)
        for x in letters
        for y in letters
    ]
    postcode_no = (((district - 1) * 10 + sector) * 20 + letter1) * 20 + letter2
    postcode = pl.Series(postcodes, dtype=pl.String).gather(postcode_no)
    return address, postcode, surname


def people_frame(
    names: Names,
    rng: np.random.Generator,
    ids: pl.Series,
    dob: np.ndarray,
    male: np.ndarray,
    household: np.ndarray,
    mother: np.ndarray,
    address: pl.Series,
    postcode: pl.Series,
    surname: pl.Series,
) -> pl.DataFrame:
    """One row per child, in identifier order (``ids`` is already sorted: zero-padded ordinals);
    ``household`` indexes the address columns, ``mother`` is an ordinal or -1."""
    n = len(ids)
    boys = pl.Series(names.forenames_male, dtype=pl.String).gather(
        rng.integers(0, len(names.forenames_male), n)
    )
    girls = pl.Series(names.forenames_female, dtype=pl.String).gather(
        rng.integers(0, len(names.forenames_female), n)
    )
    sizes = np.bincount(household, minlength=int(household.max()) + 1 if n else 0)
    has_mother = mother >= 0
    siblings = sizes[household] > 1
    # A baby on its own takes its mother's surname; siblings keep their shared one.
    takes = np.flatnonzero(has_mother & ~siblings)
    last = surname.gather(household)
    last = last.scatter(takes, last.gather(mother[takes]))
    house = pl.Series(np.asarray(household, dtype=np.int64)).cast(pl.String)
    forename = pl.select(
        pl.when(pl.Series(np.asarray(male, dtype=bool))).then(boys).otherwise(girls)
    ).to_series()
    frame = pl.DataFrame(
        [
            ids.alias("CHILD"),
            forename.alias("FORENAME"),
            last.alias("SURNAME"),
            to_text(dob).alias("DOB"),
            address.gather(household).alias("ADDRESS"),
            postcode.gather(household).alias("POSTCODE"),
            ids.gather(np.maximum(mother, 0))
            .scatter(np.flatnonzero(~has_mother), None)
            .alias("MOTHER_CHILD"),
            ("SG" + house).scatter(np.flatnonzero(~siblings), None).alias("SIBLING_GROUP"),
            ("HH" + house).alias("HOUSEHOLD"),
        ]
    )
    return frame.select(PEOPLE_COLUMNS)
