"""The ``kinsight`` command.  Each area registers its own commands from its own module."""

import importlib
import sys

import typer

from kinsight import __version__

# Each module named here exposes ``register(app: typer.Typer) -> None``.
COMMAND_MODULES = (
    "synth",
    "specs",
    "ingest",
    "catalogue",
    "quality",
    "privacy",
    "analytics",
    "evaluation",
    "monitoring",
    "governance",
    "platform",
    "practitioner",
)

#: The module that registers each top-level command.  ``kinsight forecast ...`` then imports and builds
#: only ``kinsight.cli.analytics`` instead of all twelve modules and their seventy-odd commands, which
#: keeps ``kinsight <command> --help`` quick.  A command missing here still works (every module is then
#: loaded); tests/architecture/test_cli_startup.py checks this table against what the modules register.
COMMAND_OWNERS: dict[str, str] = {
    "synth": "synth",
    "specs": "specs",
    "ingest": "ingest",
    "catalogue": "catalogue",
    "quality": "quality",
    "check": "quality",
    "rules": "quality",
    "privacy": "privacy",
    "keys": "privacy",
    "indicators": "analytics",
    "indicators-compare": "analytics",
    "forecast": "analytics",
    "backtest": "analytics",
    "scenario": "analytics",
    "evaluate": "evaluation",
    "bias": "evaluation",
    "model": "evaluation",
    "decision": "evaluation",
    "monitor": "monitoring",
    "project": "governance",
    "serve": "platform",
    "user": "platform",
    "token": "platform",
    "audit": "platform",
    "search": "practitioner",
    "child": "practitioner",
    "caseload": "practitioner",
}

HELP = """Kinsight: develop, test, run and retire data analytics tools in children's social care.

A typical first session:

  kinsight synth demo-data --children 2000 --years 2021-2025 --seed 1
  kinsight ingest demo-data
  kinsight catalogue
  kinsight serve

Every command takes --help.  Data stays in the Kinsight home folder (--home, or $KINSIGHT_HOME).
"""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kinsight {__version__}")
        raise typer.Exit()


def owner_of(args: list[str]) -> str | None:
    """The module owning the command named first on the command line, or None to load every module.

    Only the very first argument counts: ``kinsight --help forecast`` is root help and needs them all.
    """
    return COMMAND_OWNERS.get(args[0]) if args else None


def build_app(only: str | None = None) -> typer.Typer:
    """The root app with every area's commands, or with just the commands of module ``only``."""
    app = typer.Typer(
        help=HELP,
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ) -> None:
        """Kinsight command line."""

    for name in (only,) if only else COMMAND_MODULES:
        module = importlib.import_module(f"kinsight.cli.{name}")
        module.register(app)
    app.info.help = reflow(app.info.help)
    _reflow_help(app)
    return app


def reflow(text: str | None) -> str | None:
    """Help text as the terminal should wrap it: the lines of a paragraph joined, so Rich wraps them to
    the terminal's width instead of breaking where the source happened to (help is written wrapped at
    110 columns), while indented lines (examples) and blank lines stay as written."""
    if not text:
        return text
    out: list[str] = []
    for line in text.strip("\n").splitlines():
        joinable = out and out[-1] and not out[-1].startswith(" ") and line and not line.startswith(" ")
        if joinable:
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _reflow_help(app: typer.Typer) -> None:
    """Reflow the help of every command and command group below ``app``."""
    for command in app.registered_commands:
        command.help = reflow(command.help)
    for group in app.registered_groups:
        group.help = reflow(group.help)
        if group.typer_instance is not None:
            group.typer_instance.info.help = reflow(group.typer_instance.info.help)
            _reflow_help(group.typer_instance)


def main() -> None:
    build_app(only=owner_of(sys.argv[1:]))()


if __name__ == "__main__":
    main()
