"""What every XML return reader shares: refusing unsafe files before parsing, and element names.

A return never needs a DOCTYPE or entity declarations, and they are how billion-laughs and external-entity
attacks arrive, so a file declaring one is refused outright from its first bytes; lxml is then run with
nothing fetched, expanded or loaded.  The CIN census and SSDA903 XML readers both go through here.
"""

from __future__ import annotations

import re

from lxml import etree

from kinsight.errors import DataFileError, Location
from kinsight.ingest.model import SourceFile

PROLOG_PROBE = 1 << 16
_UNSAFE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_prolog(source: SourceFile, what: str) -> None:
    """Refuse an empty file, or one whose prolog declares a DOCTYPE or entities.

    ``what`` names the kind of file in the hint ("A CIN census file", "An SSDA903 return").
    """
    with source.path.open("rb") as handle:
        probe = handle.read(PROLOG_PROBE)
    if not probe.strip():
        raise DataFileError(
            "the file is empty (0 bytes)" if not probe else "the file is empty",
            location=Location(source.name),
        )
    start = probe.find(b"<")
    while start != -1 and probe[start : start + 2] in (b"<?", b"<!"):
        if _UNSAFE.match(probe, start):
            raise DataFileError(
                "the file declares a DOCTYPE or entities, which Kinsight refuses as unsafe",
                location=Location(source.name),
                hint=f"{what} never needs a DOCTYPE; export it again from the case system.",
            )
        end = probe.find(b">", start)
        if end == -1:
            break
        start = probe.find(b"<", end)


def parser_options() -> dict[str, object]:
    """The hardened lxml settings every read uses: nothing is fetched, expanded or loaded."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def local_name(element: etree._Element) -> str:
    """The element's name without a namespace ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2] if tag[0] == "{" else tag
