"""Find the files to ingest and the facts every reader needs about them (hash, year in a folder name)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from kinsight.domain.years import parse_year
from kinsight.errors import DataFileError, KinsightError, Location, UsageError
from kinsight.ingest.model import FileKind, SourceFile

_YEAR_FOLDER = re.compile(r"^\d{4}-\d{2}$")
_KINDS = {".csv": FileKind.CSV, ".xml": FileKind.XML}


def discover(paths: Iterable[Path]) -> tuple[list[SourceFile], list[str]]:
    """Expand files and folders (recursively) into the CSV and XML files to read.

    A file named directly must be CSV or XML; inside folders other files (notes, ``faults.json``) are
    skipped and listed, so the person can see what was not read.
    """
    found: list[SourceFile] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                kind = _KINDS.get(child.suffix.lower())
                if kind is None:
                    skipped.append(str(child))
                else:
                    found.append(SourceFile(child, str(child), kind, child.stat().st_size))
        elif path.is_file():
            kind = _KINDS.get(path.suffix.lower())
            if kind is None:
                raise DataFileError(
                    "is neither a CSV nor an XML file",
                    location=Location(str(path)),
                    hint="Give SSDA903 tables as .csv files and the CIN census as an .xml file.",
                )
            found.append(SourceFile(path, str(path), kind, path.stat().st_size))
        else:
            raise UsageError(f"{path}: no such file or folder", hint="Check the path you gave.")
    if not found:
        raise UsageError("no CSV or XML files found in the paths given", hint="Point at the return files.")
    return found, skipped


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def year_from_folders(path: Path) -> str | None:
    """The collection year named by the nearest enclosing folder such as ``2024-25``, if any."""
    for part in reversed(path.parent.parts):
        if _YEAR_FOLDER.match(part):
            try:
                parse_year(part)
            except KinsightError:
                continue
            return part
    return None
