"""The first pages a newcomer sees: GOV.UK dates, dataset titles, the grouped catalogue, the home page."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kinsight.domain.roles import Role, load_matrix
from kinsight.domain.years import year_spans
from kinsight.services import ingest
from kinsight.settings import Settings
from kinsight.web.pages.catalogue import table_summaries
from kinsight.web.templating import govuk_date, govuk_datetime, govuk_month

# ---- the date filters, against hand-worked examples --------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # November is GMT: the UTC clock reads the same
        ("2026-11-25T07:25:03", "25 November 2026 at 7:25am"),
        (datetime(2026, 11, 25, 19, 0), "25 November 2026 at 7pm"),
        (datetime(2026, 1, 5, 13, 5), "5 January 2026 at 1:05pm"),
        (datetime(2026, 1, 5, 12, 0), "5 January 2026 at midday"),
        (datetime(2026, 1, 5, 12, 30), "5 January 2026 at 12:30pm"),
        # July is BST (UTC+1): 11:00 UTC is midday in England, 23:00 UTC is midnight of the next day
        ("2026-07-01T11:00:00", "1 July 2026 at midday"),
        (datetime(2026, 6, 30, 23, 0), "1 July 2026 at midnight"),
        # clocks go forward at 01:00 UTC on 29 March 2026: 00:30 UTC is still GMT
        (datetime(2026, 3, 29, 0, 30), "29 March 2026 at 12:30am"),
        (datetime(2026, 3, 29, 1, 30), "29 March 2026 at 2:30am"),
        # an aware time in another zone: 09:15 at UTC+2 is 07:15 UTC, 7:15am GMT
        (datetime(2026, 2, 3, 9, 15, tzinfo=timezone(timedelta(hours=2))), "3 February 2026 at 7:15am"),
        (datetime(2026, 2, 3, 7, 15, tzinfo=UTC), "3 February 2026 at 7:15am"),
        # a plain date has no time to show
        (date(2026, 4, 1), "1 April 2026"),
        (None, "never"),
    ],
)
def test_govuk_datetime(value: object, expected: str) -> None:
    assert govuk_datetime(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25T07:25:03", "25 November 2026"),
        ("2026-11-25", "25 November 2026"),
        (date(2025, 3, 31), "31 March 2025"),
        # 23:30 UTC on 30 June is 00:30 BST on 1 July
        (datetime(2026, 6, 30, 23, 30), "1 July 2026"),
        (None, "never"),
    ],
)
def test_govuk_date(value: object, expected: str) -> None:
    assert govuk_date(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2028-03-01", "March 2028"), (date(2026, 12, 31), "December 2026"), (None, "never")],
)
def test_govuk_month(value: object, expected: str) -> None:
    assert govuk_month(value) == expected  # type: ignore[arg-type]


def test_year_spans_show_gaps() -> None:
    assert year_spans(["2024-25"]) == "2024-25"
    assert year_spans(["2018-19", "2016-17", "2017-18"]) == "2016-17 to 2018-19"
    assert year_spans(["2016-17", "2017-18", "2019-20", "2022-23", "2023-24"]) == (
        "2016-17 to 2017-18, 2019-20, 2022-23 to 2023-24"
    )


def test_table_summaries_group_by_table() -> None:
    def entry(table: str, year: str, rows: int, loaded: str, blank: float) -> dict:
        return {
            "dataset": "ssda903",
            "table": table,
            "year": year,
            "rows": rows,
            "loaded_at": loaded,
            "fields": [{"name": "A", "missing_pct": blank}, {"name": "B", "missing_pct": 0.0}],
        }

    entries = [
        entry("header", "2024-25", 7, "2026-01-02T10:00:00", 10.0),
        entry("header", "2023-24", 5, "2026-03-04T09:00:00", 90.0),
        entry("episodes", "2024-25", 11, "2026-01-02T10:00:00", 50.0),
    ]
    summaries = {s.table: s for s in table_summaries(entries)}
    assert list(summaries) == ["header", "episodes"]
    header = summaries["header"]
    # latest year 2024-25 (7 rows, A 10 % blank: not mostly missing); loaded last on 4 March
    assert (header.years, header.latest_rows, header.total_rows) == (("2023-24", "2024-25"), 7, 12)
    assert header.mostly_missing == () and header.last_loaded == "2026-03-04T09:00:00"
    assert summaries["episodes"].mostly_missing == ("A",)  # 50 % counts as mostly missing


# ---- the pages, on a home with a little data ---------------------------------------------------

ROWS = {("reviews", "2023-24"): 3, ("reviews", "2024-25"): 5, ("missing", "2024-25"): 2}


@pytest.fixture
def loaded(web_settings: Settings, tmp_path: Path) -> Settings:
    root = tmp_path / "returns"
    for (table, year), rows in ROWS.items():
        path = root / year / f"{table}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            if table == "reviews":
                writer.writerow(["CHILD", "DOB", "REVIEW", "REVIEW_CODE"])
                for i in range(rows):
                    writer.writerow([str(i), "01/01/2015", f"0{i + 1}/06/{year[:4]}", ""])
            else:
                writer.writerow(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
                for i in range(rows):
                    writer.writerow([str(i), "01/01/2012", "M", f"0{i + 1}/07/{year[:4]}", ""])
    ingest.ingest(web_settings, [root], actor="test")
    return web_settings


ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
GOVUK_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4}\b"
)


def _body(html: str) -> str:
    return html.split("<main", 1)[1]


def test_catalogue_groups_by_table_with_titles(loaded: Settings, signed_in_as) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_as(Role.ANALYST).get("/catalogue")
    assert page.status_code == 200
    body = _body(page.text)
    assert (
        "Children looked after (SSDA903)" in body and 'class="govuk-caption-m kinsight-key">ssda903' in body
    )
    # one row per table, linking to its details page; the DfE's table names as titles
    assert body.count('href="/catalogue/ssda903/reviews"') == 1
    assert body.count('href="/catalogue/ssda903/missing"') == 1
    assert ">Reviews<" in body and ">Missing<" in body
    assert "2023-24 to 2024-25" in body
    # REVIEW_CODE is blank on every row: mostly missing; no raw ISO timestamps anywhere
    assert "REVIEW_CODE" in body and not ISO.search(body) and GOVUK_DATE.search(body)


def test_table_details_show_each_year_and_field(loaded: Settings, signed_in_as) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_as(Role.ANALYST)
    page = client.get("/catalogue/ssda903/reviews")
    assert page.status_code == 200
    body = _body(page.text)
    years = re.findall(
        r'<th scope="row" class="govuk-table__header">(\d{4}-\d{2})</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
        body,
    )
    assert sorted(years) == [("2023-24", "3"), ("2024-25", "5")]
    assert "<code>REVIEW_CODE</code>" in body and "100.0%" in body
    assert not ISO.search(body)
    assert client.get("/catalogue/ssda903/no_such_table").status_code == 404


def test_home_shows_titles_and_only_pages_the_role_may_open(loaded: Settings, signed_in_as) -> None:  # type: ignore[no-untyped-def]
    matrix = load_matrix()
    guarded = {  # page -> permission, as the areas register them (read independently of the nav code)
        "/search": "child.search",
        "/audit": "audit.view",
        "/users": "users.view",
        "/quality": "quality.view",
        "/forecast": "forecast.view",
    }
    for role in (Role.PRACTITIONER, Role.INFORMATION_GOVERNANCE, Role.ADMIN):
        body = _body(signed_in_as(role).get("/").text)
        section = body.split("What you can do here", 1)[1]
        assert "Children looked after (SSDA903)" in body and not ISO.search(body)
        assert matrix.role(role).label in section
        for href, permission in guarded.items():
            allowed = any(str(p) == permission for p in matrix.role(role).permissions)
            assert (f'href="{href}"' in section) is allowed, (role, href)


def test_home_shows_my_alerts(loaded: Settings, signed_in_as, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from kinsight.services import monitoring

    def alerts_for(settings: Settings, username: str) -> list[dict]:
        return [
            {
                "deployment": "edge-of-care",
                "project": "p",
                "period": "2026-10",
                "owner": username,
                "message": f"Drift for {username}",
                "raised_at": datetime(2026, 11, 2, 8, 5, tzinfo=UTC),
            }
        ]

    monkeypatch.setattr(monitoring, "alerts_for", alerts_for, raising=False)
    body = _body(signed_in_as(Role.ANALYST).get("/").text)
    assert "1 monitoring alert needs your attention" in body
    assert "Drift for demo-analyst" in body and "2 November 2026 at 8:05am" in body
