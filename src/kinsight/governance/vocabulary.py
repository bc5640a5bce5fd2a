"""Closed sets of the governance lifecycle: stages, analytics tiers, sign-off roles, evidence kinds.

They are StrEnums so a typo in a YAML file or a CLI option fails loudly instead of silently creating
a new stage or role.  Labels and explanations live in the YAML files, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    """The ten stages of the DfE guidance's development lifecycle, in order."""

    PROBLEM_IDENTIFICATION = "problem_identification"
    CAPABILITY_ASSESSMENT = "capability_assessment"
    CHOOSING_SOLUTION = "choosing_solution"
    ETHICS_TRIAGE = "ethics_triage"
    DESIGN = "design"
    DEVELOPMENT = "development"
    TESTING = "testing"
    PRE_DEPLOYMENT = "pre_deployment"
    DEPLOYMENT_MONITORING = "deployment_monitoring"
    RETIREMENT = "retirement"

    @property
    def ordinal(self) -> int:
        return list(Stage).index(self)


class AnalyticsTier(StrEnum):
    """The three kinds of analytics the guidance distinguishes, from least to most risky."""

    DESCRIPTIVE = "descriptive"
    DIAGNOSTIC = "diagnostic"
    PREDICTIVE = "predictive"

    @property
    def rank(self) -> int:
        return list(AnalyticsTier).index(self)


class SignoffRole(StrEnum):
    """Who may sign a decision off.  The gates in stages.yaml name these roles."""

    SENIOR_LEADER = "senior_leader"
    PROJECT_OWNER = "project_owner"
    DATA_PROTECTION_OFFICER = "data_protection_officer"
    INFORMATION_GOVERNANCE = "information_governance"
    OVERSIGHT_GROUP_CHAIR = "oversight_group_chair"
    COMMUNICATIONS = "communications"


class EvidenceKind(StrEnum):
    """Results Kinsight computes elsewhere that the gates read."""

    DATA_QUALITY = "data_quality"
    PRIVACY = "privacy"
    EVALUATION = "evaluation"


class TriageVerdict(StrEnum):
    """The triage's overall advice, from least to most cautious."""

    CONTINUE = "continue"
    PROCEED_WITH_GOVERNANCE = "proceed_with_governance"
    RECONSIDER = "reconsider"

    @property
    def rank(self) -> int:
        return list(TriageVerdict).index(self)


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


class ConditionStatus(StrEnum):
    MET = "met"
    UNMET = "unmet"
    NO_EVIDENCE = "no_evidence"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Actor:
    """Who is acting: every governance use case records it (user name and platform role)."""

    user: str
    role: str

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"
