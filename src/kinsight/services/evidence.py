"""The evidence the governance gates read: privacy risk reports and alpha evaluations, filed per project.

A privacy risk report (``kinsight privacy risk ... --project NAME``) or an evaluation
(``kinsight evaluate ... --project NAME``) is filed under the Kinsight home as one JSON file per run::

    <home>/evidence/privacy/<project>/<UTC time>.json      {"project", "recorded_at", "recorded_by", "report"}
    <home>/evidence/evaluation/<project>/<UTC time>.json   {"project", "recorded_at", "recorded_by", "result"}

Files are only ever added, never changed, so every result a gate once read can be found again.  The
two ``latest_*`` readers turn the newest file into the small payload the gate checks; the governance
service copies that payload into the project's record when it evaluates a gate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kinsight.errors import NotFoundError, UsageError
from kinsight.settings import Settings

EVIDENCE_DIR = "evidence"
PRIVACY = "privacy"
EVALUATION = "evaluation"

#: A report passes only if, where a sensitive field was measured, every group of records sharing the
#: same quasi-identifiers holds at least this many distinct sensitive values (l-diversity).  With l = 1
#: knowing someone's quasi-identifiers tells you their sensitive value even when k is met.
MIN_L = 2

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


# --- filing ------------------------------------------------------------------------------------------


def evidence_folder(settings: Settings, kind: str, project: str) -> Path:
    """Where one project's results of one kind are filed (the name is checked, so no path escapes)."""
    if not _NAME.match(project or ""):
        raise UsageError(
            f"'{project}' is not a usable project name.",
            hint="Use letters, digits, '-' and '_' only, e.g. placement-forecast.",
        )
    return settings.home / EVIDENCE_DIR / kind / project


def _require_project(settings: Settings, project: str) -> None:
    """Refuse to file evidence for a project that does not exist: a typo would otherwise be silent."""
    from kinsight.services import governance

    operator = governance.Actor("evidence", governance.LOCAL_OPERATOR)
    names = {p["name"] for p in governance.list_projects(settings, operator)}
    if project not in names:
        raise NotFoundError(
            f"There is no governance project called '{project}'.",
            hint="Create it with 'kinsight project create NAME'; 'kinsight project list' shows the names.",
        )


def _file(settings: Settings, kind: str, project: str, body: dict[str, Any], actor: str) -> Path:
    folder = evidence_folder(settings, kind, project)
    _require_project(settings, project)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    envelope = {
        "project": project,
        "kind": kind,
        "recorded_at": now.isoformat(timespec="microseconds"),
        "recorded_by": actor,
        **body,
    }
    text = json.dumps(envelope, indent=2, ensure_ascii=False, default=str)
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    for attempt in range(100):
        path = folder / (f"{stamp}.json" if attempt == 0 else f"{stamp}-{attempt:02d}.json")
        try:
            with path.open("x", encoding="utf-8") as handle:  # never overwrite an earlier result
                handle.write(text)
        except FileExistsError:
            continue
        _audit(settings, actor, project, kind, path)
        return path
    raise UsageError(  # pragma: no cover - a hundred results within one microsecond
        "Could not find a free file name for the evidence.", hint="Try again."
    )


def _audit(settings: Settings, actor: str, project: str, kind: str, path: Path) -> None:
    from kinsight.services import audit

    audit.record(
        settings,
        actor=actor,
        action="governance.evidence",
        target=project,
        details={"kind": kind, "file": path.name},
    )


def _newest(settings: Settings, kind: str, project: str) -> tuple[Path, dict[str, Any]] | None:
    """The newest readable evidence file of a kind (file names sort by the time they were written)."""
    folder = evidence_folder(settings, kind, project)
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.json"), reverse=True):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged file is skipped, never taken as evidence
        if isinstance(body, dict):
            return path, body
    return None


# --- privacy -----------------------------------------------------------------------------------------


def store_risk_report(settings: Settings, project: str, report: dict[str, Any], *, actor: str) -> Path:
    """File a re-identification risk report (as ``services.privacy.risk_report`` returns it)."""
    if not isinstance(report.get("risk"), dict):
        raise UsageError(
            "This is not a re-identification risk report.",
            hint="Produce one with 'kinsight privacy risk FILE --qi ... --project NAME'.",
        )
    return _file(settings, PRIVACY, project, {"report": report}, actor)


