"""The ``kinsight`` command.  Each area registers its own commands from its own module."""

from __future__ import annotations

import importlib

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


def build_app() -> typer.Typer:
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

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"kinsight.cli.{name}")
        module.register(app)
    return app


def main() -> None:
    build_app()()


if __name__ == "__main__":
    main()
