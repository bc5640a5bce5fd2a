"""Hand-written returns in the DfE shapes, and a store snapshot, shared by the ingest tests."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import duckdb

from kinsight.domain.specs import FieldSpec, FieldType, TableSpec
from kinsight.specs import load_spec

HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODE_COLUMNS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
REVIEW_COLUMNS = ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]


def write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def small_return(folder: Path, *, sex: str = "M", latest: str = "15/03/2025") -> Path:
    """A three-child SSDA903 return (header, episodes, reviews) written into ``folder``."""
    write_csv(
        folder / "header.csv",
        HEADER_COLUMNS,
        [
            ["101", sex, "01/06/2012", "WBRI", "A123456789012", "", ""],
            ["102", "F", "14/02/2009", "BAFR", "UN2", "0", ""],
            ["103", "F", "30/09/2007", "MWBC", "", "1", "02/01/2024"],
        ],
    )
    write_csv(
        folder / "episodes.csv",
        EPISODE_COLUMNS,
        [
            [
                "101",
                "01/05/2024",
                "S",
                "C1",
                "N1",
                "U4",
                "PR1",
                "10/07/2024",
                "X1",
                "",
                "AB1 2CD",
                "AB3 4EF",
                "SC1",
            ],
            ["101", "10/07/2024", "L", "C2", "N1", "U4", "PR1", "", "", "", "AB1 2CD", "AB3 4EF", "SC1"],
            ["102", "03/09/2024", "S", "V2", "N8", "K2", "PR4", latest, "E8", "", "", "", "SC2"],
            ["103", "20/11/2023", "S", "C2", "N4", "U6", "PR4", "", "", "", "ZZ9 9ZZ", "", "SC3"],
        ],
    )
    write_csv(
        folder / "reviews.csv",
        REVIEW_COLUMNS,
        [["101", "01/06/2012", "20/06/2024", "PN1"], ["103", "30/09/2007", "12/12/2024", "PN7"]],
    )
    return folder


CIN_XML = """<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate>
    </CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>999</LEA><SoftwareCode>Demo</SoftwareCode><Release>1</Release>
      <SerialNo>7</SerialNo><DateTime>2025-04-02T09:00:00</DateTime></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>C1</LAchildID><UPN>A123456789012</UPN>
        <PersonBirthDate>2015-06-01</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>MOB</Disability><Disability>LD</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
        <Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2024-06-01</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>4B</AssessmentFactors>
            <AssessmentFactors>18A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
        <Section47><S47ActualStartDate>2024-05-03</S47ActualStartDate><ICPCnotRequired>0</ICPCnotRequired></Section47>
        <ChildProtectionPlans><CPPstartDate>2024-06-10</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>2024-09-10</CPPreviewDate><CPPreviewDate>2025-01-10</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2025-02-01</CINreferralDate><ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N5</PrimaryNeedCode><ReferralNFA>1</ReferralNFA>
        <CINclosureDate>2025-02-03</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>
        <Assessments><AssessmentActualStartDate>2025-02-02</AssessmentActualStartDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>21</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>C2</LAchildID><UPNunknown>UN1</UPNunknown>
        <ExpectedPersonBirthDate>2025-05-20</ExpectedPersonBirthDate><Sex>U</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>NOBT</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-01-15</CINreferralDate><ReferralSource>3B</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
        <CINPlanDates><CINPlanStartDate>2025-02-20</CINPlanStartDate></CINPlanDates>
        <ChildProtectionPlans><CPPstartDate>2025-03-01</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def store_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int | None]]:
    """Row count and an order-independent content hash of every table in the store."""
    names = [
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()
    ]
    snap = {}
    for name in names:
        row = con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{name}" t').fetchone()
        assert row is not None
        snap[name] = (int(row[0]), row[1])
    return snap


# A made-up table with one field of each type, for the typing and bad-value tests.
DEMO_TABLE = TableSpec(
    name="demo",
    dfe_name="Demo",
    description="d",
    fields={
        "D": FieldSpec("D", FieldType.DATE),
        "I": FieldSpec("I", FieldType.INTEGER),
        "N": FieldSpec("N", FieldType.NUMBER),
        "B": FieldSpec("B", FieldType.BOOLEAN),
        "C": FieldSpec("C", FieldType.CODE, codeset="cs", upper=True),
        "S": FieldSpec("S", FieldType.STRING),
    },
)


def is_date(text: str) -> bool:
    """A date as the returns write it (DD/MM/YYYY or YYYY-MM-DD), checked with plain Python."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        if len(text) == 10:
            try:
                datetime.strptime(text, fmt)
                return True
            except ValueError:
                continue
    return False


def expected_problems(rows: list[list[str]], year: str) -> set[tuple[int, str, str]]:
    """(row, field, code) of every bad DECOM/DEC date and unknown RNE code in episode rows, worked out in
    plain Python (independently of the SQL that ingest uses)."""
    valid_rne = set(load_spec("ssda903").codes("reason_new_episode", year))
    found = set()
    for n, row in enumerate(rows, start=1):
        values = dict(zip(EPISODE_COLUMNS, row, strict=True))
        for field in ("DECOM", "DEC"):
            text = values[field].strip()
            if text and not is_date(text):
                found.add((n, field, "bad_date"))
        code = values["RNE"].strip().upper()
        if code and code not in valid_rne:
            found.add((n, "RNE", "unknown_code"))
    return found
