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
from kinsight.storage.analytical import open_store

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


PEOPLE = [
    # CHILD, FORENAME, SURNAME, DOB, ADDRESS, POSTCODE, MOTHER_CHILD, SIBLING_GROUP, HOUSEHOLD
    ("A1", "Katherine", "Smith", "2012-03-04", "5 Alder Road, Fennick Cross", "ZZ1 2AB", None, "SG1", "HH1"),
    ("A2", "Tom", "Smith", "2014-07-20", "5 Alder Road, Fennick Cross", "ZZ1 2AB", None, "SG1", "HH1"),
    ("B1", "Ruby", "Okafor", "2005-01-09", "9 Brindle Way, Fennick Cross", "ZZ3 4DE", None, None, "HH2"),
    ("B2", "Leo", "Okafor", "2023-02-11", "9 Brindle Way, Fennick Cross", "ZZ3 4DE", "B1", None, "HH3"),
]


def build_store(path: Path) -> None:
    with open_store(path) as con:
        con.execute(
            """CREATE TABLE identities_people (CHILD VARCHAR, FORENAME VARCHAR, SURNAME VARCHAR, DOB DATE,
               ADDRESS VARCHAR, POSTCODE VARCHAR, MOTHER_CHILD VARCHAR, SIBLING_GROUP VARCHAR,
               HOUSEHOLD VARCHAR, collection_year VARCHAR, _row INTEGER, _file VARCHAR, _sha256 VARCHAR)"""
        )
        for i, p in enumerate(PEOPLE, start=1):
            con.execute(
                "INSERT INTO identities_people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2024-25', ?, 'p', 'x')",
                [*p, i],
            )
        con.execute(
            """CREATE TABLE ssda903_episodes (CHILD VARCHAR, DECOM DATE, RNE VARCHAR, LS VARCHAR, CIN VARCHAR,
               PLACE VARCHAR, DEC DATE, REC VARCHAR, collection_year VARCHAR, _row INTEGER)"""
        )
        # the open episode is sent again in the next year's return: it must show once
        con.execute(
            """INSERT INTO ssda903_episodes VALUES
               ('A1', '2023-05-01', 'S', 'C2', 'N1', 'U4', NULL, NULL, '2023-24', 1),
               ('A1', '2023-05-01', 'S', 'C2', 'N1', 'U4', '2024-06-30', 'E41', '2024-25', 1)"""
        )
        con.execute(
            """CREATE TABLE cin_census_cindetails (LAchildID VARCHAR, CINdetailsID INTEGER,
               CINreferralDate DATE, ReferralSource VARCHAR, PrimaryNeedCode VARCHAR, CINclosureDate DATE,
               ReasonForClosure VARCHAR, DateOfInitialCPC DATE, ReferralNFA BOOLEAN,
               collection_year VARCHAR, _row INTEGER)"""
        )
        con.execute(
            """INSERT INTO cin_census_cindetails VALUES
               ('A1', 1, '2023-01-10', '2A', 'N1', NULL, NULL, NULL, false, '2022-23', 1)"""
        )
        con.execute(
            """INSERT INTO _files VALUES
               (1, 'identities', 'people', '2024-25', 'people.csv', 'x', 4, '2025-05-01 10:00:00', 'loaded'),
               (1, 'ssda903', 'episodes', '2023-24', 'e.csv', 'y', 1, '2024-05-01 10:00:00', 'loaded'),
               (2, 'ssda903', 'episodes', '2024-25', 'e.csv', 'z', 1, '2025-05-01 10:00:00', 'loaded'),
               (3, 'cin_census', 'cindetails', '2022-23', 'c.xml', 'w', 1, '2023-06-01 10:00:00', 'loaded')"""
        )


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with four children (two siblings; a young mother and her baby)."""
    path = Path(tmp_path_factory.mktemp("store")) / "store.duckdb"
    build_store(path)
    return path
