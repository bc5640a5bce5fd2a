"""Built-in rule packs: one folder per dataset, each holding YAML rule files and their SQL modules.

The format is docs/RULES.md.  An authority's own pack (``kinsight quality --pack DIR``) loads through the
same registry, so nothing here is special except where it lives.
"""

from __future__ import annotations

from pathlib import Path

PACKS_DIR = Path(__file__).parent


def builtin_pack(dataset: str) -> Path | None:
    """The built-in pack folder for a dataset, or None if Kinsight ships no rules for it."""
    folder = PACKS_DIR / dataset
    return folder if folder.is_dir() and any(folder.glob("*.yaml")) else None


def builtin_datasets() -> list[str]:
    """Datasets with a built-in pack (folders holding at least one rule file)."""
    return sorted(p.name for p in PACKS_DIR.iterdir() if p.is_dir() and builtin_pack(p.name) is not None)
