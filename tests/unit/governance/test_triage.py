"""The triage rules give the verdict, risk level and themes worked out by hand from the rules table."""

from __future__ import annotations

from kinsight.governance.instruments import load_instruments, validate_answers
from kinsight.governance.scoring import score_triage

TRIAGE = load_instruments()["ethics_triage"]
ALL_THEMES = [t.id for t in TRIAGE.themes]

CALM = {
    "analytics_type": "descriptive",
    "deployed_before": True,
    "deployed_before_effective": True,
    "others_deployed": False,
    "users_experienced": True,
    "quality_understood": True,
    "quality_sufficient": True,
    "personal_data": False,
    "bias_assessed": True,
    "bias_found": False,
    "affected_groups": ["staff"],
}


def triage(**changes: object) -> dict:
    answers = validate_answers(TRIAGE, {**CALM, **changes})
    return score_triage(TRIAGE, answers).as_dict()


def test_nothing_raised_means_continue_low_and_no_themes() -> None:
    result = triage()
    assert (result["verdict"], result["risk_level"], result["themes"]) == ("continue", "low", [])


def test_personal_data_flags_data_use_and_legal_at_medium() -> None:
    result = triage(personal_data=True)
    assert result["verdict"] == "continue" and result["risk_level"] == "medium"
    assert [t["theme"] for t in result["themes"]] == ["data_use", "legal"]


def test_novel_tool_flags_all_nine_and_calls_for_governance() -> None:
    result = triage(deployed_before=False, deployed_before_effective=None, others_deployed=False)
    assert result["verdict"] == "proceed_with_governance"
    assert [t["theme"] for t in result["themes"]] == ALL_THEMES


def test_automatic_referral_means_reconsider_and_high_risk() -> None:
    result = triage(design_features=["little_judgement"])
    assert (result["verdict"], result["risk_level"]) == ("reconsider", "high")
    assert "little_judgement" in result["rules"]


def test_most_cautious_verdict_wins() -> None:
    # predictions (proceed with governance) + poor data (reconsider) -> reconsider
    result = triage(design_features=["individual_predictions"], quality_sufficient=False)
    assert result["verdict"] == "reconsider"
    assert set(result["rules"]) == {"individual_predictions", "quality_poor"}


def test_rationales_collect_per_theme() -> None:
    result = triage(past_controversy=True, affected_groups=["children_families", "care_experienced"])
    public = next(t for t in result["themes"] if t["theme"] == "public_engagement")
    assert len(public["rationales"]) == 3  # controversy, children affected, care-experienced affected
