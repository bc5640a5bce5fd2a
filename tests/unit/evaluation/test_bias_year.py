"""The bias audit of a store table for one collection year (DuckDB 2.x parameters)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
from tests.unit.evaluation.synthetic_903 import make_903

from kinsight.services.bias import bias_audit
from kinsight.settings import Settings


def test_a_year_keeps_only_that_years_rows(tmp_path: Path) -> None:
    header, _ = make_903(60, seed=1)
    older = header.head(25).with_columns(pl.lit("2023-24").alias("collection_year"))
    both = pl.concat([header, older])
    with duckdb.connect(str(tmp_path / "store.duckdb")) as con:
        con.register("h", both.to_arrow())
        con.execute("create table ssda903_header as select * from h")
    settings = Settings(home=tmp_path)
    result = bias_audit(settings, "ssda903_header", year="2023-24")
    sexes = {g["group"]: g["n"] for g in result["representation"]["sex"]["groups"]}
    expected = older.group_by("SEX").len()
    assert result["rows"] == 25 and result["year"] == "2023-24"
    assert sum(sexes.values()) == 25 == int(expected["len"].sum())
    assert bias_audit(settings, "ssda903_header")["rows"] == 85
