"""Pieces every CLI module shares: the ``--home`` option, JSON printing and error presentation."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from kinsight.errors import KinsightError

if TYPE_CHECKING:  # pydantic-settings costs ~0.4 s of CPU: load it only when a command runs
    from kinsight.settings import Settings

console = Console()
err_console = Console(stderr=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Kinsight home folder (stores, reports). Default: $KINSIGHT_HOME or ./kinsight-home.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]

F = TypeVar("F", bound=Callable[..., Any])


def settings_for(home: Path | None) -> Settings:
    """Read the settings for a command; imported here, not at module level, so ``--help`` stays fast."""
    from kinsight.settings import load_settings

    return load_settings(home)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(payload: Any) -> None:
    """Print JSON to stdout exactly once, with no Rich markup, so it can be piped to other tools."""
    sys.stdout.write(json.dumps(payload, default=_default, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def report_error(error: KinsightError, *, as_json: bool = False) -> None:
    if as_json:
        sys.stderr.write(json.dumps(error.to_dict(), default=_default) + "\n")
    err_console.print(f"[bold red]Error:[/] {error.message}", highlight=False, soft_wrap=True)
    if error.hint:
        err_console.print(f"[yellow]Hint:[/] {error.hint}", highlight=False, soft_wrap=True)


def handle_errors(func: F) -> F:
    """Turn a KinsightError into a clear message on stderr and its exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KinsightError as error:
            report_error(error, as_json=bool(kwargs.get("as_json")))
            raise typer.Exit(error.exit_code) from error

    return wrapper  # type: ignore[return-value]
