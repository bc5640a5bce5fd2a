"""Session cookies, CSRF, idle timeout and safe redirects."""

from __future__ import annotations

import time

from kinsight.domain.roles import Role


def test_cookie_flags(client, csrf_of, demo_login) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/sign-in")
    user, password = demo_login(Role.ANALYST)
    response = client.post(
        "/sign-in",
        data={"username": user, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_secure_flag_when_configured(web_settings) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from kinsight.web import create_app

    app = create_app(web_settings.model_copy(update={"secure_cookies": True}))
    with TestClient(app, base_url="https://testserver") as c:
        page = c.get("/sign-in")
        assert "secure" in page.headers["set-cookie"].lower()


def test_post_without_csrf_token_is_refused(client, csrf_of, demo_login) -> None:  # type: ignore[no-untyped-def]
    client.get("/sign-in")
    user, password = demo_login(Role.ANALYST)
    response = client.post(
        "/sign-in",
        data={"username": user, "password": password, "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303  # still signed out


def test_public_challenge_form_needs_csrf_too(client, csrf_of, demo_login) -> None:  # type: ignore[no-untyped-def]
    client.get("/challenge")
    assert client.post("/challenge", data={"summary": "x", "csrf_token": ""}).status_code == 403


def test_idle_timeout_signs_out(signed_in_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import kinsight.web.security as security

    c = signed_in_as(Role.ANALYST)
    assert c.get("/catalogue").status_code == 200
    later = time.time() + 31 * 60
    monkeypatch.setattr(security.time, "time", lambda: later)
    response = c.get("/catalogue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_sign_out_needs_csrf_and_ends_the_session(signed_in_as, csrf_of, demo_login) -> None:  # type: ignore[no-untyped-def]
    c = signed_in_as(Role.ANALYST)
    token = csrf_of(c.get("/account").text)
    assert c.post("/sign-out", data={"csrf_token": "nope"}).status_code == 403
    assert c.post("/sign-out", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert c.get("/catalogue", follow_redirects=False).status_code == 303


def test_next_only_redirects_within_the_site(client, csrf_of, demo_login) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/sign-in")
    user, password = demo_login(Role.ANALYST)
    response = client.post(
        "/sign-in",
        data={
            "username": user,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_failed_sign_in_shows_a_plain_message(client, csrf_of, demo_login) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": "demo-analyst", "password": "wrong wrong wrong", "csrf_token": csrf_of(page.text)},
    )
    assert "The user name or password is not right." in response.text
