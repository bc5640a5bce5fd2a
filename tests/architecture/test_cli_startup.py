"""``kinsight --help`` must stay fast: building the app and printing any help loads no heavy module.

A newcomer's first command is ``kinsight --help``.  When every CLI module imported its service at the
top, that one line loaded polars, numpy, scipy, scikit-learn, DuckDB, SQLAlchemy and the synthetic
generator: about five seconds of CPU before any text appeared.  The CLI modules now import their
service inside each command body.  These tests guard that: they build the app and print the help of
every command and group in a fresh interpreter, then list which modules were loaded.  (No timing:
timings are flaky on a shared machine; the set of loaded modules is not.)
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Top-level packages (and Kinsight subpackages) that only a running command may load.
HEAVY = (
    "polars",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "sklearn",
    "statsmodels",
    "fairlearn",
    "interpret",
    "duckdb",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "jinja2",
    "altair",
    "vl_convert",
    "weasyprint",
    "openpyxl",
    "lxml",
    "argon2",
    "jwt",
    "casbin",
    # pydantic itself is not listed: typer 0.29 loads it to coerce option values for any subcommand.
    "pydantic_settings",
    "yaml",
    "kinsight.settings",
    "kinsight.services",
    "kinsight.storage",
    "kinsight.rules",
    "kinsight.web",
    "kinsight.synth",
    "kinsight.ingest",
    "kinsight.quality",
    "kinsight.privacy",
    "kinsight.analytics",
    "kinsight.forecast",
    "kinsight.evaluation",
    "kinsight.monitoring",
    "kinsight.governance",
    "kinsight.practitioner",
    "kinsight.specs",
)

# Runs in a fresh interpreter: build the app, print the help of the root, of every group and of
# every command, and report the loaded modules and the command paths visited as JSON on stdout.
_PROBE = """
import contextlib, io, json, sys

import typer

import kinsight.cli.main as main

app = main.build_app()
built = sorted(sys.modules)
root = typer.main.get_command(app)


def walk(command, path):
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, [*path, name])


paths = list(walk(root, []))
for path in paths:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            root.main([*path, "--help"], prog_name="kinsight", standalone_mode=False)
        except SystemExit:
            pass
    if "Usage" not in out.getvalue():
        raise SystemExit(f"no help printed for {path}")
json.dump({"built": built, "after_help": sorted(sys.modules), "paths": paths}, sys.stdout)
"""


def _heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.fixture(scope="module")
def probe() -> dict[str, list]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_building_the_app_loads_no_heavy_module(probe: dict[str, list]) -> None:
    assert _heavy(probe["built"]) == []


def test_every_help_page_loads_no_heavy_module(probe: dict[str, list]) -> None:
    assert _heavy(probe["after_help"]) == []


def test_probe_visited_every_group_and_command(probe: dict[str, list]) -> None:
    """Guard the guard: the walk must reach nested commands, or the test above proves little."""
    paths = {tuple(p) for p in probe["paths"]}
    assert () in paths
    for expected in (("project", "create"), ("catalogue", "set-owner"), ("forecast",), ("synth",)):
        assert any(p[: len(expected)] == expected for p in paths), expected
    assert len(paths) > 40


def test_heavy_check_catches_a_heavy_import() -> None:
    """The module filter itself: a loaded service or polars submodule must be reported."""
    assert _heavy(["polars.dataframe", "kinsight.services.synth", "typer", "kinsight.cli.main"]) == [
        "kinsight.services.synth",
        "polars.dataframe",
    ]


def test_command_owners_match_what_each_module_registers() -> None:
    """``kinsight <command>`` loads only the module named in COMMAND_OWNERS, so the table must be right.

    A new top-level command needs one line in ``COMMAND_OWNERS`` (kinsight/cli/main.py); without it the
    command still works, but its help loads every CLI module.
    """
    import importlib

    import typer

    from kinsight.cli import main

    registered: dict[str, str] = {}
    for module in main.COMMAND_MODULES:
        app = typer.Typer()

        @app.callback()
        def _root() -> None:
            """Forces a group, so a module with one command still lists it by name."""

        importlib.import_module(f"kinsight.cli.{module}").register(app)
        for name in typer.main.get_command(app).commands:
            assert name not in registered, f"{name} is registered by {registered[name]} and {module}"
            registered[name] = module
    assert registered == main.COMMAND_OWNERS


def test_owner_of_reads_only_the_first_argument() -> None:
    from kinsight.cli.main import owner_of

    assert owner_of(["forecast", "--help"]) == "analytics"
    assert owner_of(["audit", "flags"]) == "platform"
    assert owner_of(["--help", "forecast"]) is None
    assert owner_of(["forcast"]) is None
    assert owner_of([]) is None


# ``kinsight monitor drift --help`` through the real entry point: only the monitoring module is loaded.
_ENTRY_PROBE = """
import contextlib, io, json, sys

from kinsight.cli import main

sys.argv = ["kinsight", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main.main()
    except SystemExit as stop:
        code = stop.code
json.dump({"code": code, "help": out.getvalue(), "modules": sorted(sys.modules)}, sys.stdout)
"""


@pytest.mark.parametrize(
    ("args", "module"),
    [(["monitor", "drift", "--help"], "monitoring"), (["forecast", "--help"], "analytics")],
)
def test_entry_point_loads_only_the_owning_module(args: list[str], module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ENTRY_PROBE, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["code"] in (0, None)
    assert "Usage: kinsight " + " ".join(args[:-1]) in result["help"]
    cli_modules = {m for m in result["modules"] if m.startswith("kinsight.cli.")}
    assert cli_modules == {"kinsight.cli.main", "kinsight.cli.common", f"kinsight.cli.{module}"}
    assert _heavy(result["modules"]) == []
