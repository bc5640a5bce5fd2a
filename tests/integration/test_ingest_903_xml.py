"""The same SSDA903 return ingested from CSVs and from XML gives the same store; bad XML changes nothing."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from kinsight.cli import ingest as ingest_cli
from kinsight.errors import DataFileError
from kinsight.services.ingest import ingest
from kinsight.services.quality import run_quality
from kinsight.services.synth import generate
from kinsight.settings import load_settings

TABLES = ("header", "episodes", "reviews", "uasc", "oc2", "oc3", "ad1", "placedadoption", "prevperm")
META = {"_file", "_sha256", "_row"}


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    csv_dir = tmp_path_factory.mktemp("csv_return")
    xml_dir = tmp_path_factory.mktemp("xml_return")
    options = {"children": 200, "years": "2024-2025", "seed": 21, "datasets": ("ssda903",)}
    generate(csv_dir, **options)
    generate(xml_dir, ssda903_format="xml", **options)
    return csv_dir / "ssda903", xml_dir / "ssda903"


def _typed(store: Path, table: str) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                " ORDER BY ordinal_position",
                [f"ssda903_{table}"],
            ).fetchall()
            if r[0] not in META
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        rows = con.execute(f'SELECT {select} FROM "ssda903_{table}"').fetchall()
    finally:
        con.close()
    return columns, sorted(rows, key=repr)


def _fingerprint(store: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {
            n: con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{n}" t').fetchall()[0] for n in names
        }
    finally:
        con.close()


def test_csv_and_xml_returns_give_identical_typed_tables(returns: tuple[Path, Path], tmp_path: Path) -> None:
    csv_dir, xml_dir = returns
    from_csv = load_settings(tmp_path / "csv_home")
    from_xml = load_settings(tmp_path / "xml_home")
    ingest(from_csv, [csv_dir])
    result = ingest(from_xml, [xml_dir])
    loaded = {(t["table"], t["year"]) for t in result["tables"]}
    assert {(t, y) for t in TABLES for y in ("2023-24", "2024-25")} <= loaded
    for table in (*TABLES, "missing", "swepisodes"):
        csv_columns, csv_rows = _typed(from_csv.store_path, table)
        xml_columns, xml_rows = _typed(from_xml.store_path, table)
        assert xml_columns == csv_columns, table
        assert len(xml_rows) == len(csv_rows) > 0, table
        assert xml_rows == csv_rows, table


def test_csv_and_xml_returns_give_the_same_findings(returns: tuple[Path, Path], tmp_path: Path) -> None:
    """Row numbers differ (a CSV row is its line, an XML record its child's place), so findings are compared
    by rule, table and child: an XML child's records sharing one row number must not be read as one."""
    found = []
    for name, folder in zip(("csv_home", "xml_home"), returns, strict=True):
        settings = load_settings(tmp_path / name)
        ingest(settings, [folder])
        result = run_quality(settings, year="2024-25", dataset="ssda903", write_files=False)
        found.append(Counter((f["rule"], f["table"], f["child"]) for f in result["findings"]))
    from_csv, from_xml = found
    assert sum(from_csv.values()) > 0
    assert from_xml == from_csv


def _broken_copy(xml_dir: Path, tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "broken"
    shutil.copytree(xml_dir, folder)
    (folder / "2024-25" / "ssda903.xml").write_text(text, encoding="utf-8")
    return folder


def test_malformed_xml_is_refused_and_the_store_is_unchanged(
    returns: tuple[Path, Path], tmp_path: Path
) -> None:
    csv_dir, xml_dir = returns
    settings = load_settings(tmp_path / "home")
    ingest(settings, [csv_dir])
    before = _fingerprint(settings.store_path)
    text = (xml_dir / "2024-25" / "ssda903.xml").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[40] = lines[40].replace("</HEADER>", "</HEADR>", 1)
    folder = _broken_copy(xml_dir, tmp_path, "\n".join(lines))
    with pytest.raises(DataFileError) as caught:
        ingest(settings, [folder])
    assert "ssda903.xml" in caught.value.message and "line 41" in caught.value.message
    assert _fingerprint(settings.store_path) == before


def test_entity_expansion_is_refused_and_the_store_is_unchanged(
    returns: tuple[Path, Path], tmp_path: Path
) -> None:
    csv_dir, xml_dir = returns
    settings = load_settings(tmp_path / "home")
    ingest(settings, [csv_dir])
    before = _fingerprint(settings.store_path)
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 9))
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [<!ENTITY e0 "ha">{entities}]>'
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&e8;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    folder = _broken_copy(xml_dir, tmp_path, laughs)
    with pytest.raises(DataFileError, match="DOCTYPE or entities"):
        ingest(settings, [folder])
    assert _fingerprint(settings.store_path) == before


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Kinsight command line."""

    ingest_cli.register(app)
    return app


def test_cli_ingests_a_folder_holding_a_903_xml(returns: tuple[Path, Path], tmp_path: Path) -> None:
    _, xml_dir = returns
    result = CliRunner().invoke(
        _app(), ["ingest", str(xml_dir / "2024-25"), "--home", str(tmp_path / "home"), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    tables = {t["table"]: t for t in body["tables"] if t["dataset"] == "ssda903"}
    assert set(TABLES) <= set(tables)
    assert all(t["year"] == "2024-25" and t["file"].endswith("ssda903.xml") for t in tables.values())
    con = duckdb.connect(str(tmp_path / "home" / "store.duckdb"), read_only=True)
    try:
        headers = con.execute("SELECT count(*) FROM ssda903_header").fetchall()[0][0]
    finally:
        con.close()
    text = (xml_dir / "2024-25" / "ssda903.xml").read_text(encoding="utf-8")
    assert headers == tables["header"]["rows"] == text.count("<CHILD>")
