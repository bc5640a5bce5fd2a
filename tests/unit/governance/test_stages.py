"""The stage machine in stages.yaml: ten stages in order, allowed moves, and a refused bad file."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from kinsight.governance.definitions import StagesFile
from kinsight.governance.gates import STAGES_FILE, load_stages
from kinsight.governance.instruments import load_instruments
from kinsight.governance.vocabulary import Stage


def test_ten_stages_each_leading_to_the_next() -> None:
    stages = load_stages()
    assert [s.id for s in stages.stages] == list(Stage)
    assert [s.next for s in stages.stages] == [*list(Stage)[1:], None]


def test_testing_may_go_back_to_development() -> None:
    testing = next(s for s in load_stages().stages if s.id is Stage.TESTING)
    assert Stage.DEVELOPMENT in testing.back


def test_every_condition_names_a_real_instrument_and_question() -> None:
    instruments = load_instruments()
    for stage in load_stages().stages:
        for condition in stage.gate:
            for name in filter(None, [condition.instrument, condition.when and condition.when.instrument]):
                assert name in instruments, (stage.id, condition.id)
            for question in [*(condition.questions or []), *filter(None, [condition.question])]:
                instruments[condition.instrument].question(question)


def test_guidance_gates_are_declared() -> None:
    ids = {s.id: {c.id: c for c in s.gate} for s in load_stages().stages}
    assert ids[Stage.ETHICS_TRIAGE]["workbook_first_five"].first == 5
    assert ids[Stage.PRE_DEPLOYMENT]["workbook_first_eleven"].first == 11
    assert ids[Stage.ETHICS_TRIAGE]["business_case_signed_off"].subject == "business_case"
    assert ids[Stage.PRE_DEPLOYMENT]["deployment_agreed"].role == "senior_leader"
    assert {
        "predictive_high_maturity",
        "predictive_external_oversight",
        "predictive_senior_buy_in",
        "professional_judgement",
    } <= set(ids[Stage.ETHICS_TRIAGE])


def _raw() -> dict:
    return yaml.safe_load(STAGES_FILE.read_text())


def test_back_to_a_later_stage_is_refused() -> None:
    raw = _raw()
    raw["stages"][1]["back"] = ["design"]
    with pytest.raises(ValidationError):
        StagesFile.model_validate(raw)


def test_skipping_a_stage_is_refused() -> None:
    raw = _raw()
    raw["stages"][0]["next"] = "design"
    with pytest.raises(ValidationError):
        StagesFile.model_validate(raw)


def test_condition_missing_its_parameters_is_refused() -> None:
    raw = _raw()
    raw["stages"][0]["gate"].append({"id": "x", "kind": "signoff", "label": "x"})
    with pytest.raises(ValidationError):
        StagesFile.model_validate(raw)
