"""The forecast starts from the indicators' count of children looked after at 31 March.

Hand-crafted returns for 2023-24 and 2024-25, each child chosen to hit one way the two used to differ
(or could): an open episode that vanished from the next return, a DECOM corrected in the next
return, a child ceasing on 31 March, one starting on 31 March, short breaks only, an episode repeated
across returns, an overlap left open by mistake, a date of birth blank in the latest return only, and
none at all.  The expected counts are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date as d

import duckdb
import pytest

from kinsight.analytics.episodes import load_history
from kinsight.analytics.groupings import default_groupings
from kinsight.analytics.indicators import compute_indicators, indicator_to_json
from kinsight.domain.years import year_start
from kinsight.forecast.costs import load_unit_costs
from kinsight.forecast.export import ExportFormat, write_forecast
from kinsight.forecast.run import ForecastRequest, run_forecast
from kinsight.forecast.spells import build_pieces
from kinsight.forecast.states import StateSpace

Y1, Y2 = "2023-24", "2024-25"
EPISODE_COLS = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC")


def _episodes() -> list[tuple]:
    """(year, CHILD, DECOM, RNE, LS, PLACE, DEC, REC)."""
    return [
        # A: open at the end of 2023-24, missing from 2024-25 (vanished): in care 31/3/24 only
        (Y1, "A", d(2023, 6, 1), "S", "C2", "U4", None, None),
        # A2: open in 2023-24 from 10/9/23; 2024-25 reports it from 1/9/23 and closes it 1/10/24
        (Y1, "A2", d(2023, 9, 10), "S", "C2", "K2", None, None),
        (Y2, "A2", d(2023, 9, 1), "S", "C2", "K2", d(2024, 10, 1), "E13"),
        # B: ceases on 31 March 2025: not looked after that day
        (Y2, "B", d(2024, 5, 1), "S", "C1", "U4", d(2025, 3, 31), "E4A"),
        # B2: starts on 31 March 2025: looked after that day
        (Y2, "B2", d(2025, 3, 31), "S", "C1", "U4", None, None),
        # C: short breaks only (V3, V4), one still open: never counted
        (Y1, "C", d(2024, 1, 5), "S", "V3", "U4", d(2024, 1, 7), "E4A"),
        (Y2, "C", d(2025, 2, 1), "S", "V4", "U4", None, None),
        # D: open across both years; DOB given in 2023-24, left blank in 2024-25
        (Y1, "D", d(2023, 4, 20), "S", "C2", "U4", None, None),
        (Y2, "D", d(2023, 4, 20), "S", "C2", "U4", None, None),
        # E: starts in 2024-25, open, no date of birth in any return
        (Y2, "E", d(2024, 11, 1), "S", "C1", "K2", None, None),
        # F: placement change in 2024-25, the new one open
        (Y1, "F", d(2022, 1, 1), "S", "C2", "U4", None, None),
        (Y2, "F", d(2022, 1, 1), "S", "C2", "U4", d(2024, 7, 1), "X1"),
        (Y2, "F", d(2024, 7, 1), "P", "C2", "U5", None, None),
        # G: an earlier episode left open by mistake under a later open one: one child
        (Y2, "G", d(2024, 6, 1), "S", "C2", "U4", None, None),
        (Y2, "G", d(2024, 8, 1), "P", "C2", "K2", None, None),
    ]


def _header() -> list[tuple]:
    """(year, CHILD, SEX, DOB)."""
    dob = d(2012, 5, 5)
    rows = [(Y1, c, "1", dob) for c in ("A", "A2", "C", "F")]
    rows += [(Y2, c, "2", dob) for c in ("A2", "B", "B2", "C", "F", "G")]
    rows += [(Y1, "D", "1", d(2009, 2, 2)), (Y2, "D", "1", None), (Y2, "E", "2", None)]
    return rows


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ssda903_episodes (CHILD VARCHAR, DECOM DATE, RNE VARCHAR, LS VARCHAR, CIN VARCHAR, "
        "PLACE VARCHAR, PLACE_PROVIDER VARCHAR, DEC DATE, REC VARCHAR, REASON_PLACE_CHANGE VARCHAR, "
        "URN VARCHAR, collection_year VARCHAR, _row INTEGER)"
    )
    for row_no, (year, child, decom, rne, ls, place, dec, rec) in enumerate(_episodes(), start=1):
        con.execute(
            "INSERT INTO ssda903_episodes VALUES (?, ?, ?, ?, 'N1', ?, 'PR1', ?, ?, NULL, NULL, ?, ?)",
            [child, decom, rne, ls, place, dec, rec, year, row_no],
        )
    con.execute(
        "CREATE TABLE ssda903_header (CHILD VARCHAR, SEX VARCHAR, DOB DATE, ETHNIC VARCHAR, "
        "collection_year VARCHAR, _row INTEGER)"
    )
    for row_no, (year, child, sex, dob) in enumerate(_header(), start=1):
        con.execute(
            "INSERT INTO ssda903_header VALUES (?, ?, ?, 'WBRI', ?, ?)", [child, sex, dob, year, row_no]
        )
    return con


@pytest.fixture(scope="module")
def history():
    con = _store()
    try:
        return load_history(con)
    finally:
        con.close()


def _pieces(history, cutoff):
    g = default_groupings()
    space = StateSpace(g.forecast_groups, g.forecast_age_breaks)
    return build_pieces(
        history.episodes,
        group_of=g.forecast_group_of,
        space=space,
        cutoff=cutoff,
        short_break_legal_statuses=g.short_break_legal_statuses,
    )


def test_forecast_start_equals_indicator_and_hand_count(history, tmp_path):
    g = default_groupings()
    indicator = {
        i.name: indicator_to_json(i) for i in compute_indicators(duckdb.connect(), g, history=history)
    }["cla_at_31_march"]
    # 31 March 2024: A, A2, D, F (C is a short break; the others had not started) = 4
    # 31 March 2025: B2, D, E, F, G = 5 (A vanished, A2 closed 1/10/24, B ceased that day, C short break)
    assert indicator == {Y1: 4, Y2: 5}

    space = StateSpace(g.forecast_groups, g.forecast_age_breaks)
    result = run_forecast(
        history.episodes,
        group_of=g.forecast_group_of,
        space=space,
        request=ForecastRequest(start=history.data_end, months=2, sims=20, backtest=False),
        data_start=year_start(history.years[0]),
        data_end=history.data_end,
        costs=load_unit_costs(),
        short_break_legal_statuses=g.short_break_legal_statuses,
    )
    assert result["start_population"] == 5 == indicator[Y2]
    assert result["start_population_without_dob"] == 1  # E only: D's DOB comes from 2023-24
    assert int(_pieces(history, d(2024, 3, 31)).stock_on(d(2024, 3, 31)).sum()) == indicator[Y1]
    # the HTML report says which measure the starting population is, and how many lacked a DOB
    (html,) = write_forecast(result, tmp_path, [ExportFormat.HTML], stem="f")
    text = " ".join(html.read_text(encoding="utf-8").split())
    assert "<strong>5</strong>" in text and "children looked after at 31 March" in text
    assert "1 of them had no date of birth" in text


def test_latest_recorded_date_of_birth_is_used(history):
    dobs = dict(history.episodes.select("CHILD", "DOB").unique().iter_rows())
    assert dobs["D"] == d(2009, 2, 2)
    assert dobs["E"] is None


def test_vanished_episode_stops_at_end_eff_without_an_exit(history):
    pieces = _pieces(history, history.data_end)
    a = pieces.frame.filter(pieces.frame["CHILD"] == "A").rows(named=True)
    # one piece, in care 1/6/23 up to (not on) 1/4/24, censored: nobody recorded A leaving
    assert [(p["start"], p["end"], p["censored"], p["open"], p["outcome"]) for p in a] == [
        (d(2023, 6, 1), d(2024, 4, 1), True, False, None)
    ]
    # A2's stale 2023-24 version (from 10/9/23) gives way to the corrected one after 31/3/24: A2 is in
    # care on 30/6/24 under the corrected episode, and leaves care (an exit) on 1/10/24
    a2 = pieces.frame.filter(pieces.frame["CHILD"] == "A2").sort("start").rows(named=True)
    assert a2[0]["start"] == d(2023, 9, 1) and a2[-1]["end"] == d(2024, 10, 1)
    assert a2[-1]["outcome"] == -1
    assert sum(p["outcome"] == -1 for p in a2) == 1


def test_child_without_dob_counts_in_the_modal_band_of_their_group(history):
    pieces = _pieces(history, history.data_end)
    space = pieces.space
    day = d(2025, 3, 31)
    counts = pieces.stock_on(day)
    residential = space.groups.index("Residential")
    # Dated residential children on 31/3/25: G only (K2 from 1/8/24), born 5/5/2012 -> aged 12.
    band_of_g = next(i for i, b in enumerate(space.bands) if _in_band(12, b))
    assert counts[band_of_g * len(space.groups) + residential] == 2  # G and E (imputed)
    assert counts.sum() == 5


def _in_band(age: int, label: str) -> bool:
    if label.endswith("+"):
        return age >= int(label[:-1])
    low, high = (int(x) for x in label.split(" to "))
    return low <= age < high
