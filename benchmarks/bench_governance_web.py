"""Governance pages benchmark: a project page with its gate, a refused advance, and a saved form.

Runs the real app in-process (TestClient) in a fresh interpreter on a home under benchmarks/.data,
with a project whose risk log holds many risks and whose history holds many answer versions, then
times the median of repeated requests.  Targets: each page or form under 0.3 s.
"""

from __future__ import annotations

import shutil

from benchmarks.common import DATA_DIR, Result, run_in_process

STEP = """
import re, statistics, time, warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient
from kinsight.settings import Settings
from kinsight.services import accounts, governance as svc
from kinsight.web import create_app
settings = Settings(home={home!r}, secret_key="bench-" + "g" * 40)
accounts.prepare_database(settings)
accounts.ensure_demo_accounts(settings)
op = svc.Actor("bench", svc.LOCAL_OPERATOR)
svc.create_project(settings, op, "bench")
risks = [dict(ref=f"R{{i}}", description="d", category="data", likelihood="possible", severity="severe",
              status="open") for i in range({risks})]
svc.answer(settings, op, "bench", "risk_log", {{"risks": risks}})
for i in range({versions}):
    profile = {{"summary": f"s{{i}}", "problem": "p", "owner": "o"}}
    svc.answer(settings, op, "bench", "project_profile", profile)
app = create_app(settings)
c = TestClient(app)
token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/sign-in").text).group(1)
c.post("/sign-in", data={{"username": "demo-analyst", "password": "analyst-demo-only-pass",
       "csrf_token": token, "next": "/"}})
token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/challenge").text).group(1)
def timed(call):
    call()
    runs = []
    for _ in range({repeat}):
        start = time.perf_counter(); response = call(); runs.append(time.perf_counter() - start)
        assert response.status_code < 500, response.status_code
    return statistics.median(runs)
step = {step!r}
if step == "page":
    seconds = timed(lambda: c.get("/projects/bench"))
elif step == "refused":
    seconds = timed(lambda: c.post("/projects/bench/advance", data={{"csrf_token": token}}))
elif step == "risks":
    seconds = timed(lambda: c.get("/projects/bench/risks"))
else:
    seconds = timed(lambda: c.post("/projects/bench/instruments/user_needs",
                    data={{"csrf_token": token, "q-engagement": "x"}}))
print(seconds)
"""


def run(quick: bool) -> list[Result]:
    risks, versions, repeat = (20, 5, 5) if quick else (300, 50, 15)
    results = []
    labels = {
        "page": "project page with its gate",
        "refused": "refused advance naming unmet conditions",
        "risks": f"risk log page ({risks} risks)",
        "form": "instrument form sent back with errors",
    }
    for step, label in labels.items():
        home = DATA_DIR / f"governance-web-{step}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        code = STEP.format(home=str(home), risks=risks, versions=versions, repeat=repeat, step=step)
        seconds, peak = run_in_process(code)
        results.append(
            Result(
                f"governance web: {label}",
                seconds,
                target_seconds=0.3,
                peak_mb=peak,
                note=f"median of {repeat}, {versions} answer versions",
            )
        )
    return results
