"""Files carry exactly the DfE columns, in the DfE order (reference note section 3.1), and the CIN XML
has the DfE element structure (section 3.5)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from lxml import etree

# Written out here from the reference note, independently of the generator's own column list.
EXPECTED = {
    "header": "CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB",
    "episodes": "CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, "
    "HOME_POST, PL_POST, URN",
    "reviews": "CHILD, DOB, REVIEW, REVIEW_CODE",
    "uasc": "CHILD, SEX, DOB, DUC",
    "oc2": "CHILD, DOB, SDQ_SCORE, SDQ_REASON, CONVICTED, HEALTH_CHECK, IMMUNISATIONS, TEETH_CHECK, "
    "HEALTH_ASSESSMENT, SUBSTANCE_MISUSE, INTERVENTION_RECEIVED, INTERVENTION_OFFERED",
    "oc3": "CHILD, DOB, IN_TOUCH, ACTIV, ACCOM",
    "ad1": "CHILD, DOB, DATE_INT, DATE_MATCH, FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR",
    "placedadoption": "CHILD, DOB, DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED",
    "prevperm": "CHILD, DOB, PREV_PERM, LA_PERM, DATE_PERM",
    "missing": "CHILD, DOB, MISSING, MIS_START, MIS_END",
    "swepisodes": "CHILD, DOB, SW_ID, SW_DECOM, SW_DEC, SW_REASON",
}


def test_every_table_has_the_dfe_columns(clean_dir: Path) -> None:
    for year in ("2022-23", "2023-24", "2024-25", "2025-26"):
        folder = clean_dir / "ssda903" / year
        expected_tables = set(EXPECTED) - ({"swepisodes"} if year < "2023-24" else set())
        assert {p.stem for p in folder.glob("*.csv")} == expected_tables
        for table in expected_tables:
            first_line = (folder / f"{table}.csv").read_text().splitlines()[0]
            assert first_line.split(",") == EXPECTED[table].split(", "), table


def test_dates_are_dd_mm_yyyy(clean_dir: Path) -> None:
    df = pl.read_csv(clean_dir / "ssda903" / "2024-25" / "episodes.csv", infer_schema=False)
    assert df.height > 100
    assert df.get_column("DECOM").str.contains(r"^\d{2}/\d{2}/\d{4}$").all()
    dec = df.get_column("DEC").drop_nulls()
    assert dec.str.contains(r"^\d{2}/\d{2}/\d{4}$").all()


CHILD_ORDER = ["ChildIdentifiers", "ChildCharacteristics"]
DETAILS_ORDER = [
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "Assessments",
    "CINPlanDates",
    "Section47",
    "ReferralNFA",
    "ChildProtectionPlans",
]


def _in_order(tags: list[str], order: list[str]) -> bool:
    positions = [order.index(t) for t in tags]
    return positions == sorted(positions)


def test_cin_xml_structure(clean_dir: Path) -> None:
    for year, sex_tag in (("2023-24", "GenderCurrent"), ("2024-25", "Sex")):
        root = etree.parse(str(clean_dir / "cin_census" / year / "cin_census.xml")).getroot()
        assert root.tag == "Message"
        details = root.find("Header/CollectionDetails")
        assert details.findtext("Collection") == "CIN"
        assert details.findtext("Year") == str(int(year[:4]) + 1)
        assert details.findtext("ReferenceDate") == f"{int(year[:4]) + 1}-03-31"
        children = root.findall("Children/Child")
        assert len(children) > 1000
        seen_assessment_factor = seen_cpp_review = False
        for child in children:
            tags = [c.tag for c in child]
            assert tags[:2] == CHILD_ORDER and set(tags[2:]) == {"CINdetails"}
            ids = child.find("ChildIdentifiers")
            assert ids.find("LAchildID") is not None and ids.find(sex_tag) is not None
            assert child.find("ChildCharacteristics/Disabilities/Disability") is not None
            for det in child.findall("CINdetails"):
                assert _in_order([c.tag for c in det], DETAILS_ORDER)
                seen_assessment_factor |= (
                    det.find("Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors") is not None
                )
                seen_cpp_review |= det.find("ChildProtectionPlans/Reviews/CPPreviewDate") is not None
        assert seen_assessment_factor and seen_cpp_review


def test_identities_file(clean_dir: Path) -> None:
    people = pl.read_csv(clean_dir / "identities" / "people.csv", infer_schema=False)
    assert people.columns == [
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
    assert people.get_column("CHILD").n_unique() == people.height
    assert people.get_column("POSTCODE").str.starts_with("ZZ").all()
    # Siblings share a surname and an address.
    groups = (
        people.drop_nulls("SIBLING_GROUP")
        .group_by("SIBLING_GROUP")
        .agg(
            pl.col("SURNAME").n_unique().alias("s"),
            pl.col("ADDRESS").n_unique().alias("a"),
            pl.len().alias("n"),
        )
    )
    assert groups.height > 10 and (groups["n"] >= 2).all()
    assert (groups["s"] == 1).all() and (groups["a"] == 1).all()
    # A linked mother is a person in the file, and older than her child.
    linked = people.drop_nulls("MOTHER_CHILD")
    assert linked.height > 0
    mothers = people.select(pl.col("CHILD").alias("MOTHER_CHILD"), pl.col("DOB").alias("MDOB"))
    joined = linked.join(mothers, on="MOTHER_CHILD", how="inner")
    assert joined.height == linked.height
    dob = joined.get_column("DOB").str.to_date("%d/%m/%Y")
    mdob = joined.get_column("MDOB").str.to_date("%d/%m/%Y")
    assert ((dob - mdob).dt.total_days() > 15 * 365).all()
