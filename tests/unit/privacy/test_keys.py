"""The key file: 32 random bytes, owner-only, never overwritten; env keys as hex."""

from __future__ import annotations

import stat

import pytest

from kinsight.errors import ConfigurationError, ConflictError
from kinsight.privacy import keys


def test_create_writes_32_bytes_with_0600(tmp_path) -> None:
    path = keys.create_key_file(tmp_path / "k.key")
    assert len(path.read_bytes()) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.read_key_file(path) == path.read_bytes()


def test_create_refuses_to_overwrite(tmp_path) -> None:
    path = keys.create_key_file(tmp_path / "k.key")
    before = path.read_bytes()
    with pytest.raises(ConflictError):
        keys.create_key_file(path)
    assert path.read_bytes() == before


def test_two_keys_differ(tmp_path) -> None:
    a = keys.create_key_file(tmp_path / "a").read_bytes()
    b = keys.create_key_file(tmp_path / "b").read_bytes()
    assert a != b


def test_short_or_missing_keys_are_configuration_errors(tmp_path) -> None:
    short = tmp_path / "short"
    short.write_bytes(b"x" * 8)
    with pytest.raises(ConfigurationError):
        keys.read_key_file(short)
    with pytest.raises(ConfigurationError, match="no pseudonymisation key"):
        keys.read_key_file(tmp_path / "absent")


def test_env_key_is_hex() -> None:
    assert keys.key_from_text("ab" * 32) == bytes([0xAB]) * 32
    with pytest.raises(ConfigurationError):
        keys.key_from_text("not hex")


def test_fingerprint_does_not_reveal_the_key() -> None:
    key = bytes(range(32))
    assert key.hex()[:12] != keys.fingerprint(key)
    assert len(keys.fingerprint(key)) == 12
