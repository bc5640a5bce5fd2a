"""Every role x every endpoint gives exactly the allow/deny that permissions.yaml says.

The expected values come from a plain YAML read here, not from Kinsight's own loader or casbin.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import kinsight.domain as domain_pkg
from kinsight.domain.roles import Role

GRANTS = {
    role: set(entry["permissions"])
    for role, entry in yaml.safe_load((Path(domain_pkg.__file__).parent / "permissions.yaml").read_text())[
        "roles"
    ].items()
}

# (path, permission it needs); None = any signed-in person
ENDPOINTS: list[tuple[str, str | None]] = [
    ("/", "catalogue.view"),
    ("/catalogue", "catalogue.view"),
    ("/dictionary", "dictionary.view"),
    ("/dictionary/ssda903", "dictionary.view"),
    ("/challenges", "challenge.raise"),
    ("/audit", "audit.view"),
    ("/audit/verify", "audit.verify"),
    ("/users", "users.view"),
    ("/roles", "roles.view"),
    ("/account", None),
    ("/api/v1/me", None),
    ("/api/v1/roles", "roles.view"),
    ("/api/v1/catalogue", "catalogue.view"),
    ("/api/v1/dictionary", "dictionary.view"),
    ("/api/v1/dictionary/cin_census", "dictionary.view"),
    ("/api/v1/challenges", "challenge.raise"),
    ("/api/v1/challenges-counts", "monitoring.view"),
    ("/api/v1/audit", "audit.view"),
    ("/api/v1/audit/flags", "audit.view"),
    ("/api/v1/audit/verify", "audit.verify"),
    ("/api/v1/users", "users.view"),
    ("/api/v1/tokens", "tokens.manage"),
    ("/search", "child.search"),
    ("/practitioner/break-glass", "audit.view"),
    ("/api/v1/search?q=C1&reason=Checking+a+data+quality+query", "child.search"),
    ("/api/v1/children/C1/timeline?reason=Checking+a+data+quality+query", "child.view"),
    ("/monitoring", "monitoring.view"),
    ("/monitoring/alerts", None),
    ("/api/v1/monitoring/deployments", "monitoring.view"),
    ("/api/v1/monitoring/deployments/no-such-tool", "monitoring.view"),
    ("/api/v1/monitoring/deployments/no-such-tool/series", "monitoring.view"),
    ("/api/v1/monitoring/alerts", None),
    ("/quality", "quality.view"),
    ("/api/v1/quality", "quality.view"),
    ("/api/v1/quality/findings", "quality.view"),
    ("/indicators", "analytics.view"),
    ("/api/v1/indicators", "analytics.view"),
    ("/api/v1/indicators/compare", "analytics.view"),
    ("/forecast", "forecast.view"),
    ("/api/v1/forecast", "forecast.view"),
    ("/evaluation", "evaluation.view"),
    ("/api/v1/evaluation", "evaluation.view"),
    ("/api/v1/evaluation/explanations", "evaluation.view"),
    ("/api/v1/bias", "evaluation.view"),
    ("/projects", "governance.view"),
    ("/api/v1/projects", "governance.view"),
    ("/api/v1/instruments", "governance.view"),
    ("/api/v1/instruments/ethics_triage", "governance.view"),
    ("/api/v1/projects/no-such-project", "governance.view"),
    ("/api/v1/projects/no-such-project/answers/ethics_triage", "governance.view"),
    ("/api/v1/projects/no-such-project/risks", "governance.view"),
    ("/api/v1/projects/no-such-project/history", "governance.view"),
    ("/api/v1/projects/no-such-project/transparency-record", "governance.view"),
]

# What an allowed request answers when it is not 200: these homes hold no data, so the practitioner
# API answers 404 ("nothing loaded") once the permission check has let the request through, and so
# do paths naming a tool or project that does not exist.
ALLOWED_STATUS = {
    "/api/v1/search?q=C1&reason=Checking+a+data+quality+query": 404,
    "/api/v1/children/C1/timeline?reason=Checking+a+data+quality+query": 404,
    **{path: 404 for path, _ in ENDPOINTS if "/no-such-" in path},
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_against_every_endpoint(role: Role, signed_in_as) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_as(role)
    wrong = []
    for path, permission in ENDPOINTS:
        allowed = permission is None or permission in GRANTS[role.value]
        expected = ALLOWED_STATUS.get(path, 200) if allowed else 403
        got = client.get(path, follow_redirects=False).status_code
        if got != expected:
            wrong.append((path, expected, got))
    assert wrong == []


def test_the_test_covers_every_api_get_operation(client) -> None:  # type: ignore[no-untyped-def]
    import re

    # The sample values used above stand for these path parameters.
    samples = {
        r"/(ssda903|cin_census)$": "/{dataset}",
        r"/children/C1/": "/children/{child}/",
        r"/no-such-(tool|project)": "/{name}",
        r"/ethics_triage$": "/{instrument_id}",
    }

    def template(path: str) -> str:
        path = path.split("?")[0]
        for pattern, replacement in samples.items():
            path = re.sub(pattern, replacement, path)
        return path

    listed = {template(path) for path, _ in ENDPOINTS}
    for path, ops in client.get("/openapi.json").json()["paths"].items():
        if "get" in ops and "{reference}" not in path:
            assert path in listed, path


def test_challenge_management_endpoints(signed_in_as, web_settings) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import challenges

    ref = challenges.create(web_settings, output_ref="/x", summary="Is this right?").reference
    for role in Role:
        c = signed_in_as(role)
        token = c.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
        got = c.post(
            f"/api/v1/challenges/{ref}/status", json={"status": "nonsense"}, headers={"X-CSRF-Token": token}
        ).status_code
        assert got == (422 if "challenge.manage" in GRANTS[role.value] else 403), role
        page = c.get(f"/challenges/{ref}").status_code
        assert page == (200 if "challenge.manage" in GRANTS[role.value] else 403), role
