"""OIDC sign-in against a fake provider served in-process (locally generated RS256 key, no network)."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from kinsight.services import accounts

ISSUER = "https://idp.test"
CLIENT_ID = "kinsight-test"


class FakeProvider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict = {}
        self.nonce = ""

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": "k1", "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def id_token(self, **override) -> str:  # type: ignore[no-untyped-def]
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "entra-123",
            "email": "ivy@council.test",
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            **self.claims,
            **override,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/keys",
                },
            )
        if request.url.path == "/keys":
            return httpx.Response(200, json=self.jwks())
        if request.url.path == "/token":
            form = parse_qs(request.content.decode())
            assert form["code"] == ["the-code"]
            return httpx.Response(
                200, json={"access_token": "at", "token_type": "Bearer", "id_token": self.id_token()}
            )
        return httpx.Response(404)


@pytest.fixture
def oidc_app(web_settings):  # type: ignore[no-untyped-def]
    from kinsight.web import create_app

    settings = web_settings.model_copy(
        update={
            "oidc_discovery_url": f"{ISSUER}/.well-known/openid-configuration",
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": "s3cret",
        }
    )
    app = create_app(settings)
    provider = FakeProvider()
    app.state.oidc_transport = httpx.MockTransport(provider.handler)
    return app, provider, settings


def _start(client, provider):  # type: ignore[no-untyped-def]
    start = client.get("/sign-in/oidc", follow_redirects=False)
    assert start.status_code == 303
    query = parse_qs(urlparse(start.headers["location"]).query)
    assert query["client_id"] == [CLIENT_ID]
    provider.nonce = query["nonce"][0]
    return query["state"][0]


def test_button_only_when_configured(client, oidc_app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    assert "organisation account" not in client.get("/sign-in").text
    with TestClient(oidc_app[0]) as c:
        assert "Sign in with your organisation account" in c.get("/sign-in").text


def test_callback_signs_in_a_known_account(oidc_app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    app, provider, settings = oidc_app
    accounts.create_user(
        settings, "ivy", role="information_governance", password=None, email="ivy@council.test"
    )
    with TestClient(app) as c:
        state = _start(c, provider)
        done = c.get(f"/sign-in/oidc/callback?code=the-code&state={state}", follow_redirects=False)
        assert done.status_code == 303
        assert c.get("/api/v1/me").json()["username"] == "ivy"


@pytest.mark.parametrize(
    "bad", [{"aud": "someone-else"}, {"iss": "https://other"}, {"exp": 1000}, {"nonce": "replayed"}]
)
def test_callback_refuses_bad_tokens(oidc_app, bad) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    app, provider, settings = oidc_app
    accounts.create_user(
        settings, "ivy", role="information_governance", password=None, email="ivy@council.test"
    )
    provider.claims = bad
    with TestClient(app) as c:
        state = _start(c, provider)
        done = c.get(f"/sign-in/oidc/callback?code=the-code&state={state}", follow_redirects=False)
        assert done.status_code == 401
        assert c.get("/api/v1/me").status_code == 401


def test_unknown_account_and_wrong_state_are_refused(oidc_app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    app, provider, _ = oidc_app
    with TestClient(app) as c:
        state = _start(c, provider)
        assert (
            c.get(f"/sign-in/oidc/callback?code=the-code&state={state}").status_code == 401
        )  # no such account
        _start(c, provider)
        assert c.get("/sign-in/oidc/callback?code=the-code&state=forged").status_code == 401


def test_a_token_signed_by_another_key_is_refused(oidc_app) -> None:  # type: ignore[no-untyped-def]
    """The ID token's claims are right but its signature is not the provider's published key."""
    from fastapi.testclient import TestClient

    app, provider, settings = oidc_app
    accounts.create_user(
        settings, "ivy", role="information_governance", password=None, email="ivy@council.test"
    )
    published = provider.jwks()
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # signs from now on
    provider.jwks = lambda: published  # type: ignore[method-assign]
    with TestClient(app) as c:
        state = _start(c, provider)
        done = c.get(f"/sign-in/oidc/callback?code=the-code&state={state}", follow_redirects=False)
        assert done.status_code == 401
        assert c.get("/api/v1/me").status_code == 401
