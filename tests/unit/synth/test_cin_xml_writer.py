"""The streaming CIN XML writer: exact text for a hand-made year, and the same bytes whatever the
batch size (children are written a batch at a time)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from kinsight.services.synth import generate
from kinsight.synth import cinxml
from kinsight.synth.cin import CinYear

S = pl.String


def _year() -> CinYear:
    # Child 2 is listed first and its second episode (_ep 7) before its first (_ep 5): the writer must
    # follow the ordinals (children) and the row order of the details frame (episodes), not input order.
    children = pl.DataFrame(
        {
            "_child": [2, 1],
            "LAchildID": ["B2", "A1"],
            "UPN": [None, "X801000000001"],
            "UPNunknown": ["UN1", None],
            "PersonBirthDate": ["2020-01-02", "2010-05-06"],
            "Sex": ["1", "2"],
            "Ethnicity": ["WBRI", "MWBC"],
            "Disability": ["NONE", "HAND"],
        }
    )
    details = pl.DataFrame(
        {
            "_child": [1, 2, 2],
            "_ep": [3, 5, 7],
            "CINreferralDate": ["2024-05-01", "2024-04-02", "2025-01-10"],
            "ReferralSource": ["1A", "5B", None],
            "PrimaryNeedCode": ["N1", "N2", "N3"],
            "CINclosureDate": [None, "2024-12-01", None],
            "ReasonForClosure": [None, "RC7", None],
            "DateOfInitialCPC": pl.Series([None, None, None], dtype=S),
            "ReferralNFA": ["false", "false", "true"],
        }
    )
    assessments = pl.DataFrame(
        {
            "_ep": [5, 3],
            "_a": [11, 10],
            "AssessmentActualStartDate": ["2024-04-03", "2024-05-02"],
            "AssessmentAuthorisationDate": ["2024-05-01", None],
        }
    )
    factors = pl.DataFrame({"_a": [11, 11], "AssessmentFactors": ["2B", "3A"]})
    plans = pl.DataFrame({"_ep": [5], "CINPlanStartDate": ["2024-05-02"], "CINPlanEndDate": ["2024-12-01"]})
    s47 = pl.DataFrame(
        {
            "_ep": [3],
            "S47ActualStartDate": ["2024-05-03"],
            "InitialCPCtarget": ["2024-05-24"],
            "DateOfInitialCPC": ["2024-05-20"],
            "ICPCnotRequired": ["false"],
        }
    )
    cpps = pl.DataFrame(
        {
            "_ep": [3],
            "_c": [4],
            "CPPstartDate": ["2024-05-20"],
            "CPPendDate": pl.Series([None], dtype=S),
            "InitialCategoryOfAbuse": ["NEG"],
            "LatestCategoryOfAbuse": ["NEG"],
            "NumberOfPreviousCPP": ["0"],
        }
    )
    reviews = pl.DataFrame({"_c": [4, 4], "CPPreviewDate": ["2024-08-01", "2025-02-01"]})
    return CinYear(children, details, assessments, factors, plans, s47, cpps, reviews)


EXPECTED_CHILDREN = (
    "<Child><ChildIdentifiers><LAchildID>A1</LAchildID><UPN>X801000000001</UPN>"
    "<PersonBirthDate>2010-05-06</PersonBirthDate><Sex>2</Sex></ChildIdentifiers>"
    "<ChildCharacteristics><Ethnicity>MWBC</Ethnicity><Disabilities><Disability>HAND</Disability>"
    "</Disabilities></ChildCharacteristics>"
    "<CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
    "<PrimaryNeedCode>N1</PrimaryNeedCode>"
    "<Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>"
    "<FactorsIdentifiedAtAssessment></FactorsIdentifiedAtAssessment></Assessments>"
    "<Section47><S47ActualStartDate>2024-05-03</S47ActualStartDate><InitialCPCtarget>2024-05-24"
    "</InitialCPCtarget><DateOfInitialCPC>2024-05-20</DateOfInitialCPC><ICPCnotRequired>false"
    "</ICPCnotRequired></Section47>"
    "<ReferralNFA>false</ReferralNFA>"
    "<ChildProtectionPlans><CPPstartDate>2024-05-20</CPPstartDate><InitialCategoryOfAbuse>NEG"
    "</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0"
    "</NumberOfPreviousCPP><Reviews><CPPreviewDate>2024-08-01</CPPreviewDate><CPPreviewDate>2025-02-01"
    "</CPPreviewDate></Reviews></ChildProtectionPlans>"
    "</CINdetails></Child>\n"
    "<Child><ChildIdentifiers><LAchildID>B2</LAchildID><UPNunknown>UN1</UPNunknown>"
    "<PersonBirthDate>2020-01-02</PersonBirthDate><Sex>1</Sex></ChildIdentifiers>"
    "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability>"
    "</Disabilities></ChildCharacteristics>"
    "<CINdetails><CINreferralDate>2024-04-02</CINreferralDate><ReferralSource>5B</ReferralSource>"
    "<PrimaryNeedCode>N2</PrimaryNeedCode><CINclosureDate>2024-12-01</CINclosureDate>"
    "<ReasonForClosure>RC7</ReasonForClosure>"
    "<Assessments><AssessmentActualStartDate>2024-04-03</AssessmentActualStartDate>"
    "<AssessmentAuthorisationDate>2024-05-01</AssessmentAuthorisationDate><FactorsIdentifiedAtAssessment>"
    "<AssessmentFactors>2B</AssessmentFactors><AssessmentFactors>3A</AssessmentFactors>"
    "</FactorsIdentifiedAtAssessment></Assessments>"
    "<CINPlanDates><CINPlanStartDate>2024-05-02</CINPlanStartDate><CINPlanEndDate>2024-12-01"
    "</CINPlanEndDate></CINPlanDates>"
    "<ReferralNFA>false</ReferralNFA></CINdetails>"
    "<CINdetails><CINreferralDate>2025-01-10</CINreferralDate><PrimaryNeedCode>N3</PrimaryNeedCode>"
    "<ReferralNFA>true</ReferralNFA></CINdetails></Child>\n"
)


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_hand_made_year_gives_exact_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    monkeypatch.setattr(cinxml, "BATCH_CHILDREN", batch)
    path = tmp_path / "cin.xml"
    cinxml.write_cin_xml(_year(), "2024-25", "801", "Sex", path)
    text = path.read_text(encoding="utf-8")
    assert text == cinxml.header("2024-25", "801") + EXPECTED_CHILDREN + "</Children></Message>\n"
    assert "<LEA>801</LEA>" in text and "<ReferenceDate>2025-03-31</ReferenceDate>" in text


def test_generated_file_is_the_same_whatever_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "one", children=150, years="2025-2025", seed=9, datasets=("cin_census",))
    monkeypatch.setattr(cinxml, "BATCH_CHILDREN", 37)
    generate(tmp_path / "many", children=150, years="2025-2025", seed=9, datasets=("cin_census",))
    one = (tmp_path / "one" / "cin_census" / "2024-25" / "cin_census.xml").read_bytes()
    many = (tmp_path / "many" / "cin_census" / "2024-25" / "cin_census.xml").read_bytes()
    assert one.count(b"<Child>") > 3 * 37  # several batches really were written
    assert one == many
