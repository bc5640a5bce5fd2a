"""Every fault the synthetic generator injects into SSDA903 that a rule covers is found by the audit."""

from __future__ import annotations

import importlib.util
import json

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("kinsight.services.synth") is None, reason="kinsight.services.synth does not exist yet"
)

# fault kind (and field) -> rule codes any one of which must flag the faulty record
COVERS: dict[tuple[str, str | None], set[str]] = {
    ("invalid_code", "SEX"): {"101"},
    ("code_invalid_for_year", "SEX"): {"101"},
    ("missing_value", "SEX"): {"101"},
    ("invalid_code", "ETHNIC"): {"103"},
    ("missing_value", "ETHNIC"): {"103"},
    ("missing_value", "DOB"): {"102"},
    ("invalid_code", "LS"): {"144"},
    ("missing_value", "LS"): {"144"},
    ("invalid_code", "RNE"): {"143"},
    ("code_invalid_for_year", "PLACE"): {"146"},
    ("dates_out_of_order", "DEC"): {"356"},
    ("duplicate_review", "REVIEW"): {"KQ-DUP-REVIEW"},
    ("changed_from_last_year", "ETHNIC"): {"204", "KQ-PREV-ETHNIC"},
    ("changed_from_last_year", "DOB"): {"203", "KQ-PREV-DOB"},
    ("changed_from_last_year", "SEX"): {"202", "KQ-PREV-SEX"},
    ("overlapping_episodes", "DEC"): {"KQ-OVERLAP", "142"},
    ("previous_year_vanished", None): {"KQ-PREV-EPISODE-VANISHED"},
    ("previous_year_changed", "DECOM"): {"KQ-PREV-EPISODE-VANISHED", "KQ-PREV-EPISODE-CHANGED"},
}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    from kinsight.services import ingest, quality, synth
    from kinsight.settings import load_settings

    root = tmp_path_factory.mktemp("faults")
    synth.generate(root / "data", children=300, years=["2024-25", "2025-26"], seed=7, faults=0.03)
    settings = load_settings(root / "home")
    ingest.ingest(settings, [root / "data" / "ssda903"])
    result = quality.run_quality(settings, dataset="ssda903", write_files=False)
    faults = json.loads((root / "data" / "faults.json").read_text())
    return [f for f in faults if f["dataset"] == "ssda903"], result["findings"]


def test_every_covered_fault_is_found(audited: tuple[list[dict], list[dict]]) -> None:
    faults, findings = audited
    flagged_children = {(f["year"], f["rule"], f["child"]) for f in findings}
    covered = [f for f in faults if (f["kind"], f.get("field")) in COVERS]
    assert covered, "the generator injected no fault a rule covers"
    missed = [
        f for f in covered
        if not any((f["year"], code, f["child"]) in flagged_children for code in COVERS[(f["kind"], f.get("field"))])
    ]
    assert not missed, f"{len(missed)} injected faults not found, e.g. {missed[:3]}"
