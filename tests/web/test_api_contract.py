"""The API contract: every /api/v1 path answers 401 without credentials, in the one error shape."""

from __future__ import annotations

import re

from kinsight.domain.roles import Role
from kinsight.services import tokens


def _paths(client):  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method in operations:
            yield path, method, operations[method]


def test_healthz_needs_no_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").status_code == 200


def test_every_api_operation_answers_401_without_credentials(client) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for path, method, _ in _paths(client):
        assert path.startswith("/api/v1/"), path
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        response = client.request(method.upper(), concrete, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        body = response.json()
        assert (
            set(body) == {"error"}
            and body["error"]["code"] == "not_authenticated"
            and body["error"]["message"]
        )
        seen += 1
    assert seen >= 12


def test_every_operation_documents_401_403_422(client) -> None:  # type: ignore[no-untyped-def]
    for path, method, operation in _paths(client):
        assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)


def test_bad_bearer_token_is_401_and_good_one_works(client, web_settings) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer kns_bad_bad"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    issued = tokens.create(web_settings, "demo-analyst", "catalogue.view")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued.token}"})
    assert me.status_code == 200 and me.json()["permissions"] == ["catalogue.view"]
    refused = client.get("/api/v1/roles", headers={"Authorization": f"Bearer {issued.token}"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    tokens.revoke(web_settings, issued.token_id)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued.token}"}).status_code == 401


def test_errors_share_one_shape(signed_in_as) -> None:  # type: ignore[no-untyped-def]
    c = signed_in_as(Role.ANALYST)
    missing = c.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    invalid = c.get("/api/v1/audit?limit=0")
    assert invalid.status_code in (403, 422)
    bad_body = c.post("/api/v1/challenges", json={"nope": 1}, headers={"X-CSRF-Token": "wrong"})
    assert bad_body.status_code == 403  # CSRF is checked first for cookie sessions
    assert set(bad_body.json()["error"]) >= {"code", "message"}
