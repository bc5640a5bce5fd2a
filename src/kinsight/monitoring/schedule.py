"""When a deployment's next review is due: monthly just after go-live, then at the interval set.

The guidance suggests reviewing more often straight after deployment (for example monthly); after the
early period reviews fall due every ``interval_months``.  A review is overdue from the day after it
was due until one is recorded.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, moved back to the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ReviewSchedule:
    early_interval_months: int = 1
    early_period_months: int = 6
    interval_months: int = 3

    def __post_init__(self) -> None:
        if min(self.early_interval_months, self.interval_months) < 1 or self.early_period_months < 0:
            raise ValueError("review intervals must be at least one month")


@dataclass(frozen=True)
class ReviewDue:
    due_on: date | None
    overdue: bool
    days_overdue: int


def next_review(
    schedule: ReviewSchedule, *, went_live: date | None, last_review: date | None, today: date
) -> ReviewDue:
    """The next due date counted from the last review (or go-live); nothing is due before go-live."""
    if went_live is None:
        return ReviewDue(None, False, 0)
    base = max(last_review, went_live) if last_review else went_live
    early_end = add_months(went_live, schedule.early_period_months)
    step = schedule.early_interval_months if base < early_end else schedule.interval_months
    due = add_months(base, step)
    late = (today - due).days
    return ReviewDue(due, late > 0, max(late, 0))
