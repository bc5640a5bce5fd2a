"""Retirement: deprecate (readable, no new outputs), decommission (archive, retention), reversals by role."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from kinsight.errors import ConflictError, PermissionDeniedError
from kinsight.governance.vocabulary import Actor
from kinsight.services import monitoring as svc
from kinsight.settings import Settings

from .conftest import OPERATOR


@pytest.fixture
def output(tmp_path: Path) -> Path:
    path = tmp_path / "scores.csv"
    path.write_text("id,score\n1,0.3\n")
    return path


def test_deprecated_tool_stays_readable_and_refuses_outputs(
    settings: Settings, reference_csv: Path, output: Path
) -> None:
    svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference_csv)
    svc.record_output(settings, OPERATOR, "tool", file=output)
    result = svc.deprecate(settings, OPERATOR, "tool", reason="objectives no longer met")
    assert result["status"] == "deprecated" and not result["producing_outputs"]
    with pytest.raises(ConflictError, match="no longer produces new outputs"):
        svc.record_output(settings, OPERATOR, "tool", file=output)
    with pytest.raises(ConflictError):
        svc.ensure_producing(settings, "tool")
    assert svc.detail(settings, OPERATOR, "tool")["steps"][-1]["action"] == "deprecate"


def test_decommission_needs_deprecation_first(settings: Settings, reference_csv: Path) -> None:
    svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference_csv)
    with pytest.raises(ConflictError):
        svc.decommission(settings, OPERATOR, "tool", reason="done")


@pytest.mark.parametrize("retention", ["retain", "delete"])
def test_decommission_archives_and_applies_retention(
    settings: Settings, reference_csv: Path, output: Path, retention: str
) -> None:
    svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference_csv)
    svc.record_output(settings, OPERATOR, "tool", file=output)
    svc.run(settings, OPERATOR, "tool", current=reference_csv, period="2025-01")
    svc.deprecate(settings, OPERATOR, "tool", reason="replaced")
    result = svc.decommission(settings, OPERATOR, "tool", reason="replaced", retention=retention)
    details = result["details"]
    assert result["status"] == "retired" and details["retention"] == retention
    with zipfile.ZipFile(details["archive"]) as zf:
        names = set(zf.namelist())
        records = json.loads(zf.read("records.json"))
    assert any(n.startswith("outputs/") for n in names)
    assert len(records["runs"]) == 1
    home_copy = settings.home / "monitoring" / "tool" / "1" / "reference.csv"
    assert ("1/reference.csv" in names) == (retention == "retain")
    assert home_copy.exists() == (retention == "retain")
    assert details["transparency"]["updated"] is False  # no governance project linked
    with pytest.raises(ConflictError):
        svc.run(settings, OPERATOR, "tool")
    assert svc.status(settings, OPERATOR, "tool")[0]["status"] == "retired"  # the record stays readable


def test_only_allowed_roles_retire_or_reverse(settings: Settings, reference_csv: Path) -> None:
    svc.deploy(settings, OPERATOR, "tool", version="1", reference=reference_csv)
    analyst = Actor("alex", "analyst")
    with pytest.raises(PermissionDeniedError):
        svc.deprecate(settings, analyst, "tool", reason="x")
    svc.deprecate(settings, Actor("sam", "senior_leader"), "tool", reason="pause")
    with pytest.raises(PermissionDeniedError):
        svc.reinstate(settings, analyst, "tool", reason="undo")
    assert (
        svc.reinstate(settings, Actor("root", "admin"), "tool", reason="deprecated in error")["status"]
        == "live"
    )
    steps = svc.detail(settings, OPERATOR, "tool")["steps"]
    assert [(s["action"], s["by"], s["role"]) for s in steps] == [
        ("deprecate", "sam", "senior_leader"),
        ("reinstate", "root", "admin"),
    ]
