"""One error tree for the whole of Kinsight.

Data problems found *inside* a file are findings (rows in a table), not exceptions.  What is raised here
is for problems a person must act on: a file that cannot be read at all, a bad option, a refused
permission, a gate that is not met.  Every error carries a stable ``code``, a plain-words ``message``
and a ``hint`` saying what to do next, so the CLI and the web app can present them the same way
(one JSON shape, one exit code per kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


class KinsightError(Exception):
    """Base of every error Kinsight raises on purpose."""

    code: ClassVar[str] = "kinsight_error"
    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, *, hint: str = "", details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape used by the CLI (``--json``) and the API."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        if self.details:
            body["details"] = self.details
        return {"error": body}


class UsageError(KinsightError):
    """The request itself is wrong: a bad option, an unknown dataset or year."""

    code = "usage_error"
    exit_code = 2
    http_status = 422


class ConfigurationError(KinsightError):
    """Settings, keys or the Kinsight home are missing or inconsistent."""

    code = "configuration_error"
    exit_code = 2
    http_status = 500


class NotFoundError(KinsightError):
    code = "not_found"
    exit_code = 2
    http_status = 404


@dataclass(frozen=True)
class Location:
    """Where in an input a problem is: file, 1-based data row and field, as far as known."""

    file: str
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


class DataFileError(KinsightError):
    """A file that cannot be read at all; the whole submission is refused and the store is unchanged."""

    code = "unreadable_file"
    exit_code = 3
    http_status = 422

    def __init__(self, message: str, *, location: Location, hint: str = "") -> None:
        super().__init__(
            f"{location}: {message}",
            hint=hint,
            details={"file": location.file, "row": location.row, "field": location.field},
        )
        self.location = location


class PermissionDeniedError(KinsightError):
    code = "permission_denied"
    exit_code = 4
    http_status = 403


class AuthenticationError(KinsightError):
    code = "not_authenticated"
    exit_code = 4
    http_status = 401


class ConflictError(KinsightError):
    """The action clashes with the current state (a duplicate name, an object already retired)."""

    code = "conflict"
    exit_code = 2
    http_status = 409


class GateNotMetError(KinsightError):
    """A governance gate refused a stage move; ``details['unmet']`` names every unmet condition."""

    code = "gate_not_met"
    exit_code = 5
    http_status = 409
