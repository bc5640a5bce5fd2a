"""Web platform benchmark: 20 signed-in users browsing concurrently on loopback.

Serves the real app with uvicorn on 127.0.0.1 in a child process (its own interpreter and GIL, as in
production), signs in 20 demo users with httpx async clients, and has each browse the site's pages in a
bounded loop for 5 minutes (``--quick``: 20 s).  Targets: zero errors, p95 page time under 150 ms.
If a synthetic authority has been ingested into benchmarks/.data/web-home the pages show its data;
otherwise they show what exists.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import DATA_DIR, Result

USERS = 20
PAGES = [
    "/",
    "/catalogue",
    "/dictionary",
    "/dictionary/ssda903",
    "/challenges",
    "/roles",
    "/account",
    "/api/v1/me",
    "/api/v1/catalogue",
]
SERVER = (
    """
import sys, uvicorn
from kinsight.settings import Settings
from kinsight.services import accounts
from kinsight.web import create_app
settings = Settings(home=sys.argv[1], secret_key="bench-" + "z" * 40)
app = create_app(settings)
for i in range(int(sys.argv[3])):
    name = f"bench-user-{i:02d}"
    if name not in {u.username for u in accounts.list_users(settings)}:
        accounts.create_user(settings, name, role="team_manager", password="bench long passphrase " + str(i))
print("ready", flush=True)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _user(base: str, i: int, until: float, times: list[float], errors: list[str]) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True) as client:
        page = await client.get("/sign-in")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        signed = await client.post(
            "/sign-in",
            data={
                "username": f"bench-user-{i:02d}",
                "csrf_token": token,
                "password": f"bench long passphrase {i}",
            },
        )
        if signed.status_code != 200 or "Sign in to Kinsight" in signed.text:
            errors.append(f"sign-in {i}: {signed.status_code}")
            return
        n = i
        until = time.perf_counter() + until  # the browsing window starts once this user is signed in
        while time.perf_counter() < until:
            path = PAGES[n % len(PAGES)]
            n += 1
            start = time.perf_counter()
            response = await client.get(path)
            times.append(time.perf_counter() - start)
            if response.status_code != 200:
                errors.append(f"{path}: {response.status_code}")
            await asyncio.sleep(0.05)  # a person (or a script) between clicks


def _browse(base: str, seconds: float) -> tuple[list[float], list[str]]:
    times: list[float] = []
    errors: list[str] = []

    async def main() -> None:
        await asyncio.gather(*(_user(base, i, seconds, times, errors) for i in range(USERS)))

    asyncio.run(main())
    return times, errors


def run(quick: bool) -> list[Result]:
    seconds = 20.0 if quick else 300.0
    home = DATA_DIR / "web-home"
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(home), str(port), str(USERS)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()  # "ready"
        import httpx

        for _ in range(100):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        times, errors = _browse(f"http://127.0.0.1:{port}", seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] if times else float("inf")
    p50 = times[len(times) // 2] if times else float("inf")
    note = (f"{len(times)} requests, {len(errors)} errors, p50 {p50 * 1000:.0f} ms, "
            f"{USERS} users, {seconds:.0f} s")
    return [
        Result(
            "web: p95 page time, 20 signed-in users", p95 if not errors else float("inf"), 0.150, note=note
        )
    ]
