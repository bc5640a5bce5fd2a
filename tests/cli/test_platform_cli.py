"""The platform CLI contract: user create/list, token create/revoke, audit verify and flags."""

from __future__ import annotations

import json

from sqlalchemy import text
from typer.testing import CliRunner

from kinsight.cli.main import build_app
from kinsight.storage.appdb import engine_for

runner = CliRunner()


def _run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(build_app(), list(args), input=stdin)


def test_user_token_and_audit_commands(sqlite_settings) -> None:  # type: ignore[no-untyped-def]
    home = str(sqlite_settings.home)
    created = _run(
        "user",
        "create",
        "j.smith",
        "--role",
        "analyst",
        "--password-stdin",
        "--home",
        home,
        stdin="paper lantern orbit 42\n",
    )
    assert created.exit_code == 0, created.output
    weak = _run(
        "user", "create", "k.jones", "--role", "analyst", "--password-stdin", "--home", home, stdin="\n"
    )
    assert weak.exit_code == 2
    listed = _run("user", "list", "--home", home, "--json")
    assert [u["username"] for u in json.loads(listed.stdout)] == ["j.smith"]
    issued = _run(
        "token",
        "create",
        "--user",
        "j.smith",
        "--scope",
        "catalogue.view",
        "--days",
        "5",
        "--home",
        home,
        "--json",
    )
    body = json.loads(issued.stdout)
    assert body["token"].startswith("kns_") and body["scopes"] == ["catalogue.view"]
    assert _run("token", "revoke", body["id"], "--home", home).exit_code == 0
    ok = _run("audit", "verify", "--home", home)
    assert ok.exit_code == 0, ok.output
    with engine_for(sqlite_settings.app_database_url).begin() as conn:
        conn.execute(text("UPDATE audit_records SET actor = 'someone' WHERE seq = 2"))
    broken = _run("audit", "verify", "--home", home, "--json")
    assert broken.exit_code == 1 and json.loads(broken.stdout)["broken_seq"] == 2
    flags = _run("audit", "flags", "--home", home, "--json")
    assert flags.exit_code == 0 and json.loads(flags.stdout) == []


def test_help_teaches_with_examples() -> None:
    for command in (["serve"], ["user", "create"], ["token", "create"], ["audit", "verify"]):
        result = _run(*command, "--help")
        assert result.exit_code == 0 and "Example" in result.output
