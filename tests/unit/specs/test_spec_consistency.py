"""Every shipped spec loads and is self-consistent; a broken spec is refused at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinsight.domain.specs import FieldType, PrivacyClass
from kinsight.domain.years import parse_year
from kinsight.errors import ConfigurationError, NotFoundError, UsageError
from kinsight.specs import dataset_names, load_spec, load_spec_from

DATASETS = ["cin_census", "identities", "ssda903"]


def test_the_three_datasets_ship() -> None:
    assert dataset_names() == DATASETS


@pytest.mark.parametrize("name", DATASETS)
def test_spec_is_self_consistent(name: str) -> None:
    spec = load_spec(name)
    assert spec.tables
    for table in spec.tables.values():
        assert table.name == table.name.lower()
        assert table.description
        for key in table.keys:
            assert key in table.fields, f"{name}.{table.name}: key {key} is not a field"
        if table.valid_from and table.valid_to:
            assert parse_year(table.valid_from) <= parse_year(table.valid_to)
        for f in table.fields.values():
            assert f.description, f"{name}.{table.name}.{f.name} has no description"
            assert isinstance(f.type, FieldType) and isinstance(f.privacy, PrivacyClass)
            if f.type is FieldType.CODE:
                assert f.codeset in spec.codesets, (
                    f"{name}.{table.name}.{f.name}: missing code set {f.codeset}"
                )
            if f.valid_from and f.valid_to:
                assert parse_year(f.valid_from) <= parse_year(f.valid_to)
    for codeset in spec.codesets.values():
        codes = [c.code for c in codeset.codes]
        assert len(codes) == len(set(codes)), f"{codeset.name} repeats a code"
        for c in codeset.codes:
            assert c.meaning and c.meaning != c.code, f"{codeset.name}.{c.code} needs a meaning in words"
            if c.valid_from and c.valid_to:
                assert parse_year(c.valid_from) <= parse_year(c.valid_to)


def test_every_903_table_and_field_from_the_reference_is_present() -> None:
    expected = {
        "header": "CHILD SEX DOB ETHNIC UPN MOTHER MC_DOB",
        "episodes": "CHILD DECOM RNE LS CIN PLACE PLACE_PROVIDER DEC REC REASON_PLACE_CHANGE"
        " HOME_POST PL_POST URN",
        "reviews": "CHILD DOB REVIEW REVIEW_CODE",
        "uasc": "CHILD SEX DOB DUC",
        "oc2": "CHILD DOB SDQ_SCORE SDQ_REASON CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK"
        " HEALTH_ASSESSMENT"
        " SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED",
        "oc3": "CHILD DOB IN_TOUCH ACTIV ACCOM",
        "ad1": "CHILD DOB DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR",
        "placedadoption": "CHILD DOB DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED",
        "prevperm": "CHILD DOB PREV_PERM LA_PERM DATE_PERM",
        "missing": "CHILD DOB MISSING MIS_START MIS_END",
        "swepisodes": "CHILD DOB SW_ID SW_DECOM SW_DEC SW_REASON",
        "dolo": "CHILD DOB DOLO_START DOLO_END",
    }
    spec = load_spec("ssda903")
    assert set(spec.tables) == set(expected)
    for table, fields in expected.items():
        required_columns = [f for f in spec.tables[table].fields.values() if not f.optional_column]
        assert [f.name for f in required_columns] == fields.split(), table
    optional = {f.name for f in spec.tables["episodes"].fields.values() if f.optional_column}
    assert optional == {"PL_DISTANCE", "PL_LOCATION", "PL_LA"}


def test_cin_tables_are_those_named_in_the_conventions() -> None:
    assert list(load_spec("cin_census").tables) == [
        "header",
        "childidentifiers",
        "childcharacteristics",
        "disabilities",
        "cindetails",
        "assessments",
        "assessmentfactors",
        "cinplandates",
        "section47",
        "childprotectionplans",
        "reviews",
        "preproceedings",
    ]


@pytest.mark.parametrize(
    ("dataset", "table", "field", "privacy"),
    [
        ("ssda903", "header", "CHILD", PrivacyClass.DIRECT_IDENTIFIER),
        ("ssda903", "header", "UPN", PrivacyClass.DIRECT_IDENTIFIER),
        ("ssda903", "episodes", "HOME_POST", PrivacyClass.DIRECT_IDENTIFIER),
        ("ssda903", "header", "DOB", PrivacyClass.QUASI_IDENTIFIER),
        ("ssda903", "header", "MC_DOB", PrivacyClass.QUASI_IDENTIFIER),
        ("ssda903", "header", "SEX", PrivacyClass.QUASI_IDENTIFIER),
        ("ssda903", "header", "ETHNIC", PrivacyClass.QUASI_IDENTIFIER),
        ("ssda903", "oc2", "CONVICTED", PrivacyClass.SENSITIVE),
        ("ssda903", "oc2", "SUBSTANCE_MISUSE", PrivacyClass.SENSITIVE),
        ("ssda903", "episodes", "PLACE", PrivacyClass.OTHER),
        ("cin_census", "childidentifiers", "LAchildID", PrivacyClass.DIRECT_IDENTIFIER),
        ("cin_census", "assessmentfactors", "AssessmentFactors", PrivacyClass.SENSITIVE),
        ("cin_census", "childprotectionplans", "InitialCategoryOfAbuse", PrivacyClass.SENSITIVE),
        ("identities", "people", "FORENAME", PrivacyClass.DIRECT_IDENTIFIER),
        ("identities", "people", "ADDRESS", PrivacyClass.DIRECT_IDENTIFIER),
        ("identities", "people", "POSTCODE", PrivacyClass.DIRECT_IDENTIFIER),
    ],
)
def test_privacy_classes(dataset: str, table: str, field: str, privacy: PrivacyClass) -> None:
    assert load_spec(dataset).tables[table].fields[field].privacy is privacy


def test_unknown_dataset_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        load_spec("ssda904")
    with pytest.raises(UsageError):
        load_spec("../etc")


def _write(folder: Path, dataset_yaml: str, codesets: dict[str, str]) -> Path:
    (folder / "codesets").mkdir(parents=True)
    (folder / "dataset.yaml").write_text(dataset_yaml)
    for name, text in codesets.items():
        (folder / "codesets" / f"{name}.yaml").write_text(text)
    return folder


GOOD_CODESET = (
    "name: flag\ndescription: d\ncodes:\n  - {code: '0', meaning: 'No'}\n  - {code: '1', meaning: 'Yes'}\n"
)


def _dataset(field_line: str, keys: str = "[CHILD]") -> str:
    return (
        "name: demo\ntitle: t\ndescription: d\ntables:\n  t:\n    dfe_name: T\n    description: d\n"
        f"    keys: {keys}\n    fields:\n"
        "      - {name: CHILD, type: string, description: id}\n"
        f"      - {field_line}\n"
    )


def test_a_good_hand_written_spec_loads(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "demo",
        _dataset("{name: F, type: code, codeset: flag, description: f}"),
        {"flag": GOOD_CODESET},
    )
    spec = load_spec_from(folder)
    assert spec.codes("flag", "2024-25") == ["0", "1"]


@pytest.mark.parametrize(
    ("field_line", "keys", "codesets", "complaint"),
    [
        ("{name: F, type: code, codeset: nothere, description: f}", "[CHILD]", {}, "does not exist"),
        ("{name: F, type: code, description: f}", "[CHILD]", {}, "needs a codeset"),
        ("{name: F, type: string, description: f}", "[CHILD, NOPE]", {}, "key NOPE"),
        (
            "{name: F, type: string, description: f, valid_from: '2025-26', valid_to: '2024-25'}",
            "[CHILD]",
            {},
            "after valid_to",
        ),
        ("{name: F, type: string, description: f, colour: red}", "[CHILD]", {}, "Extra inputs"),
        ("{name: F, type: text, description: f}", "[CHILD]", {}, "not valid"),
        (
            "{name: F, type: code, codeset: flag, description: f}",
            "[CHILD]",
            {
                "flag": "name: flag\ndescription: d\ncodes:\n"
                "  - {code: A, meaning: a}\n  - {code: A, meaning: b}\n"
            },
            "twice",
        ),
        (
            "{name: F, type: code, codeset: flag, description: f}",
            "[CHILD]",
            {
                "flag": "name: flag\ndescription: d\ncodes:\n  - {code: A, meaning: a, valid_from: '2024-25',"
                " valid_to: '2020-21'}\n"
            },
            "after valid_to",
        ),
    ],
)
def test_inconsistent_specs_are_refused(
    tmp_path: Path, field_line: str, keys: str, codesets: dict[str, str], complaint: str
) -> None:
    folder = _write(tmp_path / "demo", _dataset(field_line, keys), codesets)
    with pytest.raises(ConfigurationError, match=complaint):
        load_spec_from(folder)
