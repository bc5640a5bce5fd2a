"""Four fake children in a store file, shared by the practitioner unit tests and its page tests.

A plain module at the top of tests/ (not a conftest), imported by a name no other folder uses.
"""

from __future__ import annotations

from pathlib import Path

from kinsight.storage.analytical import open_store

PEOPLE = [
    # CHILD, FORENAME, SURNAME, DOB, ADDRESS, POSTCODE, MOTHER_CHILD, SIBLING_GROUP, HOUSEHOLD
    ("A1", "Katherine", "Smith", "2012-03-04", "5 Alder Road, Fennick Cross", "ZZ1 2AB", None, "SG1", "HH1"),
    ("A2", "Tom", "Smith", "2014-07-20", "5 Alder Road, Fennick Cross", "ZZ1 2AB", None, "SG1", "HH1"),
    ("B1", "Ruby", "Okafor", "2005-01-09", "9 Brindle Way, Fennick Cross", "ZZ3 4DE", None, None, "HH2"),
    ("B2", "Leo", "Okafor", "2023-02-11", "9 Brindle Way, Fennick Cross", "ZZ3 4DE", "B1", None, "HH3"),
]


def build_store(path: Path) -> None:
    """Four fake children; A1 has a referral (January 2023) and one care episode sent in two returns."""
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
