"""Use cases for evaluating a predictive model: from predictions or a model, and the verdict.

The evaluation itself lives in :mod:`kinsight.evaluation`; this module reads inputs, checks options and
assembles the answer the CLI and web pages show, including the plain-words summary.
"""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml
from pydantic import ValidationError

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import DataFileError, Location, NotFoundError, UsageError
from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.characteristics import attach
from kinsight.evaluation.demo import demo_config, feature_matrix, placements, scores, split_by_time, train
from kinsight.evaluation.evaluate import EvaluationOptions, evaluate
from kinsight.evaluation.explain import explain_rows
from kinsight.evaluation.plainwords import summary
from kinsight.evaluation.report import write_report
from kinsight.evaluation.verdict import Thresholds
from kinsight.evaluation.verdict import verdict as _verdict
from kinsight.settings import Settings
from kinsight.storage.analytical import file_order, open_store


def load_thresholds(path: Path) -> Thresholds:
    """Read a thresholds document (YAML or JSON) as set at design and stored in the governance record."""
    if not path.exists():
        raise NotFoundError(
            f"no thresholds file {path}", hint="Write one as shown in kinsight evaluate --help."
        )
    try:
        raw = read_yaml(path)
        return Thresholds.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as error:
        raise UsageError(
            f"the thresholds file {path.name} is not valid: {error}",
            hint="Each entry needs metric (or gap) and one of at_least / at_most.",
        ) from error


def verdict(metrics: dict[str, Any], thresholds: Thresholds | dict[str, Any]) -> dict[str, Any]:
    """Each threshold met or not, with its evidence (a threshold that cannot be computed is not met)."""
    doc = thresholds if isinstance(thresholds, Thresholds) else Thresholds.model_validate(thresholds)
    return _verdict(metrics, doc)


def _read_predictions(path: Path) -> pl.DataFrame:
    if not path.exists():
        raise NotFoundError(f"no predictions file {path}", hint="Give the path of a CSV file.")
    try:
        return pl.read_csv(path, infer_schema_length=0)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise DataFileError(f"cannot read it as CSV: {error}", location=Location(str(path))) from error


def _column(frame: pl.DataFrame, name: str, role: str) -> pl.Series:
    if name not in frame.columns:
        raise UsageError(
            f"no column '{name}' for the {role}",
            hint=f"Columns present: {', '.join(frame.columns)}",
        )
    return frame[name]


def _numbers(series: pl.Series, role: str) -> np.ndarray:
    values = series.cast(pl.String).str.strip_chars()
    lowered = values.str.to_lowercase()
    values = pl.select(
        pl.when(lowered.is_in(["true", "yes"]))
        .then(pl.lit("1"))
        .when(lowered.is_in(["false", "no"]))
        .then(pl.lit("0"))
        .otherwise(values)
    ).to_series()
    numbers = values.cast(pl.Float64, strict=False)
    bad = numbers.is_null() & values.is_not_null() & (values != "")
    if bad.any():
        first = int(bad.arg_true()[0]) + 1
        raise DataFileError(
            f"the {role} is not a number", location=Location("predictions", row=first, field=series.name)
        )
    if numbers.is_null().any():
        first = int(numbers.is_null().arg_true()[0]) + 1
        raise DataFileError(
            f"the {role} is blank",
            location=Location("predictions", row=first, field=series.name),
            hint="Drop rows whose outcome or score is not known before evaluating.",
        )
    return numbers.to_numpy()


