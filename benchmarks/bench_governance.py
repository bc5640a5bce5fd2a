"""Governance benchmarks: gate checks, status of a long-lived project, ATRS export, PDF packs.

A long-lived project is simulated with many answer versions, risks and evidence records, as a tool
kept under review for years would accumulate; every figure is measured in a fresh interpreter.
"""

from __future__ import annotations

import shutil
import textwrap

from benchmarks.common import DATA_DIR, Result, run_in_process

SETUP = """
import time, tempfile, pathlib
from kinsight.services import governance as svc
from kinsight.settings import Settings
root = pathlib.Path({root!r})
settings = Settings(home=root / "home", database_url=f"sqlite:///{{root / 'app.db'}}")
actor = svc.Actor("bench", svc.LOCAL_OPERATOR)
svc.create_project(settings, actor, "bench", title="Benchmark tool")
svc.answer(settings, actor, "bench", "project_profile", {{"summary": "s", "problem": "p", "owner": "o",
    "analytics_type": "predictive", "datasets": ["ssda903", "cin_census"], "automatic_referral": False}})
for i in range({versions}):
    svc.answer(settings, actor, "bench", "ethics_workbook", {{"q01_problem_and_benefit": f"answer {{i}}"}})
for i in range({risks}):
    svc.answer(settings, actor, "bench", "risk_log", {{"risks": [{{"ref": f"R{{i}}", "description": "d",
        "category": "data", "likelihood": "possible", "severity": "severe", "status": "open"}}]}})
for i in range({evidence}):
    svc.record_evidence(settings, actor, "bench", kind="data_quality", subject="ssda903",
                        payload={{"dataset": "ssda903", "score": 90 + i % 10}})
"""

STATUS = """
start = time.perf_counter()
for _ in range(10):
    svc.status(settings, actor, "bench")
print((time.perf_counter() - start) / 10)
"""

ATRS_COLD = """
start = time.perf_counter()
out = svc.export(settings, actor, "bench", "atrs-json")
assert out["valid"], out["schema_errors"]
print(time.perf_counter() - start)
"""

ATRS_WARM = """
svc.export(settings, actor, "bench", "atrs-json")
start = time.perf_counter()
for _ in range(5):
    svc.export(settings, actor, "bench", "atrs-json")
print((time.perf_counter() - start) / 5)
"""

PDF = """
svc.export(settings, actor, "bench", "dpia-annex")  # warm the template cache
start = time.perf_counter()
svc.export(settings, actor, "bench", "dpia-annex-pdf")
print(time.perf_counter() - start)
"""

GATE = """
import dataclasses
from kinsight.governance.gates import evaluate_gate
from kinsight.storage import governance_repo as repo
with svc._session(settings) as session:
    record = repo.load_record(session, repo.get_project(session, "bench"))
instruments = svc._instruments(settings)
for stage in svc.Stage:
    evaluate_gate(dataclasses.replace(record, stage=stage), instruments)
start = time.perf_counter()
for _ in range(200):
    for stage in svc.Stage:
        evaluate_gate(dataclasses.replace(record, stage=stage), instruments)
print((time.perf_counter() - start) / 2000)
"""


def _code(step: str, name: str, size: dict[str, int]) -> str:
    root = DATA_DIR / "governance" / name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    return textwrap.dedent(SETUP).format(root=str(root), **size) + textwrap.dedent(step)


def run(quick: bool) -> list[Result]:
    size = (
        {"versions": 20, "risks": 10, "evidence": 20}
        if quick
        else {"versions": 300, "risks": 100, "evidence": 300}
    )
    note = f"{size['versions']} answer versions, {size['risks']} risks, {size['evidence']} evidence records"
    results = []
    seconds, peak = run_in_process(_code(STATUS, "status", size))
    results.append(Result("governance: project status (gate + evidence)", seconds, 0.5, peak, 400, note))
    seconds, peak = run_in_process(_code(GATE, "gate", size))
    results.append(Result("governance: evaluate one gate (in memory)", seconds, 0.005, peak, 400, note))
    seconds, peak = run_in_process(_code(ATRS_COLD, "atrs", size))
    results.append(
        Result(
            "governance: ATRS JSON export, first in a process",
            seconds,
            5.0,
            peak,
            400,
            "includes importing the catalogue service and jsonschema",
        )
    )
    seconds, peak = run_in_process(_code(ATRS_WARM, "atrs", size))
    results.append(Result("governance: ATRS JSON export + schema check", seconds, 0.5, peak, 400, note))
    seconds, peak = run_in_process(_code(PDF, "pdf", size))
    results.append(Result("governance: DPIA annex PDF (WeasyPrint)", seconds, 15.0, peak, 600, note))
    return results
