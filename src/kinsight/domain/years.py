"""DfE collection years: ``"2024-25"`` is the year from 1 April 2024 to 31 March 2025."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from kinsight.errors import UsageError

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def parse_year(text: str) -> int:
    """Return the starting calendar year of a collection year, checking its form strictly."""
    match = _YEAR.match(text.strip())
    if not match:
        raise UsageError(f"'{text}' is not a collection year", hint="Write it as 2024-25.")
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise UsageError(
            f"'{text}' is not a collection year", hint=f"Did you mean {start}-{(start + 1) % 100:02d}?"
        )
    return start


def format_year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def year_start(year: str) -> date:
    return date(parse_year(year), 4, 1)


def year_end(year: str) -> date:
    """31 March at the end of the collection year (the census date for children looked after)."""
    return date(parse_year(year) + 1, 3, 31)


def year_for_date(day: date) -> str:
    return format_year(day.year if day.month >= 4 else day.year - 1)


def year_range(spec: str) -> list[str]:
    """``"2021-2025"`` (ending years, as the DfE names publications) or ``"2021-22..2024-25"``.

    ``2021-2025`` means the collection years ending in 2021 to 2025, i.e. 2020-21 ... 2024-25.
    """
    spec = spec.strip()
    if ".." in spec:
        first, last = spec.split("..", 1)
        a, b = parse_year(first), parse_year(last)
    else:
        m = re.match(r"^(\d{4})-(\d{4})$", spec)
        if not m:
            raise UsageError(
                f"'{spec}' is not a range of years", hint="Write it as 2021-2025 (years ending)."
            )
        a, b = int(m.group(1)) - 1, int(m.group(2)) - 1
    if b < a:
        raise UsageError(f"'{spec}' ends before it starts")
    return [format_year(y) for y in range(a, b + 1)]


def year_spans(years: Iterable[str]) -> str:
    """Collection years as runs: "2016-17 to 2025-26", or "2016-17 to 2018-19, 2020-21" where one is missing.

    Catalogues show years this way so that a gap in what is held is visible at a glance.
    """
    runs: list[list[int]] = []
    for start in sorted({parse_year(year) for year in years}):
        if runs and start == runs[-1][-1] + 1:
            runs[-1].append(start)
        else:
            runs.append([start])
    return ", ".join(
        format_year(run[0]) if len(run) == 1 else f"{format_year(run[0])} to {format_year(run[-1])}"
        for run in runs
    )
