"""Help text is wrapped by the terminal, not where the source line happened to end."""

from __future__ import annotations

from typer.testing import CliRunner

from kinsight.cli.main import build_app, reflow


def test_paragraph_lines_are_joined_and_examples_kept() -> None:
    examples = "Examples:\n\n  kinsight check a\n  kinsight check b"
    text = f"Check the files.\n\nWhat it does, in\nseconds: read\nthem.\n\n{examples}\n"
    assert reflow(text) == f"Check the files.\n\nWhat it does, in seconds: read them.\n\n{examples}"
    assert reflow(None) is None


def test_a_commands_help_wraps_at_the_terminal_width() -> None:
    wide = CliRunner().invoke(
        build_app(), ["quality", "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"}
    )
    assert wide.exit_code == 0
    # one paragraph of the source, written on two lines, comes out on one line of a wide terminal
    assert (
        "stores the findings and a quality score per dataset and year, and writes an HTML report"
        in wide.stdout
    )
