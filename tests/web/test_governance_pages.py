"""Governance pages and API: forms built from the instrument YAML, gates, sign-off permissions, exports.

Expected values come from the instrument and stage files read here with PyYAML, from the ATRS JSON
schema, and from the risk matrix worked by hand; never from the page code itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from markupsafe import escape

import kinsight.governance as governance_pkg
from kinsight.domain.roles import Role
from kinsight.services import governance as svc
from kinsight.services import tokens
from kinsight.settings import Settings
from kinsight.storage import governance_repo as repo

GOV = Path(governance_pkg.__file__).parent
NAME = "placement-risk"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client) -> str:  # type: ignore[no-untyped-def]
    match = CSRF.search(client.get("/challenge").text)  # a form every signed-in person can open
    assert match
    return match.group(1)


def instrument_yaml(instrument_id: str) -> dict:
    return yaml.safe_load((GOV / "instruments" / f"{instrument_id}.yaml").read_text(encoding="utf-8"))


def gate_labels(stage: str) -> dict[str, str]:
    stages = yaml.safe_load((GOV / "stages.yaml").read_text(encoding="utf-8"))["stages"]
    return {c["id"]: c["label"] for c in next(s for s in stages if s["id"] == stage)["gate"]}


@pytest.fixture
def analyst(signed_in_as: Callable):  # type: ignore[no-untyped-def]
    client = signed_in_as(Role.ANALYST)
    response = client.post(
        "/projects",
        data={"csrf_token": csrf(client), "name": NAME, "title": "Placement breakdown early warning"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/projects/{NAME}"
    return client


def post(client, path: str, data: dict | list, expect: int = 303):  # type: ignore[no-untyped-def]
    fields: dict[str, list[str]] = {"csrf_token": [csrf(client)]}
    for key, value in data.items() if isinstance(data, dict) else data:
        fields.setdefault(key, []).append(value)
    response = client.post(path, data=fields, follow_redirects=False)
    assert response.status_code == expect, response.text[:2000]
    return response


def test_pages_need_sign_in_and_the_view_permission(client, signed_in_as) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/projects", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")
    practitioner = signed_in_as(Role.PRACTITIONER)
    assert practitioner.get("/projects").status_code == 403
    assert signed_in_as(Role.OVERSIGHT_MEMBER).get("/projects").status_code == 200


def test_project_page_shows_stage_owner_and_every_gate_condition(analyst) -> None:  # type: ignore[no-untyped-def]
    page = analyst.get(f"/projects/{NAME}").text
    assert 'id="current-stage">1. Problem identification' in page and 'id="owner">Not named yet' in page
    for condition_id, label in gate_labels("problem_identification").items():
        assert f'id="condition-{condition_id}"' in page
        assert escape(label) in page
    assert page.count("Not met") == 2
    assert f'href="/projects/{NAME}/instruments/project_profile"' in page
    assert f'href="/projects/{NAME}/instruments/user_needs"' in page
    assert "Challenge this result" in page


def test_refused_advance_names_every_unmet_condition(analyst) -> None:  # type: ignore[no-untyped-def]
    response = post(analyst, f"/projects/{NAME}/advance", {}, expect=409)
    page = response.text
    assert "govuk-error-summary" in page and "2 conditions not met" in page
    for condition_id, label in gate_labels("problem_identification").items():
        assert f'href="#condition-{condition_id}"' in page and escape(label) in page
    assert svc.Stage.PROBLEM_IDENTIFICATION.value in analyst.get(f"/api/v1/projects/{NAME}").text


def test_instrument_form_is_built_from_the_yaml(analyst) -> None:  # type: ignore[no-untyped-def]
    for instrument_id in ("project_profile", "data_maturity", "risk_log", "success_criteria"):
        definition = instrument_yaml(instrument_id)
        page = analyst.get(f"/projects/{NAME}/instruments/{instrument_id}").text
        assert definition["title"] in page
        for question in definition["questions"]:
            assert f"q-{question['id']}" in page
            assert question["text"].split("\n")[0][:40].replace("'", "&#39;") in page
            for option in question.get("options", []):
                assert f'value="{option["id"]}"' in page
            for column in question.get("columns", []):
                assert f"q-{question['id']}-0-{column['id']}" in page


def test_invalid_answers_show_the_error_summary_and_keep_what_was_typed(analyst) -> None:  # type: ignore[no-untyped-def]
    response = post(
        analyst,
        f"/projects/{NAME}/instruments/success_criteria",
        {"q-min_precision": "1.7", "q-min_group_size": "ten", "q-decision_context": "Tight"},
        expect=422,
    )
    page = response.text
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    assert 'href="#q-outcome_measures"' in summary  # required, left blank
    assert 'href="#q-min_precision"' in summary
    assert 'href="#q-min_group_size"' in summary
    assert "Enter a whole number" in summary
    assert 'value="1.7"' in page and "Tight" in page
    assert (
        svc.history(analyst.app.state.settings, svc.Actor("t", svc.LOCAL_OPERATOR), NAME)[-1]["event"]
        != "answers"
    )


def _answer_first_stage(client) -> None:  # type: ignore[no-untyped-def]
    post(
        client,
        f"/projects/{NAME}/instruments/project_profile",
        {
            "q-summary": "Flags placements at risk of breaking down, for social workers.",
            "q-problem": "Unplanned placement moves harm children.",
            "q-owner": "Ana Analyst",
            "q-analytics_type": "predictive",
            "q-automatic_referral": "no",
            "q-datasets": "ssda903\ncin_census",
        },
    )
    definition = instrument_yaml("user_needs")
    data: list[tuple[str, str]] = []
    for question in definition["questions"]:
        if question["type"] == "table":
            data.append((f"q-{question['id']}-rows", "1"))
            for column in question["columns"]:
                value = column["options"][0]["id"] if column.get("options") else "Social workers"
                data.append((f"q-{question['id']}-0-{column['id']}", value))
        elif question["type"] == "text":
            data.append((f"q-{question['id']}", "We spoke to twelve social workers."))
        elif question.get("options"):
            data.append((f"q-{question['id']}", question["options"][0]["id"]))
    post(client, f"/projects/{NAME}/instruments/user_needs", data)


def test_answers_saved_in_the_browser_open_the_first_gate(analyst) -> None:  # type: ignore[no-untyped-def]
    _answer_first_stage(analyst)
    saved = analyst.get(f"/api/v1/projects/{NAME}/answers/project_profile").json()
    assert saved["answers"]["datasets"] == ["ssda903", "cin_census"]
    assert saved["answers"]["automatic_referral"] is False
    page = analyst.get(f"/projects/{NAME}").text
    assert "Ana Analyst" in page and "Not met" not in page
    response = post(analyst, f"/projects/{NAME}/advance", {})
    assert response.headers["location"] == f"/projects/{NAME}?moved=forward"
    assert "2. Capability assessment" in analyst.get(response.headers["location"]).text


def test_sign_offs_follow_the_platform_roles(signed_in_as, analyst) -> None:  # type: ignore[no-untyped-def]
    form = {"role": "senior_leader", "subject": "business_case"}
    assert signed_in_as(Role.PRACTITIONER).get(f"/projects/{NAME}/signoff").status_code == 403
    assert analyst.get(f"/projects/{NAME}/signoff").status_code == 403  # analysts cannot sign off
    ig = signed_in_as(Role.INFORMATION_GOVERNANCE)
    refused = post(ig, f"/projects/{NAME}/signoff", form, expect=403)
    assert "cannot sign off as senior_leader" in refused.text and "govuk-error-summary" in refused.text
    leader = signed_in_as(Role.SENIOR_LEADER)
    post(leader, f"/projects/{NAME}/signoff", form | {"note": "Agreed at DMT"})
    post(ig, f"/projects/{NAME}/signoff", {"role": "data_protection_officer", "subject": "dpia"})
    history = leader.get(f"/api/v1/projects/{NAME}/history").json()
    signed = [e["detail"] for e in history if e["event"] == "signoff"]
    assert signed == [
        "business_case signed off by demo-senior-leader (senior_leader)",
        "dpia signed off by demo-information-governance (data_protection_officer)",
    ]
    missing = post(leader, f"/projects/{NAME}/signoff", {"role": "senior_leader"}, expect=422)
    assert 'href="#subject"' in missing.text


def test_back_validation_and_scope_change(analyst) -> None:  # type: ignore[no-untyped-def]
    _answer_first_stage(analyst)
    post(analyst, f"/projects/{NAME}/advance", {})
    no_reason = post(analyst, f"/projects/{NAME}/back", {"to": "problem_identification"}, expect=422)
    assert "needs a reason" in no_reason.text
    post(analyst, f"/projects/{NAME}/back", {"to": "problem_identification", "reason": "Owner changed"})
    assert "1. Problem identification" in analyst.get(f"/projects/{NAME}").text

    post(
        analyst,
        f"/projects/{NAME}/validation",
        {"validator": "Dr Vee", "organisation": "University", "validated": "yes", "summary": "Checked."},
    )
    incomplete = post(analyst, f"/projects/{NAME}/validation", {"validator": "X"}, expect=422)
    assert 'href="#organisation"' in incomplete.text and 'href="#validated"' in incomplete.text
    post(analyst, f"/projects/{NAME}/scope-change", {"description": "Now children in need too"})
    page = analyst.get(f"/projects/{NAME}").text
    assert "ethics triage, impact assessments" in page
    events = [e["event"] for e in analyst.get(f"/api/v1/projects/{NAME}/history").json()]
    assert {"stage_back", "external_validation", "scope_change"} <= set(events)


#: The risk matrix of risk_log.yaml, written out by hand.
HAND_LEVELS = {
    ("remote", "severe"): "medium",
    ("possible", "severe"): "high",
    ("probable", "minimal"): "medium",
}


def test_risk_log_rows_and_their_levels(analyst) -> None:  # type: ignore[no-untyped-def]
    data = [("q-risks-rows", "4")]
    for i, ((likelihood, severity), _) in enumerate(HAND_LEVELS.items()):
        data += [
            (f"q-risks-{i}-ref", f"R{i + 1}"),
            (f"q-risks-{i}-description", f"Risk number {i + 1}"),
            (f"q-risks-{i}-category", "data"),
            (f"q-risks-{i}-likelihood", likelihood),
            (f"q-risks-{i}-severity", severity),
            (f"q-risks-{i}-status", "open"),
        ]
    post(analyst, f"/projects/{NAME}/instruments/risk_log", data)  # the fourth row is blank: skipped
    logged = {r["ref"]: r["level"] for r in analyst.get(f"/api/v1/projects/{NAME}/risks").json()}
    assert logged == {f"R{i + 1}": level for i, level in enumerate(HAND_LEVELS.values())}
    page = analyst.get(f"/projects/{NAME}/risks").text
    assert "3 risks logged" in page and page.count("govuk-tag--red") == 1

    bad = post(
        analyst,
        f"/projects/{NAME}/instruments/risk_log",
        [("q-risks-rows", "1"), ("q-risks-0-ref", "R9")],
        expect=422,
    )
    assert 'href="#q-risks-0-description"' in bad.text


def test_exports_download(analyst) -> None:  # type: ignore[no-untyped-def]
    _answer_first_stage(analyst)
    record = analyst.get(f"/projects/{NAME}/exports/atrs-json")
    assert record.status_code == 200 and record.headers["content-type"].startswith("application/json")
    body = record.json()
    schema = json.loads((GOV / "atrs_schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert body["title_information"]["title"] == "Placement breakdown early warning"
    assert "attachment" in record.headers["content-disposition"]
    card = analyst.get(f"/projects/{NAME}/exports/model-card")
    assert card.status_code == 200 and "text/html" in card.headers["content-type"]
    sheet = analyst.get(f"/projects/{NAME}/exports/datasheet?dataset=ssda903")
    assert sheet.status_code == 200 and "SSDA903" in sheet.text
    assert analyst.get(f"/projects/{NAME}/exports/datasheet").status_code == 422
    assert analyst.get(f"/projects/{NAME}/exports/nonsense").status_code == 404
    page = analyst.get(f"/projects/{NAME}/exports").text
    assert "datasheet?dataset=cin_census" in page and "not complete yet" in page


def test_public_transparency_page_needs_no_sign_in(client, web_settings: Settings, signed_in_as) -> None:  # type: ignore[no-untyped-def]
    assert "No records are published yet" in client.get("/transparency").text
    operator = svc.Actor("comms", svc.LOCAL_OPERATOR)
    svc.create_project(web_settings, operator, NAME, title="Placement breakdown early warning")
    record = {
        "title_information": {
            "title": "Placement breakdown early warning",
            "one_sentence_description": "Helps social workers spot placements under strain.",
            "phase": "production",
        },
        "tier_1": {"name": "Placement breakdown early warning", "description": "A short description."},
    }
    with svc._session(web_settings) as session:
        repo.publish_record(session, repo.get_project(session, NAME), record, operator)
    page = client.get("/transparency").text
    assert "Helps social workers spot placements under strain." in page
    detail = client.get(f"/transparency/{NAME}")
    assert detail.status_code == 200 and "A short description." in detail.text
    assert client.get(f"/transparency/{NAME}.json").json() == record
    assert client.get("/transparency/unknown").status_code == 404
    # Publishing through the page refuses an unfinished record and says why.
    leader = signed_in_as(Role.SENIOR_LEADER)
    refused = post(leader, f"/projects/{NAME}/publish", {}, expect=409)
    assert "Only records of live or retired tools are published" in refused.text


def test_api_mirrors_the_use_cases(web_settings: Settings, client) -> None:  # type: ignore[no-untyped-def]
    def bearer(user: str, scopes: list[str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens.create(web_settings, user, scopes).token}"}

    analyst = bearer("demo-analyst", ["governance.view", "governance.edit"])
    assert client.get("/api/v1/projects").status_code == 401
    created = client.post("/api/v1/projects", json={"name": NAME}, headers=analyst)
    assert created.status_code == 201 and created.json()["stage"] == "problem_identification"
    assert client.post("/api/v1/projects", json={"name": NAME}, headers=analyst).status_code == 409
    refused = client.post(f"/api/v1/projects/{NAME}/advance", headers=analyst)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "gate_not_met"
    assert {c["id"] for c in error["details"]["unmet"]} == set(gate_labels("problem_identification"))
    answered = client.post(
        f"/api/v1/projects/{NAME}/answers/project_profile",
        json={"answers": {"summary": "s", "problem": "p", "owner": "o"}},
        headers=analyst,
    )
    assert answered.status_code == 201 and answered.json()["version"] == 1
    bad = client.post(
        f"/api/v1/projects/{NAME}/answers/success_criteria",
        json={"answers": {"min_precision": 3}},
        headers=analyst,
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"]["problems"]
    signoff = {"role": "senior_leader", "subject": "business_case"}
    no_scope = client.post(f"/api/v1/projects/{NAME}/signoffs", json=signoff, headers=analyst)
    assert no_scope.status_code == 403
    ig = bearer("demo-information-governance", ["governance.sign_off"])
    wrong_role = client.post(f"/api/v1/projects/{NAME}/signoffs", json=signoff, headers=ig)
    assert wrong_role.status_code == 403
    leader = bearer("demo-senior-leader", ["governance.sign_off"])
    assert client.post(f"/api/v1/projects/{NAME}/signoffs", json=signoff, headers=leader).status_code == 201
    exported = client.post(f"/api/v1/projects/{NAME}/exports", json={"format": "atrs-json"}, headers=analyst)
    assert exported.status_code == 201 and exported.json()["record"]["title_information"]["title"] == NAME
    instrument = client.get("/api/v1/instruments/risk_log", headers=analyst).json()
    assert [q["id"] for q in instrument["questions"]] == [
        q["id"] for q in instrument_yaml("risk_log")["questions"]
    ]


GRANTS = {
    role: set(entry["permissions"])
    for role, entry in yaml.safe_load(
        (GOV.parent / "domain" / "permissions.yaml").read_text(encoding="utf-8")
    )["roles"].items()
}


def test_every_role_against_the_governance_endpoints(signed_in_as, web_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    svc.create_project(web_settings, svc.Actor("setup", svc.LOCAL_OPERATOR), NAME)
    endpoints = [
        ("/projects", "governance.view"),
        (f"/projects/{NAME}", "governance.view"),
        (f"/projects/{NAME}/history", "governance.view"),
        (f"/projects/{NAME}/risks", "governance.view"),
        (f"/projects/{NAME}/instruments/project_profile", "governance.view"),
        (f"/projects/{NAME}/back", "governance.edit"),
        (f"/projects/{NAME}/validation", "governance.edit"),
        (f"/projects/{NAME}/signoff", "governance.sign_off"),
        ("/api/v1/projects", "governance.view"),
        (f"/api/v1/projects/{NAME}", "governance.view"),
        (f"/api/v1/projects/{NAME}/history", "governance.view"),
        ("/api/v1/instruments", "governance.view"),
        ("/transparency", None),
    ]
    for role in Role:
        client = signed_in_as(role)
        wrong = []
        for path, permission in endpoints:
            expected = 200 if permission is None or permission in GRANTS[role.value] else 403
            got = client.get(path, follow_redirects=False).status_code
            if got != expected:
                wrong.append((path, expected, got))
        assert wrong == [], role
