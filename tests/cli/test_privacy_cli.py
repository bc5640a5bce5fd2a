"""The privacy and keys commands, as the acceptance checks call them."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import stat

import duckdb
import pytest
from typer.testing import CliRunner

from kinsight.cli.main import build_app
from kinsight.services import privacy as service

runner = CliRunner()


def run(*args: str, env: dict | None = None):
    return runner.invoke(build_app(), list(args), env=env or {})


def write(path, rows) -> None:
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_risk_json_contract(tmp_path) -> None:
    f = tmp_path / "x.csv"
    write(
        f,
        [
            ["DOB", "SEX", "LS"],
            ["2010-01", "M", "C2"],
            ["2010-01", "M", "C2"],
            ["2011-02", "", "V2"],
            ["2011-02", "", "C2"],
            ["2011-02", "F", "C2"],
        ],
    )
    result = run("privacy", "risk", str(f), "--qi", "DOB,SEX", "--sensitive", "LS", "--k", "2", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["k"] == 1 and body["records_below_k"] == 1 and body["l"] == 1
    assert body["classes"] == 3 and body["unique_records"] == 1 and body["records"] == 5
    default = json.loads(run("privacy", "risk", str(f), "--qi", "DOB,SEX", "--json").stdout)
    assert default["records_below_k"] == 5 and "l" in default and default["l"] is None


def test_risk_report_is_written(tmp_path) -> None:
    f = tmp_path / "x.csv"
    write(f, [["a"], ["1"], ["1"]])
    result = run(
        "privacy", "risk", str(f), "--qi", "a", "--report", "--home", str(tmp_path / "home"), "--json"
    )
    body = json.loads(result.stdout)
    assert (tmp_path / "home" / "reports" / "privacy").is_dir()
    assert body["report"]["html"].endswith(".html")


def test_bad_inputs_name_the_problem(tmp_path) -> None:
    missing = run("privacy", "risk", str(tmp_path / "none.csv"), "--qi", "a", "--json")
    assert missing.exit_code != 0 and "none.csv" in missing.stderr
    f = tmp_path / "x.csv"
    write(f, [["a", "b"], ["1", "2"]])
    bad_col = run("privacy", "risk", str(f), "--qi", "a,zz", "--json")
    assert bad_col.exit_code != 0 and "zz" in bad_col.stderr and bad_col.stdout == ""
    t = tmp_path / "t.csv"
    write(t, [["area", "n"], ["A", "7"], ["B", "seven"]])
    bad_count = run("privacy", "suppress", str(t), "--threshold", "5", "--out", str(tmp_path / "o.csv"))
    assert bad_count.exit_code != 0
    message = " ".join(bad_count.stderr.split())
    assert "t.csv" in message and "row 2" in message and "field n" in message


def test_keys_create_and_pseudonymise(tmp_path) -> None:
    key = tmp_path / "k.key"
    created = run("keys", "create", "--key-file", str(key), "--json")
    assert created.exit_code == 0, created.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    again = run("keys", "create", "--key-file", str(key))
    assert again.exit_code != 0
    f = tmp_path / "x.csv"
    write(
        f,
        [
            ["CHILD", "DOB", "UPN"],
            ["c1", "01/02/2010", "A1"],
            ["C2", "03/04/2012", ""],
            [" C1", "05/06/2014", "B"],
        ],
    )
    out = tmp_path / "o.csv"
    result = run(
        "privacy", "pseudonymise", str(f), "--columns", "CHILD,UPN", "--key-file", str(key), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open()))
    raw = key.read_bytes()

    def tok(v: str) -> str:
        return hmac.new(raw, v.strip().upper().encode(), hashlib.sha256).hexdigest()

    assert rows[0] == ["CHILD", "DOB", "UPN"]
    assert [r[0] for r in rows[1:]] == [tok("c1"), tok("C2"), tok("c1")]
    assert [r[1] for r in rows[1:]] == ["01/02/2010", "03/04/2012", "05/06/2014"]
    assert [r[2] for r in rows[1:]] == [tok("A1"), "", tok("B")]
    cells = {c.strip().upper() for r in rows[1:] for c in r}
    assert not cells & {"C1", "C2", "A1", "B"}  # no identifier survives anywhere in the output


def test_suppress_writes_symbols(tmp_path) -> None:
    t = tmp_path / "t.csv"
    write(
        t,
        [
            ["area", "male", "female", "Total"],
            ["A", "3", "10", "13"],
            ["B", "12", "20", "32"],
            ["C", "30", "40", "70"],
            ["Total", "45", "70", "115"],
        ],
    )
    out = tmp_path / "o.csv"
    result = run("privacy", "suppress", str(t), "--threshold", "5", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open()))
    assert rows[1][1] == "c" and sum(r.count("c") for r in rows) == 4
    assert rows[4] == ["Total", "45", "70", "115"]
    assert json.loads(result.stdout)["primary"] == 1


@pytest.fixture()
def store_home(tmp_path, monkeypatch):
    """A home with a tiny typed store and a key, as ingest would leave it."""
    home = tmp_path / "home"
    home.mkdir()
    key = tmp_path / "home.pseudonymisation.key"
    monkeypatch.setenv("KINSIGHT_HOME", str(home))
    monkeypatch.delenv("KINSIGHT_PSEUDONYMISATION_KEY", raising=False)
    con = duckdb.connect(str(home / "store.duckdb"))
    con.execute(
        "CREATE TABLE ssda903_header (CHILD VARCHAR, SEX VARCHAR, DOB DATE, UPN VARCHAR, ETHNIC VARCHAR,"
        " collection_year VARCHAR, _row INTEGER)"
    )
    con.execute(
        "INSERT INTO ssda903_header VALUES ('A1','M','2020-03-20','X1','WBRI','2024-25',1),"
        "('B2','F','2012-07-01','X2','BAFR','2024-25',2),('C3','F','2015-01-31','X3','WBRI','2024-25',3)"
    )
    con.execute(
        "CREATE TABLE ssda903_episodes (CHILD VARCHAR, DECOM DATE, DEC DATE, HOME_POST VARCHAR,"
        " PLACE VARCHAR, collection_year VARCHAR, _row INTEGER)"
    )
    con.execute(
        "INSERT INTO ssda903_episodes VALUES ('A1','2024-05-01',NULL,'M1 4BT','U1','2024-25',1),"
        "('B2','2024-06-01',NULL,'SW1A 1AA','K2','2024-25',2),"
        "('C3','2023-01-01','2024-08-01','B33 8TH','U4','2024-25',3)"
    )
    con.close()
    assert run("keys", "create", "--key-file", str(key)).exit_code == 0
    return home, key


def _audit_lines(home) -> list[dict]:
    path = home / "privacy-audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_export_through_profile_is_audited(store_home, tmp_path) -> None:
    home, key = store_home
    out = tmp_path / "ep.csv"
    result = run(
        "privacy",
        "export",
        "--profile",
        "regional-demand-model",
        "--dataset",
        "ssda903",
        "--table",
        "episodes",
        "--year",
        "2024-25",
        "--out",
        str(out),
        "--as",
        "analyst1",
        "--home",
        str(home),
        "--json",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    expected = hmac.new(key.read_bytes(), b"A1", hashlib.sha256).hexdigest()
    assert rows[0]["CHILD"] == expected and rows[0]["HOME_POST"] == "M1 4"
    assert "_row" not in rows[0]
    if not _has_platform_audit():
        assert _audit_lines(home)[-1]["action"] == "privacy.export"
    unknown = run(
        "privacy",
        "export",
        "--profile",
        "nope",
        "--dataset",
        "ssda903",
        "--table",
        "episodes",
        "--out",
        str(out),
        "--as",
        "a",
        "--home",
        str(home),
    )
    assert unknown.exit_code != 0


def _has_platform_audit() -> bool:
    try:
        import kinsight.services.audit  # noqa: F401
    except ImportError:
        return False
    return True


def test_effect_reports_differences(store_home) -> None:
    home, _ = store_home
    result = run("privacy", "effect", "--profile", "regional-demand-model", "--home", str(home), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    values = {v["name"]: v for v in body["values"]}
    # open on 31/03/2025: A1 (born 20/03/2020, age 5) and B2 (age 12); C3 left in August
    assert values["2024-25 / all"]["original"] == 2 and values["2024-25 / all"]["absolute"] == 0
    assert values["2024-25 / 5 to 9"]["original"] == 1
    assert body["max_absolute_difference"] == 0


def test_reidentify_denied_without_role_and_allowed_for_ig(store_home, monkeypatch) -> None:
    home, key = store_home
    tok = hmac.new(key.read_bytes(), b"B2", hashlib.sha256).hexdigest()
    denied = run("privacy", "reidentify", tok, "--as", "analyst1", "--home", str(home), "--json")
    assert denied.exit_code == 4
    monkeypatch.setattr(service, "_roles_for", lambda settings, actor: {"information_governance"})
    allowed = run("privacy", "reidentify", tok, "--as", "ig.lead", "--home", str(home), "--json")
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["identifier"] == "B2"
    if not _has_platform_audit():
        outcomes = [(e["action"], e["outcome"]) for e in _audit_lines(home)]
        assert ("privacy.reidentify", "denied") in outcomes and ("privacy.reidentify", "allowed") in outcomes


def test_rotate_rekeys_stored_tokens(store_home) -> None:
    home, key = store_home
    old = key.read_bytes()
    result = run("keys", "rotate", "--key-file", str(key), "--home", str(home), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    new = key.read_bytes()
    assert new != old and len(new) == 32 and stat.S_IMODE(key.stat().st_mode) == 0o600
    con = duckdb.connect(str(home / "store.duckdb"), read_only=True)
    pairs = dict(con.execute("SELECT old_token, new_token FROM privacy_token_crosswalk").fetchall())
    con.close()
    for child in ("A1", "B2", "C3"):
        old_t = hmac.new(old, child.encode(), hashlib.sha256).hexdigest()
        assert pairs[old_t] == hmac.new(new, child.encode(), hashlib.sha256).hexdigest()
    assert body["tokens_rekeyed"] == 3


def test_profiles_listed() -> None:
    body = json.loads(run("privacy", "profiles", "--json").stdout)
    assert {p["name"] for p in body} >= {"regional-demand-model", "practitioner-view", "external-evaluator"}


def test_enforce_command(tmp_path) -> None:
    f = tmp_path / "x.csv"
    rows = [["DOB", "SEX"]] + [[f"{1 + i % 28:02d}/0{1 + i % 3}/2015", "MF"[i % 2]] for i in range(60)]
    write(f, rows)
    out = tmp_path / "o.csv"
    result = run(
        "privacy",
        "enforce",
        str(f),
        "--qi",
        "DOB,SEX",
        "--k",
        "5",
        "--out",
        str(out),
        "--reference",
        "2025-03-31",
        "--json",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["after"]["k"] >= 5 and body["steps"]["DOB"] != "keep"
    assert len(list(csv.reader(out.open()))) - 1 == body["records_out"]


def test_help_teaches() -> None:
    for group in (["privacy"], ["keys"]):
        assert "Example" in run(*group, "--help").stdout
    assert "Example" in run("privacy", "suppress", "--help").stdout
