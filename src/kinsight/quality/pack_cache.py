"""A cache of loaded rule packs, so a run does not parse three hundred YAML entries and their cases again.

Reading the built-in SSDA903 pack (YAML with every rule's cases, then validation) takes about 0.3 s, a third
of what auditing a small return costs; unpickling the checked rules takes a few milliseconds.  The key
covers every ``*.yaml`` and ``*.sql`` file under the pack's folder and the code that turns entries into
rules; ``kinsight.domain.pickle_cache`` keeps the entries and says where.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kinsight.domain import pickle_cache
from kinsight.quality.model import Rule

KIND = "rule-packs"
_FORMAT = b"kinsight-rule-pack-cache-2"
_CODE = (
    Path(__file__),
    Path(__file__).with_name("model.py"),
    Path(__file__).with_name("registry.py"),
)


def cache_dir() -> Path:
    """Where cached packs are kept."""
    return pickle_cache.cache_dir(KIND)


def pack_key(folder: Path, dataset: str) -> str:
    """A hash of everything that decides what ``load_pack`` returns for this folder."""
    files = [p for p in folder.rglob("*") if p.suffix in {".yaml", ".sql"} and p.is_file()]
    return pickle_cache.content_key(_FORMAT + dataset.encode(), _CODE, folder, files)


def cached_pack(folder: Path, dataset: str, load: Callable[[], tuple[list[Rule], bool]]) -> list[Rule]:
    """The pack's rules from the cache, or from ``load()``, which also says whether the result may be
    cached (not when a rule reads a SQL file outside the folder: the key would not cover it)."""
    try:
        key = pack_key(folder, dataset)
    except OSError:
        return load()[0]
    return pickle_cache.cached(KIND, key, load, _rules)


def _rules(held: object) -> bool:
    return isinstance(held, list) and all(isinstance(r, Rule) for r in held)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies under ``folder`` (so the cache key covers it)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
