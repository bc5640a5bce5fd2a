"""Every fault the synthetic generator injects (SSDA903 and CIN census) is found by the audit, on its row.

The mapping below is the honest contract between the generator and the rule packs: each fault kind (and
field) names the rules that must flag it.  A test fails if the generator starts injecting a kind that is
not listed here, so a new fault kind cannot slip in uncovered.
"""

from __future__ import annotations

import json

import pytest

# (dataset, fault kind, field) -> rule codes any one of which must flag the faulty record
COVERS: dict[tuple[str, str, str | None], set[str]] = {
    ("ssda903", "invalid_code", "SEX"): {"101"},
    ("ssda903", "code_invalid_for_year", "SEX"): {"101"},
    ("ssda903", "missing_value", "SEX"): {"101"},
    ("ssda903", "invalid_code", "ETHNIC"): {"103"},
    ("ssda903", "missing_value", "ETHNIC"): {"103"},
    ("ssda903", "missing_value", "DOB"): {"102"},
    ("ssda903", "invalid_code", "LS"): {"144"},
    ("ssda903", "missing_value", "LS"): {"144"},
    ("ssda903", "invalid_code", "RNE"): {"143"},
    ("ssda903", "missing_value", "RNE"): {"143"},
    ("ssda903", "invalid_code", "PLACE"): {"146"},
    ("ssda903", "missing_value", "PLACE"): {"146"},
    ("ssda903", "code_invalid_for_year", "PLACE"): {"146"},
    ("ssda903", "dates_out_of_order", "DEC"): {"356"},
    ("ssda903", "duplicate_review", "REVIEW"): {"KQ-DUP-REVIEW"},
    ("ssda903", "changed_from_last_year", "ETHNIC"): {"204", "KQ-PREV-ETHNIC"},
    ("ssda903", "changed_from_last_year", "DOB"): {"203", "KQ-PREV-DOB"},
    ("ssda903", "changed_from_last_year", "SEX"): {"202", "KQ-PREV-SEX"},
    ("ssda903", "overlapping_episodes", "DEC"): {"KQ-OVERLAP", "142"},
    ("ssda903", "previous_year_vanished", None): {"KQ-PREV-EPISODE-VANISHED"},
    ("ssda903", "previous_year_changed", "DECOM"): {"KQ-PREV-EPISODE-VANISHED", "KQ-PREV-EPISODE-CHANGED"},
    ("cin_census", "missing_value", "ReferralSource"): {"8866"},
    ("cin_census", "invalid_code", "PrimaryNeedCode"): {"8650"},
    ("cin_census", "dates_out_of_order", "CINclosureDate"): {"8630"},
}
# Faults whose finding is on another row than the faulty one (the flagged record is last year's or a
# twin): for these the child must be flagged, not necessarily the row.
CHILD_LEVEL = {"previous_year_vanished", "previous_year_changed", "duplicate_review", "overlapping_episodes"}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    from kinsight.services import ingest, quality, synth
    from kinsight.settings import load_settings

    root = tmp_path_factory.mktemp("faults")
    synth.generate(root / "data", children=300, years=["2024-25", "2025-26"], seed=7, faults=0.03)
    settings = load_settings(root / "home")
    ingest.ingest(settings, [root / "data" / "ssda903", root / "data" / "cin_census"])
    result = quality.run_quality(settings, write_files=False)
    faults = json.loads((root / "data" / "faults.json").read_text())
    return faults, result["findings"]


def _key(fault: dict) -> tuple[str, str, str | None]:
    return fault["dataset"], fault["kind"], fault.get("field")


def test_every_injected_fault_kind_is_mapped_to_a_rule(audited: tuple[list[dict], list[dict]]) -> None:
    faults, _ = audited
    unmapped = sorted({_key(f) for f in faults} - set(COVERS), key=str)
    assert not unmapped, f"fault kinds no rule is said to find: {unmapped}"
    datasets = {f["dataset"] for f in faults}
    assert datasets == {"ssda903", "cin_census"}, datasets


def test_every_fault_is_found_on_its_row(audited: tuple[list[dict], list[dict]]) -> None:
    faults, findings = audited
    rows = {(f["dataset"], f["year"], f["rule"], f["child"], f["table"], f["row"]) for f in findings}
    children = {(f["dataset"], f["year"], f["rule"], f["child"]) for f in findings}
    assert faults, "the generator injected no fault"
    missed = []
    for fault in faults:
        codes = COVERS[_key(fault)]
        if fault["kind"] in CHILD_LEVEL:
            found = any((fault["dataset"], fault["year"], c, fault["child"]) in children for c in codes)
        else:
            found = any(
                (fault["dataset"], fault["year"], c, fault["child"], fault["table"], fault["row"]) in rows
                for c in codes
            )
        if not found:
            missed.append(fault)
    assert not missed, f"{len(missed)} of {len(faults)} injected faults not found, e.g. {missed[:3]}"


def test_cin_faults_are_in_the_manifest(audited: tuple[list[dict], list[dict]]) -> None:
    faults, _ = audited
    cin_kinds = {f["kind"] for f in faults if f["dataset"] == "cin_census"}
    assert cin_kinds == {"missing_value", "invalid_code", "dates_out_of_order"}, cin_kinds
