"""Load instruments (questionnaires as YAML), validate answer sets against them, write blank templates.

Instruments ship inside the package; an authority adapts one by putting a file with the same ``id``
in its own folder (``<home>/governance/instruments``), which then replaces the built-in one.  Answers
are checked by a pydantic model built from the instrument, with ``extra="forbid"`` so a misspelt
question id is refused rather than silently kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import ConfigurationError, NotFoundError, UsageError
from kinsight.governance.definitions import Column, Instrument, Question, QuestionType

BUILTIN_DIR = Path(__file__).parent / "instruments"


def _read_instrument(path: Path) -> Instrument:
    try:
        raw = read_yaml(path)
        return Instrument.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as error:
        raise ConfigurationError(
            f"The instrument file {path} is not valid: {error}",
            hint="Compare it with the built-in instruments in kinsight/governance/instruments.",
        ) from error


@lru_cache(maxsize=8)
def _load_dir(folder: Path) -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for path in sorted(folder.glob("*.yaml")):
        instrument = _read_instrument(path)
        found[instrument.id] = instrument
    return found


def load_instruments(extra_dirs: Iterable[Path] = ()) -> dict[str, Instrument]:
    """All instruments by id; files in ``extra_dirs`` (an authority's adaptations) replace built-in ones."""
    merged = dict(_load_dir(BUILTIN_DIR))
    for folder in extra_dirs:
        if folder.is_dir():
            merged.update(_load_dir(folder.resolve()))
    return merged


def get_instrument(instruments: dict[str, Instrument], instrument_id: str) -> Instrument:
    try:
        return instruments[instrument_id]
    except KeyError:
        raise NotFoundError(
            f"There is no instrument called '{instrument_id}'.",
            hint="Run 'kinsight project instruments' to list them.",
        ) from None


def _options_type(options: list[Any]) -> Any:
    return Literal[tuple(o.id for o in options)]  # type: ignore[valid-type]


def _scalar_type(item: Question | Column) -> tuple[Any, dict[str, Any]]:
    """The python type and pydantic Field arguments for a question or a table column."""
    limits: dict[str, Any] = {}
    minimum = getattr(item, "minimum", None)
    maximum = getattr(item, "maximum", None)
    if minimum is not None:
        limits["ge"] = minimum
    if maximum is not None:
        limits["le"] = maximum
    match item.type:
        case QuestionType.TEXT:
            return str, {"min_length": 1}
        case QuestionType.YES_NO:
            return bool, {}
        case QuestionType.CHOICE:
            return _options_type(item.options), {}
        case QuestionType.MULTI_CHOICE:
            return list[_options_type(item.options)], {}  # type: ignore[misc]
        case QuestionType.SCALE | QuestionType.INTEGER:
            return int, limits
        case QuestionType.NUMBER:
            return float, limits
        case QuestionType.DATE:
            return dt.date, {}
        case QuestionType.LIST:
            return list[str], {"min_length": 1}
    raise AssertionError(item.type)  # pragma: no cover - tables are handled by the caller


_MODEL_ARGS: dict[str, Any] = {"__config__": ConfigDict(extra="forbid"), "__module__": __name__}
_MODELS: dict[tuple[str, int, int], type[BaseModel]] = {}


def _table_row_model(instrument_id: str, question: Question) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for column in question.columns:
        kind, args = _scalar_type(column)
        if column.required:
            fields[column.id] = (kind, Field(..., **args))
        else:
            fields[column.id] = (kind | None, Field(None, **args))
    return create_model(f"{instrument_id}_{question.id}_row", **_MODEL_ARGS, **fields)


def answers_model(instrument: Instrument) -> type[BaseModel]:
    """A pydantic model that accepts exactly the answers this instrument allows (built once per file)."""
    key = (instrument.id, instrument.version, id(instrument))
    if key not in _MODELS:
        _MODELS[key] = _build_answers_model(instrument)
    return _MODELS[key]


def _build_answers_model(instrument: Instrument) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for question in instrument.questions:
        if question.type is QuestionType.TABLE:
            kind: Any = list[_table_row_model(instrument.id, question)]  # type: ignore[misc]
            args: dict[str, Any] = {"min_length": question.min_rows} if question.min_rows else {}
        else:
            kind, args = _scalar_type(question)
        if question.required:
            fields[question.id] = (kind, Field(..., **args))
        else:
            fields[question.id] = (kind | None, Field(None, **args))
    return create_model(f"{instrument.id}_answers", **_MODEL_ARGS, **fields)


def validate_answers(instrument: Instrument, answers: Any) -> dict[str, Any]:
    """Check an answer set; return it as plain JSON-ready data (dates as ISO strings, blanks dropped).

    Raises UsageError naming every wrong answer, so a person can fix the file in one go.
    """
    if not isinstance(answers, dict):
        raise UsageError(
            f"Answers for '{instrument.id}' must be a mapping of question id to answer.",
            hint=f"Start from 'kinsight project template {instrument.id}'.",
        )
    try:
        model = answers_model(instrument).model_validate(answers)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}"
            for item in error.errors(include_url=False)
        ]
        raise UsageError(
            f"The answers for '{instrument.id}' do not fit the instrument: " + "; ".join(problems),
            hint=f"Compare with 'kinsight project template {instrument.id}'.",
            details={"instrument": instrument.id, "problems": problems},
        ) from error
    return model.model_dump(mode="json", exclude_none=True)


def is_answered(value: Any) -> bool:
    """An answer counts only if it says something: empty text or an empty list do not."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def blank_template(instrument: Instrument) -> str:
    """A YAML answers file with every question as a comment, ready to fill in."""
    lines = [
        f"# {instrument.title} (instrument '{instrument.id}', version {instrument.version})",
        *(f"# {line}" for line in _wrap(instrument.purpose)),
        "# Fill in the answers, delete what you do not know yet, then run:",
        f"#   kinsight project answer NAME {instrument.id} --file THIS_FILE.yaml",
        "",
    ]
    for question in instrument.questions:
        required = " (required)" if question.required else ""
        lines.append(f"# {question.text}{required}")
        if question.help:
            lines.append(f"#   {question.help}")
        lines.extend(_template_value(question))
        lines.append("")
    return "\n".join(lines)


def _hint(item: Question | Column) -> str:
    match item.type:
        case QuestionType.CHOICE | QuestionType.MULTI_CHOICE:
            return "one of: " + ", ".join(o.id for o in item.options)
        case QuestionType.SCALE:
            return f"a whole number from {item.minimum:g} to {item.maximum:g}"  # type: ignore[union-attr]
        case QuestionType.YES_NO:
            return "true or false"
        case QuestionType.DATE:
            return "a date, YYYY-MM-DD"
        case QuestionType.NUMBER | QuestionType.INTEGER:
            return "a number"
    return "text"


def _template_value(question: Question) -> list[str]:
    if question.type is QuestionType.TABLE:
        lines = [f"{question.id}:"]
        for i, column in enumerate(question.columns):
            prefix = "  - " if i == 0 else "    "
            lines.append(f"{prefix}{column.id}:   # {column.text}; {_hint(column)}")
        return lines
    if question.type in (QuestionType.MULTI_CHOICE, QuestionType.LIST):
        return [f"{question.id}: []   # {_hint(question)}"]
    return [f"{question.id}:   # {_hint(question)}"]


def _wrap(text: str, width: int = 100) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines
