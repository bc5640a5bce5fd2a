"""The fault manifest is exact: every listed fault is in the written files where it says."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import polars as pl
from lxml import etree


def test_no_faults_means_empty_manifest(clean_dir: Path) -> None:
    assert json.loads((clean_dir / "faults.json").read_text()) == []


def test_every_fault_is_in_the_files(faulty_dir: Path) -> None:
    faults = json.loads((faulty_dir / "faults.json").read_text())
    kinds = Counter(f["kind"] for f in faults)
    assert len(kinds) >= 8, kinds
    frames: dict[tuple[str, str], pl.DataFrame] = {}
    xml_children: dict[str, list] = {}
    for f in faults:
        assert set(f) == {"kind", "dataset", "year", "table", "child", "row", "field", "original", "injected"}
        if f["dataset"] == "cin_census":
            if f["year"] not in xml_children:
                root = etree.parse(str(faulty_dir / "cin_census" / f["year"] / "cin_census.xml")).getroot()
                xml_children[f["year"]] = root.findall("Children/Child")
            child = xml_children[f["year"]][f["row"] - 1]
            assert child.findtext("ChildIdentifiers/LAchildID") == f["child"]
            values = [d.findtext(f["field"]) for d in child.findall("CINdetails")]
            assert f["injected"] in values
            continue
        key = (f["year"], f["table"])
        if key not in frames:
            frames[key] = pl.read_csv(
                faulty_dir / "ssda903" / f["year"] / f"{f['table']}.csv", infer_schema=False
            )
        df = frames[key]
        if f["kind"] == "previous_year_vanished":
            decom = f["original"].removeprefix("DECOM=")
            assert df.filter((pl.col("CHILD") == f["child"]) & (pl.col("DECOM") == decom)).height == 0
            last = f"{int(f['year'][:4]) - 1}-{f['year'][2:4]}"
            prev = pl.read_csv(faulty_dir / "ssda903" / last / "episodes.csv", infer_schema=False)
            assert prev.filter((pl.col("CHILD") == f["child"]) & (pl.col("DECOM") == decom)).height == 1
            continue
        row = df.row(f["row"] - 1, named=True)
        assert row["CHILD"] == f["child"]
        assert row[f["field"]] == f["injected"], f
        assert f["original"] != f["injected"] or f["kind"] == "duplicate_review"
        if f["kind"] == "duplicate_review":
            twins = df.filter((pl.col("CHILD") == f["child"]) & (pl.col("REVIEW") == f["injected"]))
            assert twins.height >= 2
        if f["kind"] == "dates_out_of_order":
            d = lambda s: tuple(reversed(s.split("/")))  # noqa: E731
            assert d(row["DEC"]) < d(row["DECOM"])


def test_changed_value_differs_from_last_year(faulty_dir: Path) -> None:
    faults = json.loads((faulty_dir / "faults.json").read_text())
    changed = [f for f in faults if f["kind"] == "changed_from_last_year"]
    assert changed
    for f in changed:
        last = f"{int(f['year'][:4]) - 1}-{f['year'][2:4]}"
        prev = pl.read_csv(faulty_dir / "ssda903" / last / "header.csv", infer_schema=False)
        before = prev.filter(pl.col("CHILD") == f["child"]).row(0, named=True)[f["field"]]
        same = {"1": "M", "2": "F"}
        assert same.get(before, before) == same.get(f["original"], f["original"])
        assert f["original"] != f["injected"]


def test_rate_is_roughly_respected(faulty_dir: Path) -> None:
    faults = json.loads((faulty_dir / "faults.json").read_text())
    header = pl.read_csv(faulty_dir / "ssda903" / "2024-25" / "header.csv", infer_schema=False)
    in_header = [f for f in faults if f["year"] == "2024-25" and f["table"] == "header"]
    # 5% of rows are picked; a few picks are skipped (e.g. a missing value already blank).
    assert 0.01 * header.height <= len(in_header) <= 0.09 * header.height
