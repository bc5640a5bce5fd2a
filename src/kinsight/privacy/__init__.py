"""Privacy protection: keyed pseudonymisation, generalisation, re-identification risk, k-anonymity
enforcement, purpose profiles and safe publication of tables (:func:`publish_table`)."""

from kinsight.privacy.publish import PublishedTable, publish_table
from kinsight.privacy.risk import RiskResult, measure_risk
from kinsight.privacy.tokens import pseudonymise, token

__all__ = ["PublishedTable", "RiskResult", "measure_risk", "pseudonymise", "publish_table", "token"]
