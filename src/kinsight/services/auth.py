"""Who is asking: password hashing and policy, the signed-in principal, the signing secret, and OIDC.

OIDC sign-in (for example Microsoft Entra ID) uses Authlib: an authorisation-code flow whose ID
token is checked against the provider's published keys (signature, issuer, audience, expiry, nonce).
A provider account only signs in when it matches an existing Kinsight account: roles are always
given by an administrator, never by the provider.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpx
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kinsight.domain.roles import Permission, Role
from kinsight.errors import AuthenticationError, ConfigurationError, UsageError
from kinsight.settings import Settings

MIN_PASSWORD_LENGTH = 12
_COMMON = frozenset(
    {
        "password",
        "password1",
        "password123",
        "qwerty",
        "letmein",
        "welcome",
        "123456789012",
        "kinsight",
        "changeme",
        "iloveyou",
        "admin",
        "socialcare",
        "children",
    }
)


@dataclass(frozen=True)
class Principal:
    """A signed-in person (session) or service client (API token), with their role in this authority."""

    user_id: int
    username: str
    display_name: str
    role: Role
    la_code: str
    via: str = "session"
    scopes: frozenset[Permission] | None = None


_HASHER: list[PasswordHasher] = []


def password_hasher() -> PasswordHasher:
    """argon2id with the library's recommended default cost."""
    if not _HASHER:
        _HASHER.append(PasswordHasher())
    return _HASHER[0]


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher (tests use a cheap one so they stay fast); stored hashes carry their own cost."""
    _HASHER[:] = [hasher]
    _dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Constant-effort check: an account without a password still costs one verification."""
    hasher = password_hasher()
    try:
        return hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return password_hasher().hash(secrets.token_urlsafe(16))


def check_password_strength(password: str, *, username: str = "") -> None:
    """Refuse empty, short, common or name-like passwords with a hint on what to choose instead."""
    hint = f"Use at least {MIN_PASSWORD_LENGTH} characters; three or four unrelated words work well."
    if not password or not password.strip():
        raise UsageError("The password is empty.", hint=hint)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"The password is shorter than {MIN_PASSWORD_LENGTH} characters.", hint=hint)
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        raise UsageError("The password is too easy to guess.", hint=hint)
    if username and username.lower() in lowered:
        raise UsageError("The password contains the user name.", hint=hint)


def secret_key(settings: Settings) -> str:
    """The signing secret: from settings, else ``<home>/secret.key`` (created on first use, owner-only)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.home / "secret.key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value


# --- OIDC ----------------------------------------------------------------------------------------------


def oidc_configured(settings: Settings) -> bool:
    return bool(settings.oidc_discovery_url and settings.oidc_client_id)


@dataclass(frozen=True)
class OidcStart:
    url: str
    state: str
    nonce: str


class OidcClient:
    """The authorisation-code flow against one provider.  ``transport`` lets tests serve it in-process."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        if not oidc_configured(settings):
            raise ConfigurationError(
                "Single sign-on is not configured.",
                hint="Set KINSIGHT_OIDC_DISCOVERY_URL, KINSIGHT_OIDC_CLIENT_ID and "
                "KINSIGHT_OIDC_CLIENT_SECRET.",
            )
        self.settings = settings
        self.transport = transport
        self._discovery: dict[str, Any] | None = None

    def _http(self) -> httpx.Client:
        return httpx.Client(transport=self.transport, timeout=10)

    def discovery(self) -> dict[str, Any]:
        if self._discovery is None:
            with self._http() as http:
                response = http.get(str(self.settings.oidc_discovery_url))
                response.raise_for_status()
                self._discovery = response.json()
        return self._discovery

    def start(self, redirect_uri: str) -> OidcStart:
        from authlib.integrations.httpx_client import OAuth2Client

        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        client = OAuth2Client(
            client_id=self.settings.oidc_client_id, scope="openid profile email", redirect_uri=redirect_uri
        )
        url, _ = client.create_authorization_url(
            self.discovery()["authorization_endpoint"], state=state, nonce=nonce
        )
        return OidcStart(url=url, state=state, nonce=nonce)

    def finish(self, *, code: str, redirect_uri: str, nonce: str) -> dict[str, Any]:
        """Swap the code for tokens and return the ID token's verified claims."""
        from authlib.integrations.httpx_client import OAuth2Client
        from joserfc import jwt
        from joserfc.errors import JoseError
        from joserfc.jwk import KeySet

        meta = self.discovery()
        client = OAuth2Client(
            client_id=self.settings.oidc_client_id,
            client_secret=self.settings.oidc_client_secret,
            redirect_uri=redirect_uri,
            transport=self.transport,
        )
        try:
            token = client.fetch_token(meta["token_endpoint"], code=code, grant_type="authorization_code")
            with self._http() as http:
                keys = KeySet.import_key_set(http.get(meta["jwks_uri"]).json())
            claims = jwt.decode(token["id_token"], keys, algorithms=["RS256"]).claims
            jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": meta["issuer"]},
                aud={"essential": True, "value": self.settings.oidc_client_id},
                nonce={"essential": True, "value": nonce},
                exp={"essential": True},
            ).validate(claims)
        except (JoseError, KeyError, httpx.HTTPError, ValueError) as error:
            raise AuthenticationError(
                "Single sign-on did not complete.",
                hint="Try again; if it keeps failing, tell your administrator.",
            ) from error
        finally:
            client.close()
        return dict(claims)
