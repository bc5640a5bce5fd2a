"""The run payload's findings list equals a plain row-by-row read of ``quality_findings``, in order."""

from __future__ import annotations

import random

import duckdb

from kinsight.quality.findings import ensure_tables
from kinsight.services.quality import _findings

RULES = {
    "101": ("error", "Sex is wrong.", ["SEX"]),
    "KQ-REF-EPISODES": ("error", "Not in header.", ["CHILD"]),
    "503B": ("query", "LS changed.", None),
}


def test_findings_match_a_plain_read_in_the_same_order() -> None:
    rng = random.Random(5)
    con = duckdb.connect()
    ensure_tables(con)
    rows = []
    for dataset, year in (("ssda903", "2024-25"), ("ssda903", "2025-26"), ("cin_census", "2025-26")):
        for _ in range(300):
            rule = rng.choice(sorted(RULES))
            severity, message, fields = RULES[rule]
            child = rng.choice([None, *(f"C{k}" for k in range(40))])
            table = rng.choice(["header", "episodes"])
            rows.append(
                ("r", dataset, year, rule, table, rng.randrange(1, 500), child, fields, severity, message)
            )
    con.executemany("INSERT INTO quality_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    cond = "(dataset = ? AND year = ?) OR (dataset = ? AND year = ?)"
    params = ["ssda903", "2025-26", "cin_census", "2025-26"]
    cursor = con.execute(
        'SELECT dataset, year, rule, "table", "row", child, coalesce(fields, []) AS fields, severity, message'
        f' FROM quality_findings WHERE {cond} ORDER BY dataset, year, child, "table", "row", rule',
        params,
    )
    names = [d[0] for d in cursor.description]
    expected = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    got = _findings(con, cond, params)
    assert len(got) == 600
    # Ties (same child, table, row and rule) are identical rows, so the order is fully determined.
    assert got == expected
    assert all(list(f) == names for f in got)
