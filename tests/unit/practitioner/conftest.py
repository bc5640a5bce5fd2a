"""A synthetic truth set of children with names, dates of birth, addresses and families.

Names are drawn from the synthetic generator's own word lists (names.yaml), so the pool has the many
shared surnames and forenames a real authority has; nothing here comes from Kinsight's search code.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

import kinsight.synth as synth_pkg
from practitioner_store import build_store

NAMES = yaml.safe_load((Path(synth_pkg.__file__).parent / "names.yaml").read_text(encoding="utf-8"))


def make_people(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    fore = NAMES["forenames_male"] + NAMES["forenames_female"]
    households = max(1, n * 2 // 3)
    h_of = rng.integers(0, households, n)
    sur = np.array(NAMES["surnames"], dtype=object)[rng.integers(0, len(NAMES["surnames"]), households)]
    street = np.array(NAMES["street_first"], dtype=object)[
        rng.integers(0, len(NAMES["street_first"]), households)
    ]
    number = rng.integers(1, 200, households)
    pc = [
        f"ZZ{rng.integers(1, 20)} {rng.integers(0, 10)}{'ABD'[rng.integers(0, 3)]}{'EFG'[rng.integers(0, 3)]}"
        for _ in range(households)
    ]
    start = date(2004, 1, 1)
    dob = [start + timedelta(days=int(d)) for d in rng.integers(0, 7300, n)]
    return pl.DataFrame(
        {
            "CHILD": [f"C{i:07d}" for i in range(n)],
            "FORENAME": [fore[i] for i in rng.integers(0, len(fore), n)],
            "SURNAME": [sur[h] for h in h_of],
            "DOB": dob,
            "ADDRESS": [f"{number[h]} {street[h]} Road, Fennick Cross" for h in h_of],
            "POSTCODE": [pc[h] for h in h_of],
            "HOUSEHOLD": [f"HH{h}" for h in h_of],
        }
    )


@pytest.fixture(scope="session")
def people() -> pl.DataFrame:
    return make_people(20000)


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with four children (two siblings; a young mother and her baby)."""
    path = Path(tmp_path_factory.mktemp("store")) / "store.duckdb"
    build_store(path)
    return path
