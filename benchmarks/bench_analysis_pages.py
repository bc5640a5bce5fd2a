"""Analysis pages: first view (computes and caches) and cached views of indicators and forecast.

A synthetic authority (300 children quick, 1,000 full; three years) is generated and ingested into
``benchmarks/.data/analysis-pages-<n>``.  The first view of /indicators and /forecast works the
results out once per store version; later views read the cache.  Targets: cached page views under
0.15 s at the 95th percentile; first views under 15 s.
"""

from __future__ import annotations

import re
import shutil
import statistics
import time
import warnings

from benchmarks.common import DATA_DIR, Result

PAGES = ["/indicators", "/indicators/cla_by_age_band", "/forecast?months=24", "/quality", "/evaluation"]


def _home(children: int):  # type: ignore[no-untyped-def]
    from kinsight.services import accounts, ingest, synth
    from kinsight.settings import Settings

    root = DATA_DIR / f"analysis-pages-{children}"
    settings = Settings(home=root / "home", secret_key="bench-" + "a" * 40)
    if not settings.store_path.exists():
        shutil.rmtree(root, ignore_errors=True)
        synth.generate(root / "data", children=children, years="2023-2025", seed=1)
        settings.home.mkdir(parents=True)
        ingest.ingest(settings, [root / "data" / "ssda903", root / "data" / "cin_census"])
    shutil.rmtree(settings.home / "cache", ignore_errors=True)
    accounts.prepare_database(settings)
    accounts.ensure_demo_accounts(settings)
    return settings


def run(quick: bool) -> list[Result]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from kinsight.web import create_app

    children = 300 if quick else 1000
    settings = _home(children)
    client = TestClient(create_app(settings))
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    client.post(
        "/sign-in",
        data={
            "username": "demo-analyst",
            "password": "analyst-demo-only-pass",
            "csrf_token": token,
            "next": "/",
        },
    )
    results = []
    for path in ("/indicators", "/forecast?months=24"):
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        results.append(
            Result(
                f"analysis pages: first view {path.split('?')[0]} ({children} children)",
                time.perf_counter() - started,
                15.0,
                note="computes and caches",
            )
        )
    for path in PAGES:  # /quality and /evaluation too: a cached view is a second view
        assert client.get(path).status_code == 200
    times = []
    for _ in range(5 if quick else 20):
        for path in PAGES:
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append(time.perf_counter() - started)
    p95 = statistics.quantiles(times, n=20)[-1]
    results.append(
        Result(
            f"analysis pages: cached view p95 ({len(times)} views)",
            p95,
            0.15,
            note=f"median {statistics.median(times) * 1000:.0f} ms",
        )
    )
    client.close()
    return results
