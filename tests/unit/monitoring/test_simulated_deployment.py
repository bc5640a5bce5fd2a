"""A simulated deployment whose input data shifts at a known month raises the drift alert then, not before."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kinsight.services import monitoring as svc
from kinsight.settings import Settings

from .conftest import OPERATOR, tool_inputs

SHIFT_MONTH = 7


def test_drift_alert_at_the_shift_month_and_not_before(
    settings: Settings, reference_csv: Path, tmp_path: Path
) -> None:
    svc.deploy(settings, OPERATOR, "referral-tool", version="1", reference=reference_csv, owner="ana")
    rng = np.random.default_rng(5)
    first_alert: dict[str, int] = {}
    for month in range(1, 13):
        current = tmp_path / f"2025-{month:02d}.csv"
        shift = 2.5 if month >= SHIFT_MONTH else 0.0
        tool_inputs(400, rng, shift=shift).write_csv(current)
        result = svc.run(settings, OPERATOR, "referral-tool", current=current, period=f"2025-{month:02d}")[0]
        for alert in result["alerts"]:
            first_alert.setdefault(f"{alert['section']}:{alert['subject']}", month)
    assert first_alert == {"drift:age": SHIFT_MONTH}
    periods = [a["period"] for a in svc.alerts_for(settings, "ana")]
    assert min(periods) == f"2025-{SHIFT_MONTH:02d}"
    psi = svc.series(settings, OPERATOR, "referral-tool", "drift", "psi")
    age = {r["period"]: r["value"] for r in psi if r["subject"] == "age"}
    assert (
        max(v for p, v in age.items() if p < "2025-07")
        < 0.1
        < 0.25
        <= min(v for p, v in age.items() if p >= "2025-07")
    )
