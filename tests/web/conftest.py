"""Web fixtures: an app on a fresh home with one demo account per role, and signed-in test clients."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator

import pytest

from kinsight.domain.roles import Role
from kinsight.services import accounts
from kinsight.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def demo_login(role: Role) -> tuple[str, str]:
    for username, r, password in accounts.demo_accounts():
        if r is role:
            return username, password
    raise KeyError(role)


@pytest.fixture(name="csrf_of")
def csrf_of_fixture() -> Callable[[str], str]:
    return csrf_of


@pytest.fixture(name="demo_login")
def demo_login_fixture() -> Callable[[Role], tuple[str, str]]:
    return demo_login


@pytest.fixture
def web_settings(sqlite_settings: Settings) -> Settings:
    accounts.prepare_database(sqlite_settings)
    accounts.ensure_demo_accounts(sqlite_settings)
    return sqlite_settings


@pytest.fixture
def app(web_settings: Settings):  # type: ignore[no-untyped-def]
    from kinsight.web import create_app

    return create_app(web_settings)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


def sign_in(client: TestClient, username: str, password: str) -> None:
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


@pytest.fixture
def sign_in_with() -> Callable[[TestClient, str, str], None]:
    """``sign_in`` for tests in this folder, as a fixture (importing ``conftest`` by name is ambiguous)."""
    return sign_in


@pytest.fixture
def signed_in_as(app) -> Iterator[Callable[[Role], TestClient]]:  # type: ignore[no-untyped-def]
    clients: list[TestClient] = []

    def make(role: Role) -> TestClient:
        c = TestClient(app)
        clients.append(c)
        sign_in(c, *demo_login(role))
        return c

    yield make
    for c in clients:
        c.close()
