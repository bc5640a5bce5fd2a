"""On any day, the forecast's stock equals a plain count of children in care by the indicators' rule.

The rule (kinsight.analytics.cla): a child is looked after on day d when one of their episodes,
short breaks (V3/V4) aside, has DECOM <= d < end_eff.  Random histories mix overlaps, episodes that
vanished from a later return (no DEC, end_eff before the cutoff), zero-length and out-of-order
episodes, and children without a date of birth; the count here is plain Python over the rows.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from kinsight.forecast.spells import build_pieces
from kinsight.forecast.states import StateSpace

SPACE = StateSpace(("Fostering", "Residential", "Other"), (5, 16))
GROUPS = {"U4": "Fostering", "U5": "Fostering", "K2": "Residential"}
ORIGIN = date(2023, 4, 1)
DATA_END = date(2025, 3, 31)
RETURN_ENDS = (date(2024, 4, 1), date(2025, 4, 1))  # end_eff of an episode open in each return


@st.composite
def episode(draw: st.DrawFn, child: str, dob: date | None) -> dict:
    decom = ORIGIN + timedelta(days=draw(st.integers(0, 720)))
    closed = draw(st.booleans())
    dec = decom + timedelta(days=draw(st.integers(-3, 400))) if closed else None
    end_eff = (
        dec
        if dec is not None
        else draw(st.sampled_from([e for e in RETURN_ENDS if e > decom] or [RETURN_ENDS[-1]]))
    )
    return {
        "CHILD": child,
        "DECOM": decom,
        "DEC": dec,
        "end_eff": end_eff,
        "PLACE": draw(st.sampled_from(["U4", "U5", "K2", "P1"])),
        "LS": draw(st.sampled_from(["C2", "C2", "C1", "V3", "V4"])),
        "DOB": dob,
    }


@st.composite
def histories(draw: st.DrawFn) -> pl.DataFrame:
    rows: list[dict] = []
    for c in range(draw(st.integers(1, 6))):
        dob = draw(st.none() | st.dates(date(2006, 1, 1), date(2023, 1, 1)))
        for _ in range(draw(st.integers(1, 4))):
            rows.append(draw(episode(f"C{c}", dob)))
    frame = pl.DataFrame(
        rows,
        schema={
            "CHILD": pl.String,
            "DECOM": pl.Date,
            "DEC": pl.Date,
            "end_eff": pl.Date,
            "PLACE": pl.String,
            "LS": pl.String,
            "DOB": pl.Date,
        },
    )
    return frame.unique(subset=["CHILD", "DECOM"], keep="first", maintain_order=True)


def _plain_count(frame: pl.DataFrame, day: date) -> int:
    children = set()
    for r in frame.iter_rows(named=True):
        if r["LS"] in ("V3", "V4"):
            continue
        if r["DECOM"] <= day < r["end_eff"]:
            children.add(r["CHILD"])
    return len(children)


@settings(max_examples=60, deadline=None)
@given(histories(), st.integers(0, 729), st.integers(0, 729))
def test_stock_on_equals_plain_count(frame, cutoff_offset, day_offset):
    cutoff = min(ORIGIN + timedelta(days=cutoff_offset), DATA_END)
    day = min(ORIGIN + timedelta(days=day_offset), cutoff)
    pieces = build_pieces(frame, group_of=GROUPS, space=SPACE, cutoff=cutoff)
    assert int(pieces.stock_on(day).sum()) == _plain_count(frame, day)
    # never two pieces of one child on one day
    dated = pieces.frame.filter((pl.col("start") <= day) & (pl.col("open") | (pl.col("end") > day)))
    assert dated["CHILD"].n_unique() == dated.height
