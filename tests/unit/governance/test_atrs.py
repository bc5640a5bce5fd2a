"""Kinsight's ATRS schema covers the tier 1 and tier 2 fields, and the builder fills it honestly."""

from __future__ import annotations

import datetime as dt

from kinsight.governance.exports import NOT_RECORDED, ExportContext, atrs_schema, build_atrs, validate_atrs
from kinsight.governance.gates import load_stages
from kinsight.governance.instruments import load_instruments
from kinsight.governance.record import AnswerSet, ProjectRecord
from kinsight.governance.vocabulary import Stage

# The ATRS v3.0 attributes listed in the reference notes (section 2.2), 65 in all.
V3_ATTRIBUTES = [
    "id",
    "standard_version",
    "organisation_type",
    "function",
    "capability",
    "task",
    "tags",
    "date_of_completion",
    "date_updated",
    "date_archived",
    "title",
    "organisation_name",
    "phase",
    "region",
    "one_sentence_description",
    "name",
    "description",
    "website_url",
    "contact_email",
    "organisation_or_department",
    "team",
    "senior_responsible_owner",
    "external_supplier_involvement",
    "external_supplier",
    "companies_house_number",
    "external_supplier_role",
    "procurement_procedure_type",
    "data_access_terms",
    "detailed_description",
    "scope",
    "benefit",
    "previous_process",
    "alternatives_considered",
    "process_integration",
    "provided_information",
    "frequency_and_scale_of_usage",
    "human_decisions_and_review",
    "required_training",
    "appeals_and_review",
    "system_architecture",
    "phase",
    "maintenance",
    "models",
    "model_name",
    "model_version",
    "model_task",
    "model_input",
    "model_output",
    "model_architecture",
    "model_performance",
    "datasets",
    "dataset_purposes",
    "source_data_name",
    "data_modality",
    "data_description",
    "data_quantities",
    "sensitive_attributes",
    "data_completeness_and_representativeness",
    "source_data_url",
    "data_collection",
    "data_cleaning",
    "data_sharing_agreements",
    "data_access_and_storage",
    "impact_assessment",
    "risks_and_mitigations",
]


def _fields(node: dict) -> list[str]:
    found = []
    for key, value in node.get("properties", {}).items():
        if value.get("type") == "object":
            found += _fields(value)
        elif value.get("type") == "array" and "items" in value:
            found += _fields(value["items"])
        else:
            found.append(key)
    return found


def test_schema_has_every_v3_field_once() -> None:
    assert sorted(_fields(atrs_schema())) == sorted(V3_ATTRIBUTES)
    assert len(V3_ATTRIBUTES) == 65


def ctx(stage: Stage = Stage.DESIGN, **profile: object) -> ExportContext:
    sets = {
        "project_profile": AnswerSet(
            "project_profile",
            1,
            1,
            {"summary": "Forecasts placements.", **profile},
            dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            "t",
        )
    }
    rec = ProjectRecord(
        "p", "Placement forecast", stage, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "t", answers=sets
    )
    return ExportContext(
        rec, load_instruments(), load_stages(), "Synthetic Borough Council", 7, dt.date(2026, 2, 1)
    )


def test_sparse_record_still_validates_and_lists_what_is_missing() -> None:
    record, missing = build_atrs(ctx())
    assert validate_atrs(record) == []
    assert record["title_information"]["phase"] == "pre-deployment"
    assert record["tier_1"]["contact_email"] == NOT_RECORDED
    assert "tier_1.contact_email" in missing and "metadata.task" not in missing


def test_phase_follows_the_stage() -> None:
    assert (
        build_atrs(ctx(Stage.DEPLOYMENT_MONITORING))[0]["tier_2"]["tool_specification"]["phase"]
        == "production"
    )
    assert build_atrs(ctx(Stage.TESTING))[0]["title_information"]["phase"] == "beta-pilot"


def test_one_data_specification_per_dataset() -> None:
    record, _ = build_atrs(ctx(datasets=["ssda903", "cin_census"]))
    names = [d["source_data_name"] for d in record["tier_2"]["data_specifications"]]
    assert names == ["SSDA903 children looked after return", "Children in need census"]


def test_schema_refuses_a_bad_phase_an_extra_field_and_an_empty_required_field() -> None:
    record, _ = build_atrs(ctx())
    record["title_information"]["phase"] = "alpha"
    record["tier_1"]["colour"] = "blue"
    record["tier_2"]["owner_and_responsibility"]["team"] = ""
    errors = " ".join(validate_atrs(record))
    assert "alpha" in errors and "colour" in errors and "team" in errors
