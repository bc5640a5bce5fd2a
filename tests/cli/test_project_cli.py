"""The ``kinsight project`` contract: create, status --json, advance (exit 5), answer, signoff, export."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from kinsight.cli.main import build_app
from kinsight.governance.exports import ATRS_SCHEMA

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    return build_app()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KINSIGHT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return tmp_path / "home"


def run(app, *args: str, home: Path, code: int = 0):
    result = runner.invoke(app, [*args, "--home", str(home)])
    assert result.exit_code == code, result.output
    return result


def test_create_status_advance_answer_signoff_export(app, home: Path, tmp_path: Path) -> None:
    run(app, "project", "create", "demo", home=home)
    status = json.loads(run(app, "project", "status", "demo", "--json", home=home).stdout)
    assert status["stage"] == "problem_identification" and status["next_stage"] == "capability_assessment"
    assert status["gate"]["met"] is False
    assert {c["id"] for c in status["gate"]["unmet"]} == {"profile_basics", "user_needs"}

    refused = run(app, "project", "advance", "demo", home=home, code=5)
    assert "user map" in refused.output

    refused_json = runner.invoke(app, ["project", "advance", "demo", "--json", "--home", str(home)])
    assert refused_json.exit_code == 5 and refused_json.stdout == ""
    error = json.loads(refused_json.stderr.splitlines()[0])
    assert {u["id"] for u in error["error"]["details"]["unmet"]} == {"profile_basics", "user_needs"}

    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump({"summary": "Shows demand.", "problem": "Planning.", "owner": "Sam"}))
    needs = tmp_path / "needs.yaml"
    needs.write_text(
        yaml.safe_dump(
            {
                "needs": [{"user_group": "Managers", "relation": "uses", "need": "As a..."}],
                "engagement": "Workshops",
            }
        )
    )
    out = json.loads(
        run(
            app, "project", "answer", "demo", "project_profile", "--file", str(profile), "--json", home=home
        ).stdout
    )
    assert out["version"] == 1
    run(app, "project", "answer", "demo", "user_needs", "--file", str(needs), home=home)
    moved = json.loads(run(app, "project", "advance", "demo", "--json", home=home).stdout)
    assert moved["stage"] == "capability_assessment"

    signed = json.loads(
        run(
            app,
            "project",
            "signoff",
            "demo",
            "--role",
            "senior_leader",
            "--user",
            "A. Director",
            "--subject",
            "business_case",
            "--json",
            home=home,
        ).stdout
    )
    assert (signed["role"], signed["user"], signed["subject"]) == (
        "senior_leader",
        "A. Director",
        "business_case",
    )

    exported = json.loads(
        run(app, "project", "export", "demo", "--format", "atrs-json", "--json", home=home).stdout
    )
    record = json.loads(Path(exported["paths"][0]).read_text())
    jsonschema.validate(record, json.loads(ATRS_SCHEMA.read_text()))
    assert exported["valid"] is True and "tier_1.contact_email" in exported["incomplete"]

    run(app, "project", "back", "demo", "--to", "problem_identification", "--reason", "Rethink", home=home)
    run(app, "project", "scope-change", "demo", "--description", "Wider", home=home)
    events = json.loads(run(app, "project", "history", "demo", "--json", home=home).stdout)
    assert [e["event"] for e in events].count("stage_back") == 1
    assert any(e["event"] == "scope_change" for e in events)


def test_bad_answers_file_names_the_problem(app, home: Path, tmp_path: Path) -> None:
    run(app, "project", "create", "demo", home=home)
    bad = tmp_path / "bad.yaml"
    bad.write_text("summary: [unclosed\n")
    result = run(app, "project", "answer", "demo", "project_profile", "--file", str(bad), home=home, code=3)
    assert "bad.yaml" in result.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("summary: s\nproblem: p\nowner: o\nanalytics_type: magic\n")
    result = run(app, "project", "answer", "demo", "project_profile", "--file", str(wrong), home=home, code=2)
    assert "analytics_type" in result.output


def test_instruments_and_template(app, home: Path) -> None:
    rows = json.loads(run(app, "project", "instruments", "--json", home=home).stdout)
    assert {"ethics_triage", "data_maturity", "success_criteria"} <= {r["id"] for r in rows}
    template = run(app, "project", "template", "data_maturity", home=home).stdout
    assert set(yaml.safe_load(template)) >= {"culture_decisions", "governance_oversight"}


def test_unknown_role_and_stage_are_usage_errors(app, home: Path) -> None:
    run(app, "project", "create", "demo", home=home)
    run(app, "project", "signoff", "demo", "--role", "king", "--user", "x", home=home, code=2)
    run(app, "project", "back", "demo", "--to", "nowhere", "--reason", "x", home=home, code=2)
    run(app, "project", "status", "missing", home=home, code=2)


def test_help_teaches_with_an_example(app) -> None:
    result = runner.invoke(app, ["project", "advance", "--help"])
    assert result.exit_code == 0 and "Example" in result.output
