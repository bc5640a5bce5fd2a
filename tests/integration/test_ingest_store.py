"""Ingest into a real Kinsight home, then check the store and the catalogue against independent counts.

The expected figures are computed here with the ``csv`` module and plain Python, never with Kinsight.
"""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path

import duckdb
import pytest

from kinsight.services.catalogue import catalogue_entries, set_owner
from kinsight.services.ingest import ingest
from kinsight.settings import Settings, load_settings

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]


def _write(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def _random_return(folder: Path, seed: int, children: int = 300) -> Path:
    rng = random.Random(seed)
    header, episodes = [], []
    for i in range(children):
        child = f"C{seed}{i:04d}"
        header.append(
            [
                child,
                rng.choice(["M", "F", "U", ""]),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2006, 2023)}",
                rng.choice(["WBRI", "BAFR", "MWBC", "AIND", "", "ZZZZ"]),
                rng.choice(["", "UN1", "A12345678901" + str(rng.randint(0, 9))]),
                rng.choice(["", "0", "1"]),
                "",
            ]
        )
        for _ in range(rng.randint(1, 3)):
            dec = rng.choice(["", f"{rng.randint(1, 28):02d}/0{rng.randint(1, 3)}/2025", "32/13/2024"])
            episodes.append(
                [
                    child,
                    f"{rng.randint(1, 28):02d}/{rng.randint(4, 12):02d}/2024",
                    rng.choice("SLPTBU"),
                    rng.choice(["C1", "C2", "V2"]),
                    rng.choice(["N1", "N4", "N8"]),
                    rng.choice(["U4", "K2", "K3", "H5", "Z11"]),
                    rng.choice(["PR1", "PR4", ""]),
                    dec,
                    "E8" if dec else "",
                    "",
                    "",
                    "",
                    rng.choice(["SC1", "SC2", ""]),
                ]
            )
    _write(folder / "header.csv", HEADER, header)
    _write(folder / "episodes.csv", EPISODES, episodes)
    return folder


