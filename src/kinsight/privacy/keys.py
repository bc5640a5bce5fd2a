"""The pseudonymisation key: created once, kept outside the Kinsight home, never logged.

The key is the exact bytes of the key file (``kinsight keys create`` writes 32 random bytes with
owner-only permissions).  It can instead come from the environment
(``KINSIGHT_PSEUDONYMISATION_KEY``, written as hex) so that a container can receive it from a secret
store without a file on disk.  Anyone who holds the key and the raw identifiers can recompute every
token, so the key is treated like a password: it never enters the store, an export or a log.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

from kinsight.errors import ConfigurationError, ConflictError

KEY_BYTES = 32
MIN_KEY_BYTES = 32
ENV_VAR = "KINSIGHT_PSEUDONYMISATION_KEY"

log = logging.getLogger(__name__)


def create_key_file(path: Path) -> Path:
    """Write a new random key to ``path`` with 0600 permissions; refuse to replace an existing key.

    Replacing a key silently would break the link between every token already issued and its child,
    so an existing file is an error (rotation is a separate, deliberate action).
    """
    path = Path(path)
    if path.exists():
        raise ConflictError(
            f"a key file already exists at {path}",
            hint="Keep it, or use 'kinsight keys rotate' to replace it deliberately.",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_key(path, secrets.token_bytes(KEY_BYTES))
    return path


def write_key(path: Path, key: bytes) -> None:
    """Write key bytes so that only the owner can ever read them (the file is created as 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)


def read_key_file(path: Path) -> bytes:
    """Read a key file; a missing or too short key is a configuration problem with a hint."""
    path = Path(path)
    if not path.is_file():
        raise ConfigurationError(
            f"no pseudonymisation key at {path}",
            hint=f"Create one with 'kinsight keys create --key-file {path}', or set {ENV_VAR}.",
        )
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("the pseudonymisation key file can be read by other users; run chmod 600 on it")
    return _checked(path.read_bytes(), str(path))


def key_from_text(text: str) -> bytes:
    """Decode a key given as hex (the form used in the environment variable)."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as error:
        raise ConfigurationError(
            f"{ENV_VAR} is not a hex string",
            hint="Give the key as hex: 64 hex digits for 32 bytes.",
        ) from error
    return _checked(key, ENV_VAR)


def _checked(key: bytes, source: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise ConfigurationError(
            f"the pseudonymisation key in {source} is shorter than {MIN_KEY_BYTES} bytes",
            hint="Create a strong key with 'kinsight keys create'.",
        )
    return key


def fingerprint(key: bytes) -> str:
    """A short, non-secret label for a key (first 12 hex digits of SHA-256 of a fixed label under the key).

    It lets people and audit records say *which* key was used without revealing it.
    """
    import hashlib
    import hmac

    return hmac.new(key, b"kinsight key fingerprint", hashlib.sha256).hexdigest()[:12]
