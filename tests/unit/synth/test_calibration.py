"""The stock at 31 March matches the national shares (reference note section 1, 2022-2025).

Tolerance: 5 percentage points per category.  The national shares move by up to 3 points between
2022 and 2025 (e.g. placement "other" 1% -> 5%, V2 16% -> 19%), and a 5,000-child authority has a
sampling error of about 0.7 points on a 50% share, so 5 points catches a wrong mix while allowing the
published year-to-year movement.  Shares are computed here with a plain group-by on the written files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from kinsight.services.synth import generate

TOL = 0.05
YEARS = ("2022-23", "2023-24", "2024-25")

NATIONAL = {
    "age": {"under 1": 0.05, "1-4": 0.13, "5-9": 0.18, "10-15": 0.38, "16+": 0.26},
    "sex": {"male": 0.56, "female": 0.44},
    "ethnicity": {
        "White": 0.72,
        "Mixed": 0.11,
        "Black": 0.07,
        "Asian": 0.05,
        "Other": 0.045,
        "Refused": 0.01,
    },
    "legal": {"C2": 0.58, "C1": 0.17, "E1": 0.06, "V2": 0.18, "other": 0.01},
    "placement": {
        "foster": 0.68,
        "homes": 0.10,
        "independent": 0.09,
        "parents": 0.07,
        "adoption": 0.025,
        "residential": 0.015,
        "other": 0.02,
    },
    "ceased": {
        "returned home": 0.20,
        "no PR": 0.06,
        "adopted": 0.09,
        "SGO": 0.12,
        "CAO": 0.035,
        "E5": 0.125,
        "E6": 0.03,
        "E17": 0.15,
        "E3": 0.05,
        "E8": 0.09,
        "other": 0.04,
    },
}

ETH_GROUP = {
    **dict.fromkeys(["WBRI", "WIRI", "WOTH", "WIRT", "WROM"], "White"),
    **dict.fromkeys(["MWBC", "MWBA", "MWAS", "MOTH"], "Mixed"),
    **dict.fromkeys(["AIND", "APKN", "ABAN", "AOTH"], "Asian"),
    **dict.fromkeys(["BCRB", "BAFR", "BOTH"], "Black"),
    **dict.fromkeys(["CHNE", "OOTH"], "Other"),
    "REFU": "Refused",
    "NOBT": "Refused",
}
PLACE_GROUP = {
    **dict.fromkeys(["U1", "U2", "U3", "U4", "U5", "U6"], "foster"),
    **dict.fromkeys(["K1", "K2"], "homes"),
    **dict.fromkeys(["H5", "P2", "K3"], "independent"),
    "P1": "parents",
    **dict.fromkeys(["A3", "A4", "A5", "A6"], "adoption"),
    **dict.fromkeys(["R1", "R2", "R3", "R5"], "residential"),
}
REC_GROUP = {
    "E4A": "returned home",
    "E4B": "returned home",
    "E13": "no PR",
    "E11": "adopted",
    "E12": "adopted",
    **dict.fromkeys(["E45", "E46", "E47", "E48"], "SGO"),
    "E41": "CAO",
    "E5": "E5",
    "E6": "E6",
    "E17": "E17",
    "E3": "E3",
    "E8": "E8",
}


@pytest.fixture(scope="module")
def national_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calibration")
    generate(out, children=5000, years="2023-2025", seed=2024, datasets=("ssda903",))
    return out


def _shares(values: list[str]) -> dict[str, float]:
    counts = pl.Series(values).value_counts()
    total = len(values)
    return {r[0]: r[1] / total for r in counts.iter_rows()}


def _stock(folder: Path, year: str) -> pl.DataFrame:
    ep = pl.read_csv(folder / year / "episodes.csv", infer_schema=False)
    header = pl.read_csv(folder / year / "header.csv", infer_schema=False)
    on_31_march = ep.filter(pl.col("DEC").is_null())
    return on_31_march.join(header.select("CHILD", "SEX", "DOB", "ETHNIC"), on="CHILD")


def _age_band(dob: str, at: date) -> str:
    d, m, y = (int(x) for x in dob.split("/"))
    age = at.year - y - ((at.month, at.day) < (m, d))
    return (
        "under 1" if age < 1 else "1-4" if age < 5 else "5-9" if age < 10 else "10-15" if age < 16 else "16+"
    )


def _compare(measure: str, got: dict[str, float]) -> None:
    for category, expected in NATIONAL[measure].items():
        assert abs(got.get(category, 0.0) - expected) <= TOL, (measure, category, got.get(category), expected)


def test_stock_at_31_march(national_like: Path) -> None:
    folder = national_like / "ssda903"
    for year in YEARS:
        stock = _stock(folder, year)
        assert stock.get_column("CHILD").n_unique() == stock.height  # one open episode per child
        march = date(int(year[:4]) + 1, 3, 31)
        _compare("age", _shares([_age_band(d, march) for d in stock["DOB"]]))
        _compare("sex", _shares(["male" if s in ("1", "M") else "female" for s in stock["SEX"]]))
        _compare("ethnicity", _shares([ETH_GROUP[e] for e in stock["ETHNIC"]]))
        _compare("legal", _shares([s if s in ("C1", "C2", "E1", "V2") else "other" for s in stock["LS"]]))
        _compare("placement", _shares([PLACE_GROUP.get(p, "other") for p in stock["PLACE"]]))


def test_reasons_ceased(national_like: Path) -> None:
    folder = national_like / "ssda903"
    for year in YEARS:
        ep = pl.read_csv(folder / year / "episodes.csv", infer_schema=False)
        ceased = ep.filter(pl.col("REC").is_not_null() & (pl.col("REC") != "X1"))
        _compare("ceased", _shares([REC_GROUP.get(r, "other") for r in ceased["REC"]]))


def test_size_matches_request(national_like: Path) -> None:
    for year in YEARS:
        ep = pl.read_csv(national_like / "ssda903" / year / "episodes.csv", infer_schema=False)
        assert 4000 <= ep.get_column("CHILD").n_unique() <= 6000