def evaluate_frame(
    frame: pl.DataFrame,
    *,
    outcome: str,
    score: str | None = None,
    label: str | None = None,
    threshold: float = 0.5,
    groups: list[str] | None = None,
    baseline: str | None = None,
    min_group_size: int = 10,
    resamples: int = 1000,
    seed: int = 0,
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """Evaluate predictions held in a frame; see :func:`evaluate_predictions`."""
    if (score is None) == (label is None):
        raise UsageError(
            "give either --score or --label", hint="--score for a probability, --label for yes/no."
        )
    if not 0.0 <= threshold <= 1.0:
        raise UsageError("the threshold must be between 0 and 1")
    if resamples < 0:
        raise UsageError("the number of bootstrap resamples cannot be negative")
    y = _numbers(_column(frame, outcome, "outcome"), "outcome")
    kwargs: dict[str, Any] = {}
    if score is not None:
        kwargs["score"] = _numbers(_column(frame, score, "score"), "score")
        if (kwargs["score"] < 0).any() or (kwargs["score"] > 1).any():
            raise UsageError(
                "scores must lie between 0 and 1", hint="Give the model's probability of the outcome."
            )
    else:
        kwargs["label"] = _numbers(_column(frame, label or "", "label"), "label")
    group_values = {g: _column(frame, g, "group").to_list() for g in groups or []}
    base = _numbers(_column(frame, baseline, "baseline"), "baseline") if baseline else None
    options = EvaluationOptions(
        threshold=threshold,
        min_group_size=min_group_size,
        bootstrap=BootstrapSettings(resamples=resamples, seed=seed),
    )
    result = evaluate(y, groups=group_values or None, baseline=base, options=options, **kwargs)
    result["plain_words"] = {
        "overall": summary(result["overall"]),  # type: ignore[arg-type]
        "by_group": {k: summary(b) for k, b in (result.get("by_group") or {}).items()},  # type: ignore[union-attr]
    }
    if thresholds is not None:
        result["verdict"] = verdict(result, thresholds)
    result["advisory"] = (
        "These figures describe a model's outputs. Any use of a model is advisory: a professional decides, "
        "and records their own reasons."
    )
    return result


def evaluate_predictions(
    path: Path,
    *,
    outcome: str,
    score: str | None = None,
    label: str | None = None,
    threshold: float = 0.5,
    groups: list[str] | None = None,
    baseline: str | None = None,
    min_group_size: int = 10,
    resamples: int = 1000,
    seed: int = 0,
    thresholds_path: Path | None = None,
) -> dict[str, Any]:
    """Evaluate a predictions CSV (one row per child: outcome, score or label, group columns)."""
    frame = _read_predictions(path)
    thresholds = load_thresholds(thresholds_path) if thresholds_path else None
    result = evaluate_frame(
        frame,
        outcome=outcome,
        score=score,
        label=label,
        threshold=threshold,
        groups=groups,
        baseline=baseline,
        min_group_size=min_group_size,
        resamples=resamples,
        seed=seed,
        thresholds=thresholds,
    )
    result["source"] = str(path)
    return result


def evaluate_model(
    model: Any,
    features: pl.DataFrame,
    outcome: np.ndarray,
    *,
    groups: dict[str, list[object]] | None = None,
    threshold: float = 0.5,
    min_group_size: int = 10,
    resamples: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Evaluate any scikit-learn-compatible classifier (``predict_proba``) on held-out data."""
    if not hasattr(model, "predict_proba"):
        raise UsageError(
            "the model has no predict_proba", hint="Give a fitted scikit-learn-compatible classifier."
        )
    scores = np.asarray(model.predict_proba(features.to_pandas()))[:, 1]
    frame = pl.DataFrame({"__outcome": outcome, "__score": scores, **(groups or {})})
    return evaluate_frame(
        frame,
        outcome="__outcome",
        score="__score",
        threshold=threshold,
        groups=list(groups or {}),
        min_group_size=min_group_size,
        resamples=resamples,
        seed=seed,
    )


# --- the demonstration model -------------------------------------------------------------------------

DEMO_NOTICE = (
    "Demonstration only. This model runs on the synthetic authority to show Kinsight's safeguards working "
    "(per-group accuracy, suppression, explanations, thresholds, human oversight). It is not a "
    "recommendation "
    "to predict anything about children and must never be run on real children's data."
)


def _demo_dir(settings: Settings) -> Path:
    return settings.home / "models" / "demo"


def model_demo(
    settings: Settings, *, seed: int = 0, resamples: int = 1000, pdf: bool = True
) -> dict[str, Any]:
    """Train the demonstration model on the store's 903 episodes, evaluate it per group, write a report."""
    with open_store(settings.store_path, read_only=True) as con:
        present = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        missing = {"ssda903_episodes", "ssda903_header"} - present
        if missing:
            raise NotFoundError(
                f"the store has no {', '.join(sorted(missing))}",
                hint="Load synthetic data first: kinsight synth demo-data, then kinsight ingest demo-data.",
            )
        episodes = con.sql("select * from ssda903_episodes" + file_order(con, "ssda903_episodes")).pl()
        header = con.sql("select * from ssda903_header" + file_order(con, "ssda903_header")).pl()
    config = demo_config()
    frame = placements(episodes, header, config)
    split = split_by_time(frame, config.test_share)
    model = train(split.train, seed=seed)
    test = split.test.with_columns(pl.Series("score", scores(model, split.test)))
    test, _ = attach(test, dataset="ssda903", on=date.today())
    groups = [f"pc_{g}" for g in config.groups if f"pc_{g}" in test.columns]
    thresholds = Thresholds.model_validate(config.thresholds)
    predictions = test.select(
        "CHILD", "start", "outcome", "score", *[pl.col(g).alias(g.removeprefix("pc_")) for g in groups]
    )
    result = evaluate_frame(
        predictions,
        outcome="outcome",
        score="score",
        threshold=0.5,
        groups=[g.removeprefix("pc_") for g in groups[:1]] if groups else None,
        resamples=resamples,
        seed=seed,
        thresholds=thresholds,
    )
    for extra in [g.removeprefix("pc_") for g in groups[1:]]:
        result.setdefault("also_by", {})[extra] = evaluate_frame(
            predictions, outcome="outcome", score="score", groups=[extra], resamples=0
        )["by_group"]
    out = _demo_dir(settings)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "model.pkl").open("wb") as handle:
        pickle.dump(model, handle)
    test.write_parquet(out / "test_placements.parquet")
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    predictions.write_csv(settings.reports_dir / "demo_model_predictions.csv")
    written = write_report(
        result,
        settings.reports_dir,
        name="demo_model_evaluation",
        title="Demonstration model: unplanned placement endings within six months",
        notice=DEMO_NOTICE,
        pdf=pdf,
    )
    return {
        "notice": DEMO_NOTICE,
        "placements": frame.height,
        "with_known_outcome": split.train.height + split.test.height,
        "train": split.train.height,
        "test": split.test.height,
        "test_from": split.cutoff,
        "outcome_rate_test": float(split.test["outcome"].mean() or 0.0),
        "evaluation": result,
        "files": {"predictions": str(settings.reports_dir / "demo_model_predictions.csv"), **written},
    }


def model_explain(
    settings: Settings, *, child: str | None = None, limit: int = 5, top: int = 3, show_score: bool = False
) -> dict[str, Any]:
    """The factors behind the demonstration model's outputs, in plain words; the score only if asked."""
    out = _demo_dir(settings)
    if not (out / "model.pkl").exists():
        raise NotFoundError("the demonstration model has not been trained", hint="Run: kinsight model demo")
    with (out / "model.pkl").open("rb") as handle:
        model = pickle.load(handle)  # noqa: S301 - written by model_demo in the user's own home
    test = pl.read_parquet(out / "test_placements.parquet")
    if child is not None:
        test = test.filter(pl.col("CHILD") == child)
        if test.height == 0:
            raise NotFoundError(f"no test placement for child {child}")
    test = test.sort(["CHILD", "start"]).head(limit)
    rows = explain_rows(model, feature_matrix(test), demo_config().features, top=top, show_score=show_score)
    return {
        "notice": DEMO_NOTICE,
        "score_shown": show_score,
        "outputs": [
            {"child": c, "placement_start": s, **r}
            for c, s, r in zip(test["CHILD"].to_list(), test["start"].to_list(), rows, strict=True)
        ],
    }
