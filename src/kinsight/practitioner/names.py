"""Name normalisation, a Soundex code, and the forename-variant groups (``name_variants.yaml``).

Names are compared folded: lower case, accents removed, anything but letters dropped ("O'Neill" and
"oneill" are the same name).  Soundex is the classic American Soundex, written here so that searches
for "Smyth" also reach "Smith" whatever typo sits after the first letter.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kinsight.domain.yamlfiles import read_yaml

VARIANTS_FILE = Path(__file__).with_name("name_variants.yaml")

_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def fold(text: str) -> str:
    """Lower case letters only, accents removed: the form every name comparison uses."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.lower() if "a" <= c <= "z")


def soundex(name: str) -> str:
    """American Soundex of a folded name ("" for an empty name)."""
    letters = fold(name)
    if not letters:
        return ""
    code = letters[0].upper()
    previous = _SOUNDEX.get(letters[0], "")
    for char in letters[1:]:
        digit = _SOUNDEX.get(char, "")
        if digit and digit != previous:
            code += digit
            if len(code) == 4:
                break
        if char not in "hw":  # h and w do not separate letters of the same code
            previous = digit
    return code.ljust(4, "0")


class _VariantsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: list[list[str]]


@lru_cache(maxsize=1)
def variant_map() -> dict[str, frozenset[str]]:
    """Folded forename -> every folded name counted as a variant of it (itself excluded)."""
    parsed = _VariantsFile.model_validate(read_yaml(VARIANTS_FILE))
    found: dict[str, set[str]] = {}
    for group in parsed.groups:
        folded = {fold(name) for name in group}
        for name in folded:
            found.setdefault(name, set()).update(folded - {name})
    return {name: frozenset(others) for name, others in found.items()}


def variants_of(name: str) -> frozenset[str]:
    return variant_map().get(fold(name), frozenset())
