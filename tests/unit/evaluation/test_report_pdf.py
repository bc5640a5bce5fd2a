"""The oversight report: the verdict first, then groups with intervals, gaps, calibration, factors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from kinsight.evaluation.report import verdict_words, write_report
from kinsight.evaluation.verdict import Thresholds
from kinsight.services.evaluation import evaluate_frame


def _result(thresholds: dict | None) -> dict:  # type: ignore[type-arg]
    rng = np.random.default_rng(21)
    n = 400
    y = (rng.random(n) < 0.3).astype(int)
    frame = pl.DataFrame(
        {
            "outcome": y,
            "score": np.clip(0.25 * y + 0.75 * rng.random(n), 0, 1),
            "SEX": rng.choice(["F", "M", "U"], n, p=[0.49, 0.49, 0.02]),
        }
    )
    return evaluate_frame(
        frame,
        outcome="outcome",
        score="score",
        groups=["SEX"],
        resamples=60,
        thresholds=Thresholds.model_validate(thresholds) if thresholds else None,
    )


THRESHOLDS = {
    "thresholds": [
        {"metric": "precision", "at_least": 0.65},
        {"metric": "recall", "at_least": 0.01},
        {"gap": "recall", "at_most": 0.99},
    ]
}
EXPLANATIONS = [
    {
        "child": "C0007",
        "placement_start": "2024-05-01",
        "factors": [{"words": "Age at start (15) raises it"}],
    },
]


def test_verdict_sentence_counts_the_thresholds_not_met() -> None:
    result = _result(THRESHOLDS)
    failed = sum(not r["met"] for r in result["verdict"]["results"])
    assert failed >= 1  # precision 0.65 is out of reach of this weak model
    assert verdict_words(result) == f"The model does NOT meet {failed} of the 3 thresholds set at design."
    assert verdict_words(_result(None)).startswith("No thresholds were set at design")


def test_html_puts_the_verdict_first_and_shows_intervals(tmp_path: Path) -> None:
    result = _result(THRESHOLDS)
    written = write_report(
        result,
        tmp_path,
        name="r",
        title="Test model",
        notice="Synthetic.",
        pdf=False,
        explanations=EXPLANATIONS,
    )
    html = Path(written["html"]).read_text(encoding="utf-8")
    order = ["<h2>Verdict", "does NOT meet", "In plain words", "Overall and by group", "Gaps between groups"]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert (
        html.index("Calibration")
        < html.index("What drove individual outputs")
        < html.index("Human oversight")
    )
    female = result["by_group"]["F"]
    low, high = female["ci"]["recall"]
    assert f'{female["recall"]:.0%} <span class="ci">({low:.0%}–{high:.0%})</span>' in html
    assert "Age at start (15) raises it" in html and "Child C0007" in html
    assert result["by_group"]["U"]["suppressed"] and "&lt;10" in html


def test_pdf_renders_with_the_verdict_on_the_first_page(tmp_path: Path) -> None:
    result = _result(THRESHOLDS)
    written = write_report(
        result, tmp_path, name="r", title="Test model", notice="Synthetic.", explanations=EXPLANATIONS
    )
    pdf = Path(written["pdf"]).read_bytes()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", written["pdf"], "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) > 1
    first = " ".join(pages[0].split())
    assert "does NOT meet" in first and first.index("Verdict") < first.index("In plain words")
    assert "Gaps between groups" in text and "Calibration" in text and "Age at start (15) raises it" in text
