"""Practitioner view: search p95 over a national-scale pool (400,000 children) and the child page.

The pool is generated here with numpy (names from the synthetic generator's word lists, so the many
shared surnames of a real population are present) and written to a DuckDB store under
benchmarks/.data/, with care episodes for every child so the timeline query has national-size
tables to search.  The child page is timed as the store work it does: open the store read-only, the
timeline, sources and family links (audit writes are the platform's and are timed there).
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import yaml

import kinsight.synth as synth_pkg
from benchmarks.common import DATA_DIR, Result
from kinsight.practitioner.coverage import held_sources, service_contacts, source_coverage
from kinsight.practitioner.family import family_links
from kinsight.practitioner.index import build_index, people_frame
from kinsight.practitioner.query import parse_query
from kinsight.practitioner.ranking import rank
from kinsight.practitioner.timeline import store_tables, timeline
from kinsight.storage.analytical import open_store
from kinsight.storage.practitioner_store import read_store


def _people(n: int, seed: int = 5) -> pl.DataFrame:
    names = yaml.safe_load((Path(synth_pkg.__file__).parent / "names.yaml").read_text(encoding="utf-8"))
    rng = np.random.default_rng(seed)
    fore = np.array(names["forenames_male"] + names["forenames_female"], dtype=object)
    sur = np.array(names["surnames"], dtype=object)
    households = n * 2 // 3
    h = rng.integers(0, households, n)
    dob0 = date(2004, 1, 1)
    days = rng.integers(0, 7300, n)
    return pl.DataFrame(
        {
            "CHILD": [f"N{i:08d}" for i in range(n)],
            "FORENAME": fore[rng.integers(0, fore.size, n)],
            "SURNAME": sur[rng.integers(0, sur.size, households)][h],
            "DOB": [dob0 + timedelta(days=int(d)) for d in days],
            "ADDRESS": [f"{x % 180 + 1} Street {x}" for x in h],
            "POSTCODE": [f"ZZ{x % 19 + 1} {x % 10}AB" for x in h],
            "MOTHER_CHILD": [None] * n,
            "SIBLING_GROUP": [None] * n,
            "HOUSEHOLD": [f"HH{x}" for x in h],
            "collection_year": ["2024-25"] * n,
            "_row": np.arange(1, n + 1),
        }
    )


def _store(n: int) -> Path:
    path = DATA_DIR / f"practitioner_{n}.duckdb"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    people = _people(n)
    rng = np.random.default_rng(9)
    episodes_per = rng.integers(1, 6, n)
    child = np.repeat(people.get_column("CHILD").to_numpy(), episodes_per)
    start = np.datetime64("2015-01-01") + rng.integers(0, 3600, child.size).astype("timedelta64[D]")
    episodes = pl.DataFrame(
        {
            "CHILD": child,
            "DECOM": start,
            "RNE": rng.choice(["S", "P", "L"], child.size),
            "LS": rng.choice(["C2", "V2", "E1"], child.size),
            "CIN": rng.choice(["N1", "N4"], child.size),
            "PLACE": rng.choice(["U4", "U6", "K2"], child.size),
            "DEC": start + rng.integers(10, 400, child.size).astype("timedelta64[D]"),
            "REC": rng.choice(["E41", "X1", "E11"], child.size),
            "collection_year": rng.choice(["2022-23", "2023-24", "2024-25"], child.size),
            "_row": np.arange(1, child.size + 1),
        }
    ).with_columns(pl.col("DECOM").cast(pl.Date), pl.col("DEC").cast(pl.Date))
    with open_store(path) as con:
        con.register("people_frame", people)
        con.execute("CREATE TABLE identities_people AS SELECT * FROM people_frame ORDER BY CHILD")
        con.register("episodes_frame", episodes)
        con.execute("CREATE TABLE ssda903_episodes AS SELECT * FROM episodes_frame ORDER BY CHILD, DECOM")
        con.execute(
            """INSERT INTO _files VALUES
               (1, 'ssda903', 'episodes', '2024-25', 'e.csv', 'x', 1, now(), 'loaded'),
               (1, 'identities', 'people', '2024-25', 'p.csv', 'y', 1, now(), 'loaded')"""
        )
    return path


def _queries(people: pl.DataFrame, count: int) -> list[str]:
    found = []
    for i, r in enumerate(people.sample(count, seed=4).to_dicts()):
        dob = r["DOB"]
        sur = r["SURNAME"]
        typo = sur[0] + sur[2] + sur[1] + sur[3:] if len(sur) > 3 else sur
        forms = [
            f"{r['FORENAME']} {typo} {dob:%d/%m/%Y}",
            f"{r['FORENAME']} {sur} {dob.year}",
            f"{sur} {r['POSTCODE']}",
            f"{r['FORENAME'][:3]} {sur}",
            r["CHILD"],
        ]
        found.append(forms[i % len(forms)])
    return found


def _p95(values: list[float]) -> float:
    return float(np.percentile(np.array(values), 95))


def run(quick: bool) -> list[Result]:
    n = 40_000 if quick else 400_000
    path = _store(n)
    with open_store(path, read_only=True) as con:
        t0 = time.perf_counter()
        frame = people_frame(con)
        index = build_index(frame)
        built = time.perf_counter() - t0
    queries = _queries(frame, 100 if quick else 300)
    times = []
    for text in queries:
        t = time.perf_counter()
        rank(index, parse_query(text), limit=10, min_score=25)
        times.append(time.perf_counter() - t)
    children = [str(c) for c in frame.sample(30 if quick else 60, seed=8).get_column("CHILD").to_list()]
    # the store work of a child page as the service does it: the store attached read-only to the
    # process's DuckDB instance for the request, table list and sources read once per store version
    with read_store(path) as con:
        tables, held = store_tables(con), held_sources(con)
    page_times = []
    for child in children:
        t = time.perf_counter()
        with read_store(path) as con:
            events = timeline(con, child, lambda cls: True, tables=tables)
        source_coverage(held, events, in_identities=True)
        service_contacts(events)
        family_links(index, index.row_of[child])
        page_times.append(time.perf_counter() - t)
    web_times = _web_page_times(path, children)
    return [
        Result(
            f"practitioner: build search index ({n:,} children)",
            built,
            None,
            None,
            None,
            "once per store version",
        ),
        Result(
            f"practitioner: search p95 ({n:,} children)",
            _p95(times),
            0.2,
            note=f"median {np.median(times) * 1000:.1f} ms over {len(times)} queries",
        ),
        Result(
            f"practitioner: child page p95 ({n:,} children)",
            _p95(page_times[1:]),
            0.15,
            note=f"median {np.median(page_times[1:]) * 1000:.1f} ms; attach, timeline, sources, family",
        ),
        Result(
            f"practitioner: child page over HTTP p95 ({n:,} children)",
            _p95(web_times[1:]),
            0.15,
            note=f"median {np.median(web_times[1:]) * 1000:.1f} ms; GET /children/ID incl. 3 audit writes",
        ),
    ]


def _web_page_times(store: Path, children: list[str]) -> list[float]:
    """GET /children/ID through the whole app (session, permission, audit, page), as a user sees it."""
    import shutil
    import warnings

    from kinsight.services import accounts
    from kinsight.services import practitioner as svc
    from kinsight.settings import Settings
    from kinsight.web import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    home = DATA_DIR / f"practitioner_home_{store.stem}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    (home / "store.duckdb").symlink_to(store.resolve())
    settings = Settings(home=home, secret_key="bench-" + "b" * 40)
    password = "bench lantern orbit 42"
    app = create_app(settings)
    accounts.create_user(settings, "bench-manager", role="team_manager", password=password)
    accounts.create_user(settings, "bench-worker", role="practitioner", password=password)
    manager = svc.principal_named(settings, "bench-manager")
    for child in children:
        svc.assign_caseload(settings, manager, child, "bench-worker")
    times = []
    with TestClient(app) as client:
        form = client.get("/sign-in").text
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        client.post(
            "/sign-in",
            data={"username": "bench-worker", "password": password, "csrf_token": token, "next": "/"},
        )
        for child in children:
            t = time.perf_counter()
            answer = client.get(f"/children/{child}")
            times.append(time.perf_counter() - t)
            assert answer.status_code == 200, answer.status_code
    return times
