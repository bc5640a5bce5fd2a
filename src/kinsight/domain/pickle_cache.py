"""A cache of parsed data files (rule packs, dataset specs) as pickles, so a command does not parse the same
YAML again every time it starts.

Each entry's key is a hash of every file it was parsed from, byte for byte, and of the code that parses
them, so an edited file, an added one or a new Kinsight version is never served stale.  The cache lives in
the user's cache folder (``KINSIGHT_CACHE_DIR``, else ``$XDG_CACHE_HOME/kinsight``, else
``~/.cache/kinsight``), one subfolder per kind of data, readable by that user only, like Python's own
``__pycache__``.  Any problem reading or writing it is ignored: the data is then simply parsed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir(kind: str) -> Path:
    """Where entries of ``kind`` (``rule-packs``, ``specs``) are kept (see the module docstring)."""
    explicit = os.environ.get("KINSIGHT_CACHE_DIR")
    if explicit:
        return Path(explicit) / kind
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kinsight" / kind


def content_key(tag: bytes, code: Iterable[Path], folder: Path, files: Iterable[Path]) -> str:
    """A hash of ``tag``, the ``code`` files' bytes, ``folder``'s resolved path, and each of ``files``
    (under ``folder``) by name and bytes.  Raises OSError when a file cannot be read."""
    digest = hashlib.sha256(tag)
    for source in code:
        digest.update(source.read_bytes())
    digest.update(str(folder.resolve()).encode())
    for path in sorted(files):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cached(kind: str, key: str, parse: Callable[[], tuple[T, bool]], valid: Callable[[object], bool]) -> T:
    """The entry ``key`` of ``kind`` if held and ``valid``, else ``parse()``, which also says whether
    its result may be kept (not when the key does not cover everything it read)."""
    path = cache_dir(kind) / f"{key}.pickle"
    try:
        held = pickle.loads(path.read_bytes())
        if valid(held):
            return held  # type: ignore[no-any-return]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value, keep = parse()
    if keep:
        _store(path, value)
    return value


def _store(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except (OSError, pickle.PicklingError):
        Path(temp).unlink(missing_ok=True)
