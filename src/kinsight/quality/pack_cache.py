"""A cache of loaded rule packs, so a run does not parse three hundred YAML entries and their cases again.

Reading the built-in SSDA903 pack (YAML with every rule's cases, then validation) takes about 0.3 s, a third
of what auditing a small return costs; unpickling the checked rules takes a few milliseconds.  The cache key
is a hash of the pack's contents (every ``*.yaml`` and ``*.sql`` file under the folder, byte for byte) and
of the code that turns entries into rules, so an edited rule, an added file or a new Kinsight version can
never be served stale.  The cache lives in the user's cache folder (``KINSIGHT_CACHE_DIR``, else
``$XDG_CACHE_HOME/kinsight``, else ``~/.cache/kinsight``), readable by that user only, like Python's own
``__pycache__``.  Any problem reading or writing it is ignored: the pack is then simply parsed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

from kinsight.quality.model import Rule

_FORMAT = b"kinsight-rule-pack-cache-1"
_CODE = (
    Path(__file__),
    Path(__file__).with_name("model.py"),
    Path(__file__).with_name("registry.py"),
)


def cache_dir() -> Path:
    """Where cached packs are kept (see the module docstring)."""
    explicit = os.environ.get("KINSIGHT_CACHE_DIR")
    if explicit:
        return Path(explicit) / "rule-packs"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kinsight" / "rule-packs"


def pack_key(folder: Path, dataset: str) -> str:
    """A hash of everything that decides what ``load_pack`` returns for this folder."""
    digest = hashlib.sha256(_FORMAT)
    digest.update(dataset.encode())
    digest.update(str(folder.resolve()).encode())
    for source in _CODE:
        digest.update(source.read_bytes())
    files = sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".sql"} and p.is_file())
    for path in files:
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cached_pack(folder: Path, dataset: str, load: Callable[[], tuple[list[Rule], bool]]) -> list[Rule]:
    """The pack's rules from the cache, or from ``load()``, which also says whether the result may be
    cached (not when a rule reads a SQL file outside the folder: the key would not cover it)."""
    try:
        key = pack_key(folder, dataset)
    except OSError:
        return load()[0]
    path = cache_dir() / f"{key}.pickle"
    try:
        rules = pickle.loads(path.read_bytes())
        if isinstance(rules, list) and all(isinstance(r, Rule) for r in rules):
            return rules
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        pass
    rules, cacheable = load()
    if cacheable:
        _store(path, rules)
    return rules


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies under ``folder`` (so the cache key covers it)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _store(path: Path, rules: list[Rule]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(rules, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except (OSError, pickle.PicklingError):
        Path(temp).unlink(missing_ok=True)
