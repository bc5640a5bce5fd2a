"""The search CLI contract: `kinsight search "TERMS" --json --as USER [--reason TEXT] [--home DIR]`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kinsight.cli.main import build_app
from kinsight.services import accounts, audit
from kinsight.settings import Settings
from kinsight.storage.analytical import open_store
from kinsight.storage.appdb import Base, ensure_db

runner = CliRunner()
REASON = "Duty: new referral from the school today"


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(build_app(), list(args))


def _home(settings: Settings) -> str:
    with open_store(settings.store_path) as con:
        con.execute(
            """CREATE TABLE identities_people AS SELECT * FROM (VALUES
               ('K1', 'Katherine', 'Smith', DATE '2012-03-04', '5 Alder Road', 'ZZ1 2AB', NULL, 'SG1', 'HH1',
                '2024-25', 1),
               ('K2', 'William', 'Jones', DATE '2011-05-06', '7 Brindle Way', 'ZZ2 3CD', NULL, NULL, 'HH2',
                '2024-25', 2))
               t(CHILD, FORENAME, SURNAME, DOB, ADDRESS, POSTCODE, MOTHER_CHILD, SIBLING_GROUP, HOUSEHOLD,
                 collection_year, _row)"""
        )
    Base.metadata.create_all(ensure_db(settings.app_database_url))
    accounts.create_user(settings, "pat", role="practitioner", password="paper lantern orbit 42")
    accounts.create_user(settings, "tess", role="team_manager", password="paper lantern orbit 42")
    return str(settings.home)


def test_search_json_contract_and_audit(sqlite_settings: Settings) -> None:
    home = _home(sqlite_settings)
    result = _run(
        "search", "Bill Jones 06/05/2011", "--json", "--as", "pat", "--reason", REASON, "--home", home
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    first = body["results"][0]
    assert first["child"] == "K2"
    assert "Forename William is another form of 'bill'" in first["why"]
    assert "Date of birth matches" in first["why"]
    searches = audit.recent(sqlite_settings, action="child.search")
    assert searches[0].details["terms"] == "Bill Jones 06/05/2011"
    assert searches[0].actor == "pat"


def test_unknown_user_and_missing_reason_are_refused(sqlite_settings: Settings) -> None:
    home = _home(sqlite_settings)
    unknown = _run("search", "Smith", "--json", "--as", "nobody", "--home", home)
    assert unknown.exit_code == 4
    assert "nobody" in unknown.output
    no_reason = _run("search", "Smith", "--json", "--as", "pat", "--home", home)
    assert no_reason.exit_code == 4
    assert "reason" in no_reason.output.lower()
    assert no_reason.stdout.strip() == "" or "results" not in no_reason.stdout


def test_caseload_assign_then_search_and_child(sqlite_settings: Settings) -> None:
    home = _home(sqlite_settings)
    refused = _run("caseload", "assign", "K1", "--to", "pat", "--as", "pat", "--home", home)
    assert refused.exit_code == 4
    assigned = _run("caseload", "assign", "K1", "--to", "pat", "--as", "tess", "--home", home, "--json")
    assert assigned.exit_code == 0, assigned.output
    own = json.loads(_run("search", "Smith", "--json", "--as", "pat", "--home", home).stdout)
    assert [r["child"] for r in own["results"]] == ["K1"] and own["scope"] == "your caseload"
    page = _run("child", "K1", "--json", "--as", "pat", "--home", home)
    assert page.exit_code == 0, page.output
    assert json.loads(page.stdout)["access"]["basis"] == "caseload"
    other = _run("child", "K2", "--json", "--as", "pat", "--home", home)
    assert other.exit_code == 4
    assert "--help" not in other.output
    helped = _run("search", "--help")
    assert "Example" in helped.output and "--reason" in helped.output
