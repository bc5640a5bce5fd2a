"""Instrument forms: the fields a page shows for an instrument, and the answers a submitted form gives.

The instrument YAML decides everything (question text, help, answer type, options, table columns), so
an authority's adapted instrument gets a matching form with no code change.  Converting form text to
answers is deliberately loose: the instrument's own pydantic model (in the governance service) is the
one judge of what is valid, and its complaints are mapped back onto the fields here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

#: Blank rows offered under a table question, so a row can be added without JavaScript.
SPARE_ROWS = 2

_FRIENDLY = {
    "Field required": "Answer this question",
    "Input should be a valid number, unable to parse string as a number": "Enter a number",
    "Input should be a valid integer, unable to parse string as an integer": "Enter a whole number",
    "Input should be a valid integer, got a number with a fractional part": "Enter a whole number",
    "Input should be a valid date or datetime, input is too short": "Enter a real date",
    "Input should be a valid boolean": "Choose yes or no",
    "String should have at least 1 character": "Answer this question",
    "List should have at least 1 item after validation, not 0": "Give at least one answer",
}


@dataclass(frozen=True)
class FieldError:
    anchor: str
    text: str


@dataclass
class FormState:
    """What a form page needs: the values to show and the errors to point at."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    summary: list[FieldError] = field(default_factory=list)


def anchor(question_id: str, row: int | None = None, column: str | None = None) -> str:
    """The element id of a question (or a table cell): what the error summary links to."""
    if row is None:
        return f"q-{question_id}"
    return f"q-{question_id}-{row}-{column}"


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return str(value).strip() if value is not None else ""


def _scalar(kind: str, raw: str) -> Any:
    if raw == "":
        return None
    if kind == "yes_no":
        return {"yes": True, "no": False}.get(raw, raw)
    return raw


def _date(form: Any, name: str) -> str | None:
    parts = [_text(form, f"{name}-{p}") for p in ("year", "month", "day")]
    if not any(parts):
        return None
    year, month, day = parts
    if all(p.isdigit() for p in parts):
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            pass
    return f"{year or '?'}-{month or '?'}-{day or '?'}"  # left for the model to refuse by name


def answers_from_form(instrument: dict[str, Any], form: Any) -> dict[str, Any]:
    """Turn a submitted form (a starlette ``FormData``) into an answers mapping; blanks are left out."""
    answers: dict[str, Any] = {}
    for question in instrument["questions"]:
        qid, kind = question["id"], question["type"]
        name = anchor(qid)
        value: Any
        if kind == "multi_choice":
            value = [v for v in form.getlist(name) if v] or None
        elif kind == "list":
            value = [line.strip() for line in _text(form, name).splitlines() if line.strip()] or None
        elif kind == "date":
            value = _date(form, name)
        elif kind == "table":
            value = _table_rows(question, form) or None
        else:
            value = _scalar(kind, _text(form, name))
        if value is not None:
            answers[qid] = value
    return answers


def _table_rows(question: dict[str, Any], form: Any) -> list[dict[str, Any]]:
    try:
        count = min(int(_text(form, f"{anchor(question['id'])}-rows") or 0), 500)
    except ValueError:
        count = 0
    rows = []
    for i in range(count):
        row = {
            c["id"]: _scalar(c["type"], _text(form, anchor(question["id"], i, c["id"])))
            for c in question["columns"]
        }
        if any(v is not None for v in row.values()):
            rows.append({k: v for k, v in row.items() if v is not None})
    return rows


_LOC = re.compile(r"^(?P<loc>[^:]+): (?P<msg>.*)$", re.S)


def errors_from_problems(instrument: dict[str, Any], problems: list[str]) -> FormState:
    """Map the model's problems (``"question.row.column: message"``) onto fields, in question order."""
    texts = {q["id"]: q["text"] for q in instrument["questions"]}
    columns = {q["id"]: {c["id"]: c["text"] for c in q.get("columns", [])} for q in instrument["questions"]}
    kinds = {q["id"]: q["type"] for q in instrument["questions"]}
    order = {qid: i for i, qid in enumerate(texts)}
    state = FormState()
    found: list[tuple[int, FieldError]] = []
    for problem in problems:
        match = _LOC.match(problem)
        if not match:
            continue
        loc, message = match["loc"].split("."), match["msg"].strip()
        friendly = _FRIENDLY.get(message, message)
        qid = loc[0]
        if qid not in texts:
            state.summary.append(FieldError("#answers", f"{qid}: this question is not in the instrument"))
            continue
        if len(loc) >= 3 and loc[1].isdigit():
            row, column = int(loc[1]), loc[2]
            target = anchor(qid, row, column)
            label = f"{texts[qid]} (row {row + 1}, {columns[qid].get(column, column)})"
        else:
            target = anchor(qid)
            label = texts[qid]
        state.errors.setdefault(target, friendly)
        href = f"#{target}-day" if kinds[qid] == "date" else f"#{target}"
        found.append((order[qid], FieldError(href, f"{label}: {friendly}")))
    state.summary.extend(e for _, e in sorted(found, key=lambda item: item[0]))
    return state


def date_parts(value: Any) -> dict[str, str]:
    """An ISO date (or the text someone typed) split into day, month and year for the date input."""
    text = str(value or "")
    parts = text.split("-")
    if len(parts) == 3:
        year, month, day = parts
        return {
            "day": day.lstrip("0") if day != "?" else "",
            "month": month.lstrip("0") if month != "?" else "",
            "year": year if year != "?" else "",
        }
    return {"day": "", "month": "", "year": ""}


def table_rows_for_display(question: dict[str, Any], value: Any) -> list[dict[str, Any]]:
    """The rows to show under a table question: those answered so far plus some blank ones."""
    rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    return rows + [{} for _ in range(SPARE_ROWS)]
