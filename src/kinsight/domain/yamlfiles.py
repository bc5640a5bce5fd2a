"""Reading Kinsight's YAML data files: always the safe loader, libyaml's C version where installed.

Specs, rule metadata, questionnaires and code lists are all YAML; the pure-Python loader is several
times slower than libyaml's and the result is the same, so every reader goes through here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """The data in ``text`` (tags that build Python objects are refused, as by ``yaml.safe_load``)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


def read_yaml(path: Path) -> Any:
    """The data in the UTF-8 YAML file at ``path``."""
    return parse_yaml(path.read_text(encoding="utf-8"))