def privacy_verdict(report: dict[str, Any]) -> dict[str, Any]:
    """Whether a risk report passes, in plain words, with the figures that decided it."""
    risk = report["risk"]
    k, target = int(risk["k"]), int(risk["k_threshold"])
    records, below = int(risk["records"]), int(risk["records_below_k"])
    diversity = risk.get("l")
    k_ok = records > 0 and k >= target
    l_ok = diversity is None or int(diversity) >= MIN_L
    parts = [
        f"Smallest group sharing the same quasi-identifiers: {k} record(s) (target {target}); "
        f"{below} of {records} record(s) are in groups smaller than {target}."
    ]
    if diversity is not None:
        parts.append(
            f"Fewest distinct values of {risk.get('sensitive')} in a group: {diversity} (needs {MIN_L})."
        )
    if records == 0:
        parts.append("The extract holds no records.")
    return {
        "passed": bool(k_ok and l_ok),
        "summary": " ".join(parts),
        "k": k,
        "k_threshold": target,
        "l": diversity,
        "records": records,
        "records_below_k": below,
        "quasi_identifiers": list(risk.get("quasi_identifiers") or []),
        "sensitive": risk.get("sensitive"),
        "title": report.get("title"),
        "generated_at": report.get("generated_at"),
    }


def _latest_filed(
    settings: Settings,
    kind: str,
    project: str,
    keys: tuple[str, str],
    shape: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any] | None:
    """The newest filed item of ``kind`` in the gate's shape, or None when there is none or it is not
    whole: ``keys`` names the body's item and a mapping the item must hold."""
    found = _newest(settings, kind, project)
    if found is None:
        return None
    path, body = found
    item = body.get(keys[0])
    if not isinstance(item, dict) or not isinstance(item.get(keys[1]), dict):
        return None
    return shape(item) | {"file": path.name, "recorded_at": body.get("recorded_at")}


def latest_risk_report(settings: Settings, *, project: str) -> dict[str, Any] | None:
    """The newest filed risk report of a project as ``{"passed": bool, "summary": str, ...}``, or None."""
    return _latest_filed(settings, PRIVACY, project, ("report", "risk"), privacy_verdict)


# --- evaluation --------------------------------------------------------------------------------------


def store_alpha_result(settings: Settings, project: str, result: dict[str, Any], *, actor: str) -> Path:
    """File an evaluation (as ``services.evaluation.evaluate_predictions`` returns it) as alpha evidence."""
    if not isinstance(result.get("overall"), dict):
        raise UsageError(
            "This is not an evaluation result.",
            hint="Produce one with 'kinsight evaluate PREDICTIONS.csv ... --project NAME'.",
        )
    return _file(settings, EVALUATION, project, {"result": result}, actor)


def _figure(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def alpha_payload(result: dict[str, Any]) -> dict[str, Any]:
    """The evaluation in the shape the gate checks (see ``kinsight.governance.thresholds``).

    Each group column's groups are listed with the column as ``attribute``; intersections are left out
    (the thresholds set at design speak of groups of one characteristic).  A group the evaluation
    withheld as too small keeps its ``n`` with undefined figures, so the gate judges it by the minimum
    group size set at design, never by a figure that was not shown.
    """
    overall = result["overall"]
    columns = result.get("by_column") or {}
    if not columns and isinstance(result.get("by_group"), dict) and result.get("group_columns"):
        columns = {result["group_columns"][0]: result["by_group"]}
    by_group = []
    for attribute in sorted(columns):
        for group in sorted(columns[attribute]):
            block = columns[attribute][group]
            by_group.append(
                {
                    "attribute": str(attribute),
                    "group": str(group),
                    "n": int(block.get("n") or 0),
                    "precision": _figure(block.get("precision")),
                    "recall": _figure(block.get("recall")),
                    "suppressed": bool(block.get("suppressed")),
                }
            )
    conventions = result.get("conventions") or {}
    return {
        "overall": {
            "precision": _figure(overall.get("precision")),
            "recall": _figure(overall.get("recall")),
            "n": int(overall.get("n") or 0),
        },
        "by_group": by_group,
        "threshold": conventions.get("threshold"),
        "min_group_size": conventions.get("min_group_size"),
        "source": result.get("source"),
    }


def latest_alpha_result(settings: Settings, *, project: str) -> dict[str, Any] | None:
    """The newest filed evaluation of a project in the gate's shape, or None when there is none."""
    return _latest_filed(settings, EVALUATION, project, ("result", "overall"), alpha_payload)
