"""Review schedule: monthly in the early period after go-live, then at the interval set; overdue flags."""

from __future__ import annotations

from datetime import date

import pytest

from kinsight.monitoring.schedule import ReviewSchedule, add_months, next_review


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_nothing_due_before_go_live() -> None:
    due = next_review(ReviewSchedule(), went_live=None, last_review=None, today=date(2025, 6, 1))
    assert due.due_on is None and not due.overdue


def test_monthly_then_quarterly() -> None:
    s = ReviewSchedule(early_interval_months=1, early_period_months=6, interval_months=3)
    live = date(2025, 1, 10)
    assert next_review(s, went_live=live, last_review=None, today=live).due_on == date(2025, 2, 10)
    # last review inside the early period: monthly
    assert next_review(s, went_live=live, last_review=date(2025, 5, 12), today=live).due_on == date(
        2025, 6, 12
    )
    # last review after the early period (ends 2025-07-10): every three months
    assert next_review(s, went_live=live, last_review=date(2025, 7, 11), today=live).due_on == date(
        2025, 10, 11
    )


def test_overdue_from_the_day_after() -> None:
    s = ReviewSchedule()
    live = date(2025, 1, 10)
    assert not next_review(s, went_live=live, last_review=None, today=date(2025, 2, 10)).overdue
    late = next_review(s, went_live=live, last_review=None, today=date(2025, 2, 14))
    assert late.overdue and late.days_overdue == 4


def test_bad_schedule_refused() -> None:
    with pytest.raises(ValueError):
        ReviewSchedule(interval_months=0)
