"""Shadow-report benchmark: 100,000 children compared by sex, ethnicity and age band and their intersections.

Three columns give 2 x 6 x 5 = 60 intersections; model, decisions and agreement are each evaluated with
1,000 bootstrap resamples, then the HTML report (with its chart) is rendered.
"""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.measure import START_CLOCKS, STOP_CLOCKS, measure

SETUP = """
import numpy as np
from kinsight.evaluation.bootstrap import BootstrapSettings
from kinsight.evaluation.shadow import compare_shadow_groups
from kinsight.evaluation.shadow_report import render_shadow_html
rng = np.random.default_rng(1)
n = {n}
y = (rng.random(n) < 0.2).astype(int)
score = np.clip(rng.normal(0.3 + 0.3 * y, 0.2), 0, 1)
acted = ((0.4 * y + 0.6 * rng.random(n)) > 0.55).astype(int)
groups = {{
    "sex": rng.choice(["female", "male"], n),
    "ethnicity": rng.choice(["White", "Mixed", "Asian", "Black", "Other", "Not known"], n),
    "age_band": rng.choice(["0-4", "5-9", "10-15", "16-17", "18+"], n),
}}
"""

REPORT = """
result = compare_shadow_groups(
    score, acted, y, groups, threshold=0.5, min_group_size=10,
    bootstrap=BootstrapSettings(resamples={resamples}, seed=0),
)
"""

HTML = """
html = render_shadow_html(
    {**result, "model": "m", "version": "1", "mode": "shadow", "run": 1, "source": "bench",
     "threshold": 0.5, "scored": n, "compared": n, "outputs_shown_to_decision_makers": False,
     "notice": "bench", "plain_words": []},
    title="bench",
)
"""


def run(quick: bool) -> list[Result]:
    n, resamples = (10_000, 100) if quick else (100_000, 1000)
    repeat = 1 if quick else 2
    setup = SETUP.format(n=n)
    report = REPORT.format(resamples=resamples)
    compare = measure(setup + START_CLOCKS + report + STOP_CLOCKS, repeat)
    unsampled = REPORT.format(resamples=0)  # the HTML step needs a result, not its intervals' cost
    rendered = measure(setup + unsampled + START_CLOCKS + HTML + STOP_CLOCKS, repeat)
    return [
        Result(
            name=f"shadow report {n:,} children, 3 group columns + 60 intersections, {resamples} resamples",
            seconds=compare.wall,
            target_seconds=30.0,
            peak_mb=compare.peak_mb,
            target_mb=1500.0,
            note=f"model, decisions and agreement per group with intervals; {compare.note(repeat)}",
        ),
        Result(
            name="shadow report HTML with chart (60 intersections)",
            seconds=rendered.wall,
            target_seconds=5.0,
            peak_mb=rendered.peak_mb,
            note=f"Jinja + Altair/vl-convert SVG; {rendered.note(repeat)}",
        ),
    ]
