"""A spec read from the user's cache is exactly the spec parsed from its files, and an edited file is
read again: a cached spec is never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kinsight.domain import pickle_cache
from kinsight.errors import ConfigurationError
from kinsight.specs.loader import SPECS_DIR, _cached_spec, load_spec_from


@pytest.fixture(autouse=True)
def _cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINSIGHT_CACHE_DIR", str(tmp_path / "cache"))


def _entries() -> list[Path]:
    return sorted(pickle_cache.cache_dir("specs").glob("*.pickle"))


def test_a_spec_from_the_cache_equals_a_fresh_parse() -> None:
    folder = SPECS_DIR / "ssda903"
    first = _cached_spec(folder)  # parsed and kept
    assert len(_entries()) == 1
    second = _cached_spec(folder)  # from the cache
    assert first == second == load_spec_from(folder)


def test_an_edited_code_set_is_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "ssda903"
    shutil.copytree(SPECS_DIR / "ssda903", folder)
    before = _cached_spec(folder)
    codes = sorted((folder / "codesets").glob("*.yaml"))[0]
    name = codes.stem
    text = codes.read_text(encoding="utf-8")
    first_code = before.codesets[name].codes[0].code
    codes.write_text(text.replace(f"{{code: {first_code},", "{code: ZZ9,", 1), encoding="utf-8")
    after = _cached_spec(folder)
    assert after.codesets[name].codes[0].code == "ZZ9" != first_code
    assert len(_entries()) == 2


def test_a_broken_spec_is_refused_every_time_and_never_kept(tmp_path: Path) -> None:
    folder = tmp_path / "ssda903"
    shutil.copytree(SPECS_DIR / "ssda903", folder)
    (folder / "dataset.yaml").write_text("name: ssda903\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigurationError):
            _cached_spec(folder)
    assert _entries() == []