def _expected_profile(path: Path) -> tuple[int, dict[str, tuple[float, int]]]:
    """Rows, and per column (% blank, distinct non-blank values after trimming and upper-casing codes)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = {}
    for column in rows[0]:
        values = [r[column].strip() for r in rows]
        filled = [v for v in values if v]
        out[column] = (round(100.0 * (len(values) - len(filled)) / len(values), 2), len(set(filled)))
    return len(rows), out


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "home")


def _tables(settings: Settings) -> dict[str, tuple[int, int | None]]:
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {
            n: tuple(con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{n}" t').fetchall()[0])
            for n in names
        }
    finally:
        con.close()


def test_catalogue_figures_match_an_independent_count(settings: Settings, tmp_path: Path) -> None:
    folder = _random_return(tmp_path / "returns" / "2024-25", seed=3)
    result = ingest(settings, [folder])
    assert result["summary"]["loaded"] == 2
    entries = {(e["dataset"], e["table"], e["year"]): e for e in catalogue_entries(settings)}
    assert set(entries) == {("ssda903", "header", "2024-25"), ("ssda903", "episodes", "2024-25")}
    for table in ("header", "episodes"):
        rows, expected = _expected_profile(folder / f"{table}.csv")
        entry = entries[("ssda903", table, "2024-25")]
        assert entry["rows"] == rows
        fields = {f["name"]: f for f in entry["fields"]}
        for column, (missing, distinct) in expected.items():
            if table == "episodes" and column in ("DEC",):
                continue  # some DEC values are not dates: checked below
            assert fields[column]["missing_pct"] == pytest.approx(missing), (table, column)
            assert fields[column]["distinct"] == distinct, (table, column)
    # DEC: the typed table holds NULL for blanks and for the impossible date 32/13/2024
    with (folder / "episodes.csv").open(newline="") as handle:
        decs = [r["DEC"] for r in csv.DictReader(handle)]
    usable = [d for d in decs if d and d != "32/13/2024"]
    dec = next(f for f in entries[("ssda903", "episodes", "2024-25")]["fields"] if f["name"] == "DEC")
    assert dec["missing_pct"] == pytest.approx(round(100.0 * (len(decs) - len(usable)) / len(decs), 2))
    assert dec["distinct"] == len(set(usable))
    assert dec["type"] == "date"
    bad_dates = decs.count("32/13/2024")
    unknown_ethnic = sum(1 for r in csv.DictReader((folder / "header.csv").open()) if r["ETHNIC"] == "ZZZZ")
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        counts = dict(con.execute("SELECT field, count(*) FROM _ingest_findings GROUP BY field").fetchall())
    finally:
        con.close()
    assert counts.get("DEC") == bad_dates
    assert counts.get("ETHNIC") == unknown_ethnic


def test_reingest_is_a_no_op_and_a_changed_file_replaces_the_year(settings: Settings, tmp_path: Path) -> None:
    old = _random_return(tmp_path / "a" / "2024-25", seed=1)
    other_year = _random_return(tmp_path / "a" / "2023-24", seed=9, children=50)
    first = ingest(settings, [old.parent])
    assert first["summary"]["loaded"] == 4
    before = _tables(settings)
    again = ingest(settings, [old.parent])
    assert again["summary"] == {"loaded": 0, "replaced": 0, "unchanged": 4, "rows": 0, "findings": 0}
    assert _tables(settings) == before

    new = _random_return(tmp_path / "b" / "2024-25", seed=2, children=120)
    (new / "episodes.csv").unlink()  # only the header changes
    replaced = ingest(settings, [new])
    assert [(t["table"], t["outcome"]) for t in replaced["tables"]] == [("header", "replaced")]
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        held = dict(con.execute("SELECT collection_year, count(*) FROM ssda903_header GROUP BY 1").fetchall())
        changes = con.execute(
            'SELECT "table", year, old_rows, new_rows, old_sha256 <> new_sha256 FROM _changes'
        ).fetchall()
        statuses = con.execute(
            "SELECT status, count(*) FROM _files WHERE \"table\" = 'header' GROUP BY 1 ORDER BY 1"
        ).fetchall()
        files = set(
            r[0]
            for r in con.execute(
                "SELECT DISTINCT _file FROM ssda903_header WHERE collection_year = '2024-25'"
            ).fetchall()
        )
    finally:
        con.close()
    assert held == {"2024-25": 120, "2023-24": 50}
    assert changes == [("header", "2024-25", 300, 120, True)]
    assert statuses == [("loaded", 2), ("replaced", 1)]
    assert files == {str(new / "header.csv")}
    assert other_year.exists()


def test_every_row_names_its_file_and_the_file_its_sha256(settings: Settings, tmp_path: Path) -> None:
    this_year = _random_return(tmp_path / "2024-25", seed=4, children=40)
    last_year = _random_return(tmp_path / "2023-24", seed=5, children=30)
    ingest(settings, [this_year, last_year])
    expected = {
        (path.stem, year, str(path)): hashlib.sha256(path.read_bytes()).hexdigest()
        for year, folder in (("2024-25", this_year), ("2023-24", last_year))
        for path in folder.glob("*.csv")
    }
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        recorded = {
            (table, year, file): sha
            for table, year, file, sha in con.execute(
                "SELECT \"table\", year, file, sha256 FROM _files WHERE status = 'loaded'"
            ).fetchall()
        }
        tags = set()
        for table in ("header", "episodes"):
            for layer in (f"ssda903_{table}", f"raw_ssda903_{table}"):
                tags |= {
                    (table, year, file)
                    for year, file in con.execute(
                        f"SELECT DISTINCT collection_year, _file FROM {layer}"
                    ).fetchall()
                }
    finally:
        con.close()
    assert recorded == expected
    assert tags == set(expected)


def test_cin_census_round_trip_and_owner(settings: Settings, tmp_path: Path) -> None:
    xml = tmp_path / "cin.xml"
    children = []
    for i in range(1, 41):
        factors = "".join(f"<AssessmentFactors>{f}</AssessmentFactors>" for f in ("4B", "3A")[: i % 3])
        children.append(
            f"<Child><ChildIdentifiers><LAchildID>L{i}</LAchildID><PersonBirthDate>2016-01-{i % 28 + 1:02d}"
            f"</PersonBirthDate><Sex>{'MF'[i % 2]}</Sex></ChildIdentifiers>"
            f"<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
            f"<CINdetails><CINreferralDate>2024-06-{i % 28 + 1:02d}</CINreferralDate>"
            "<ReferralSource>6</ReferralSource>"
            f"<ReferralNFA>{'true' if i % 5 == 0 else 'false'}</ReferralNFA>"
            f"<Assessments><AssessmentActualStartDate>2024-07-01</AssessmentActualStartDate>"
            f"<FactorsIdentifiedAtAssessment>{factors}</FactorsIdentifiedAtAssessment></Assessments></CINdetails></Child>"
        )
    xml.write_text(
        "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>"
        "<ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header><Children>"
        + "".join(children)
        + "</Children></Message>"
    )
    ingest(settings, [xml])
    set_owner(settings, "cin_census", "CSC data team", source="Case system export")
    entries = {(e["table"]): e for e in catalogue_entries(settings) if e["dataset"] == "cin_census"}
    assert entries["childidentifiers"]["rows"] == 40
    assert entries["cindetails"]["rows"] == 40
    assert entries["assessmentfactors"]["rows"] == sum(len(("4B", "3A")[: i % 3]) for i in range(1, 41))
    assert entries["cindetails"]["owner"] == "CSC data team"
    assert entries["cindetails"]["source"] == "Case system export"
    nfa = next(f for f in entries["cindetails"]["fields"] if f["name"] == "ReferralNFA")
    assert nfa == {"name": "ReferralNFA", "type": "boolean", "missing_pct": 0.0, "distinct": 2}
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        true_count = con.execute("SELECT count(*) FROM cin_census_cindetails WHERE ReferralNFA").fetchall()[
            0
        ][0]
    finally:
        con.close()
    assert true_count == 8
