"""Forecast benchmark: fit + 24-month forecast with intervals, for one authority and a 10-authority region.

Inputs come from a small episode generator here (the synthetic-authority generator may not be
available): Poisson entries, ages at entry from a mixture, geometric placements with exponential
durations, care ending by the 18th birthday; stacked into yearly 903 returns with open episodes
repeated (DEC blank while open), as the real returns are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from benchmarks.common import DATA_DIR, Result
from benchmarks.measure import START_CLOCKS, STOP_CLOCKS, measure

PLACES_BY_AGE = {
    0: (["U4", "U1", "A5", "R3", "P1"], [0.55, 0.2, 0.1, 0.05, 0.1]),
    5: (["U4", "U5", "U1", "K2", "P1"], [0.55, 0.15, 0.15, 0.05, 0.1]),
    10: (["U4", "U1", "K2", "Z1", "P1"], [0.55, 0.15, 0.18, 0.04, 0.08]),
    16: (["U4", "H5", "K2", "P2", "Z1"], [0.35, 0.3, 0.15, 0.12, 0.08]),
}


def generate_episodes(
    las: int,
    first_year: int = 2008,
    last_year_end: int = 2025,
    seed: int = 1,
    entries_per_year: float = 210.0,
    returns_from: int = 2016,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(episodes, header) stacked as typed 903 returns, one per collection year."""
    rng = np.random.default_rng(seed)
    end = date(last_year_end, 3, 31)
    eps: list[tuple] = []
    heads: list[tuple] = []
    for la in range(las):
        n = rng.poisson(entries_per_year * (last_year_end - first_year))
        starts = date(first_year, 4, 1).toordinal() + rng.integers(0, (end - date(first_year, 4, 1)).days, n)
        centres = rng.choice([0.2, 2.5, 7.0, 13.0, 16.5], size=n, p=[0.2, 0.15, 0.15, 0.3, 0.2])
        ages = np.clip(centres + rng.normal(0, 0.8, n), 0, 17.8)
        for c in range(n):
            child = f"{la:02d}{c:06d}"
            start = int(starts[c])
            dob = start - int(ages[c] * 365.25)
            eighteen = (
                date.fromordinal(dob).replace(year=date.fromordinal(dob).year + 18)
                if not (date.fromordinal(dob).month == 2 and date.fromordinal(dob).day == 29)
                else date(date.fromordinal(dob).year + 18, 3, 1)
            )
            heads.append((child, "1" if rng.random() < 0.55 else "2", date.fromordinal(dob), "WBRI"))
            t = start
            k = 0
            while True:
                dur = max(1, int(rng.exponential(420)))
                e = t + dur
                final = rng.random() < 0.45 or e >= eighteen.toordinal()
                e = min(e, eighteen.toordinal())
                age = (t - dob) / 365.25
                band = 16 if age >= 16 else 10 if age >= 10 else 5 if age >= 5 else 0
                places, probs = PLACES_BY_AGE[band]
                place = str(rng.choice(places, p=probs))
                rne = "S" if k == 0 else "P"
                rec = (
                    ("E8" if e >= eighteen.toordinal() else str(rng.choice(["E4A", "E12", "E45", "E13"])))
                    if final
                    else "X1"
                )
                dec = date.fromordinal(e) if e <= end.toordinal() else None
                eps.append(
                    (child, date.fromordinal(t), rne, "C2", "N1", place, "PR1", dec, rec if dec else None)
                )
                if dec is None or final or e >= eighteen.toordinal():
                    break
                t, k = e, k + 1
    episodes = pl.DataFrame(
        eps,
        schema=["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"],
        orient="row",
    )
    header = pl.DataFrame(heads, schema=["CHILD", "SEX", "DOB", "ETHNIC"], orient="row")
    stacked, headers = [], []
    for y in range(returns_from, last_year_end + 1):
        ys, ye = date(y - 1, 4, 1), date(y, 3, 31)
        label = f"{y - 1}-{y % 100:02d}"
        part = episodes.filter((pl.col("DECOM") <= ye) & (pl.col("DEC").is_null() | (pl.col("DEC") >= ys)))
        part = part.with_columns(
            pl.when(pl.col("DEC") > ye).then(None).otherwise(pl.col("DEC")).alias("DEC"),
            pl.when(pl.col("DEC") > ye).then(None).otherwise(pl.col("REC")).alias("REC"),
            pl.lit(label).alias("collection_year"),
        )
        stacked.append(part.with_row_index("_row", offset=1).with_columns(pl.col("_row").cast(pl.Int32)))
        kids = part.select("CHILD").unique()
        headers.append(
            header.join(kids, on="CHILD")
            .with_columns(pl.lit(label).alias("collection_year"))
            .with_row_index("_row", offset=1)
            .with_columns(pl.col("_row").cast(pl.Int32))
        )
    return pl.concat(stacked), pl.concat(headers)


def write_store(path: Path, las: int, seed: int = 1) -> int:
    """Write a DuckDB store with ssda903_episodes and ssda903_header; returns the episode rows."""
    import duckdb

    episodes, header = generate_episodes(las, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    con.register("e", episodes.to_arrow())
    con.register("h", header.to_arrow())
    con.execute("CREATE TABLE ssda903_episodes AS SELECT * FROM e")
    con.execute("CREATE TABLE ssda903_header AS SELECT * FROM h")
    con.close()
    return episodes.height


STEP = (
    """
import time, duckdb
from datetime import date
from kinsight.analytics.episodes import load_history
from kinsight.analytics.groupings import default_groupings
from kinsight.forecast.run import ForecastRequest, run_forecast
from kinsight.forecast.costs import load_unit_costs
from kinsight.forecast.states import StateSpace
from kinsight.domain.years import year_start
g = default_groupings()
"""
    + START_CLOCKS
    + """
con = duckdb.connect({path!r}, read_only=True)
h = load_history(con)
space = StateSpace(g.forecast_groups, g.forecast_age_breaks)
r = run_forecast(h.episodes, group_of=g.forecast_group_of, space=space,
                 request=ForecastRequest(start=h.data_end, months=24, backtest={backtest}),
                 data_start=year_start(h.years[0]), data_end=h.data_end, costs=load_unit_costs())
last = r["months"][-1]
print("start", r["start_population"], "m24", last["total"], last["lower"], last["upper"])
"""
    + STOP_CLOCKS
)


def run(quick: bool) -> list[Result]:
    results = []
    repeat = 1 if quick else 3
    for name, las, target in (("1 authority", 1, 1.0), ("10-authority region", 10, 3.0)):
        if quick and las > 1:
            las = 2
        path = DATA_DIR / f"forecast_{las}la.duckdb"
        rows = write_store(path, las)
        for backtest in (False, True):
            m = measure(STEP.format(path=str(path), backtest=backtest), repeat)
            label = "with its backtest" if backtest else "fit + 24-month forecast with intervals"
            results.append(
                Result(
                    f"forecast {name}: {label}",
                    m.wall,
                    target if not backtest else None,
                    m.peak_mb,
                    note=f"{rows:,} episode rows; {m.note(repeat)}",
                )
            )
    return results
