"""Model evaluation and bias audit pages.

The evaluation shown is the demonstration model's (``kinsight model demo``): overall and per-group
metrics with bootstrap intervals, fairness gaps and the verdict against the thresholds set at design,
with a failed threshold impossible to miss.  Training and evaluating take seconds, so they run only
when an analyst asks and the result is kept in the home; explanations of single outputs are cheap and
read on each view, with the score hidden unless the reader asks for it (the guidance's option).
The bias audit of a dataset table is worked out once per store version and table.
"""

# ruff: noqa: B008  (FastAPI declares dependencies as parameter defaults)
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from kinsight.domain.roles import Permission
from kinsight.errors import KinsightError, NotFoundError, UsageError
from kinsight.services import bias, evaluation
from kinsight.services.access import is_allowed
from kinsight.services.auth import Principal
from kinsight.settings import Settings
from kinsight.web.deps import get_settings, require
from kinsight.web.nav import NavItem
from kinsight.web.pages.indicators import ResultCache, held_tables, key_of, store_version
from kinsight.web.security import check_csrf
from kinsight.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = (NavItem("Model evaluation", "/evaluation", Permission.EVALUATION_VIEW, order=50),)

LATEST = "latest"
EXPLAIN_LIMIT = 10
METRICS = (
    "precision",
    "recall",
    "f1",
    "accuracy",
    "selection_rate",
    "false_positive_rate",
    "roc_auc",
    "pr_auc",
    "brier",
)
METRIC_WORDS = {
    "precision": "Precision: of the children it flags, the share who had the outcome",
    "recall": "Recall: of the children who had the outcome, the share it flags",
    "f1": "F1: precision and recall together",
    "accuracy": "Accuracy: share of all children it gets right",
    "selection_rate": "Share of children flagged",
    "false_positive_rate": "False alarms: share of children without the outcome who are flagged",
    "roc_auc": "ROC AUC: how well scores rank children (0.5 is chance)",
    "pr_auc": "PR AUC: precision across all thresholds",
    "brier": "Brier score: calibration error (lower is better)",
}


def latest_evaluation(settings: Settings) -> dict[str, Any] | None:
    found = ResultCache(settings, "evaluation").read(LATEST, "demo.json")
    if found is not None:
        found["stale"] = found.get("store_version") != store_version(settings)
    return found


def run_demo(settings: Settings, *, seed: int = 0, resamples: int = 1000) -> dict[str, Any]:
    """Train and evaluate the demonstration model through the service; keep the result for the pages."""
    result = evaluation.model_demo(settings, seed=seed, resamples=resamples, pdf=False)
    result["store_version"] = store_version(settings)
    ResultCache(settings, "evaluation").write(LATEST, "demo.json", result)
    return result


def explanations(settings: Settings, *, show_score: bool, identify: bool) -> dict[str, Any] | None:
    """The factors behind a few outputs; child and date only for people who may see pseudonymised data."""
    try:
        result = evaluation.model_explain(settings, limit=EXPLAIN_LIMIT, show_score=show_score)
    except NotFoundError:
        return None
    if not identify:
        for number, output in enumerate(result["outputs"], start=1):
            output.pop("child", None)
            output.pop("placement_start", None)
            output["example"] = number
    return result


def bias_tables(settings: Settings) -> list[str]:
    """The typed store tables a bias audit can be asked for."""
    return sorted({f"{e['dataset']}_{e['table']}" for e in held_tables(settings) if e.get("rows")})


def bias_result(settings: Settings, table: str, year: str | None) -> dict[str, Any]:
    if table not in bias_tables(settings):
        raise UsageError(f"there is no table {table!r} to audit", hint="Choose a table from the list.")
    version = store_version(settings) or "none"
    return ResultCache(settings, "bias").cached(
        version, f"bias-{key_of(table, year)}.json", lambda: bias.bias_audit(settings, table, year=year)
    )


def _group_rows(by_group: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"group": name, **values} for name, values in by_group.items()]


def _verdict_lines(verdict: dict[str, Any] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    results = (verdict or {}).get("results") or []
    return [r for r in results if not r.get("met")], [r for r in results if r.get("met")]


@router.get("/evaluation")
def evaluation_page(
    request: Request,
    show_score: bool = False,
    principal: Principal = Depends(require(Permission.EVALUATION_VIEW)),
) -> Response:
    settings = get_settings(request)
    result = latest_evaluation(settings)
    ev = result["evaluation"] if result else None
    failed, met = _verdict_lines(ev.get("verdict") if ev else None)
    return render(
        request,
        "evaluation/index.html",
        {
            "title": "Model evaluation",
            "result": result,
            "ev": ev,
            "failed": failed,
            "met": met,
            "groups": _group_rows(ev.get("by_group") or {}) if ev else [],
            "also_by": {k: _group_rows(v) for k, v in (ev.get("also_by") or {}).items()} if ev else {},
            "metrics": METRICS,
            "metric_words": METRIC_WORDS,
            "explained": explanations(
                settings, show_score=show_score, identify=is_allowed(principal, Permission.EVALUATION_RUN)
            )
            if result
            else None,
            "show_score": show_score,
            "can_run": is_allowed(principal, Permission.EVALUATION_RUN),
            "has_data": store_version(settings) is not None,
            "threshold_count": len(failed) + len(met),
        },
    )


@router.post("/evaluation/demo")
def evaluation_run(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Permission.EVALUATION_RUN)),
) -> Response:
    check_csrf(request, csrf_token)
    settings = get_settings(request)
    try:
        run_demo(settings)
    except KinsightError as error:
        return render(
            request,
            "evaluation/index.html",
            {
                "title": "Model evaluation",
                "result": None,
                "ev": None,
                "error": error,
                "can_run": True,
                "has_data": store_version(settings) is not None,
                "failed": [],
                "met": [],
                "groups": [],
                "also_by": {},
                "metrics": METRICS,
                "metric_words": METRIC_WORDS,
                "explained": None,
            },
            status_code=error.http_status,
        )
    return RedirectResponse("/evaluation", status_code=303)


@router.get("/evaluation/report")
def evaluation_report(
    request: Request, principal: Principal = Depends(require(Permission.EVALUATION_VIEW))
) -> Response:
    settings = get_settings(request)
    result = latest_evaluation(settings)
    html = (result or {}).get("files", {}).get("html")
    path = Path(html).resolve() if html else None
    if path is None or not path.is_relative_to(settings.reports_dir.resolve()) or not path.exists():
        raise NotFoundError("there is no evaluation report yet", hint="An analyst runs the evaluation first.")
    return FileResponse(path, media_type="text/html", filename="kinsight-model-evaluation.html")


@router.get("/evaluation/bias")
def bias_page(
    request: Request,
    table: str = "",
    year: str = "",
    principal: Principal = Depends(require(Permission.EVALUATION_VIEW)),
) -> Response:
    settings = get_settings(request)
    result, error = None, None
    if table:
        try:
            result = bias_result(settings, table, year or None)
        except KinsightError as problem:
            error = problem
    years = sorted({str(e["year"]) for e in held_tables(settings) if e.get("year")})
    return render(
        request,
        "evaluation/bias.html",
        {
            "title": "Bias audit of a dataset",
            "tables": bias_tables(settings),
            "years": years,
            "table": table,
            "year": year,
            "result": result,
            "error": error,
        },
        status_code=error.http_status if error else 200,
    )
