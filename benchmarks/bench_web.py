"""Web platform benchmark: 20 signed-in users browsing concurrently on loopback.

Serves the real app with uvicorn on 127.0.0.1 in a child process (its own interpreter and GIL, as in
production), signs in 20 users with httpx async clients, and has each browse the site's pages in a
bounded loop for 5 minutes (``--quick``: 20 s).  Targets: zero errors, p95 page time under 150 ms.

The pages show a synthetic authority of 2,000 children: the first run generates its returns and
ingests them into ``benchmarks/.data/web-home`` (kept for later runs).  Failed requests are counted
by kind (HTTP status or exception name, with the path) and printed, and the percentiles are reported
whatever happened, so a run with errors still says how fast the rest was.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.common import DATA_DIR, Result

USERS = 20
CHILDREN = 2000
YEARS = "2021-2025"
WORKERS = int(os.environ.get("KINSIGHT_BENCH_WEB_WORKERS", "2"))
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
SECRET = "bench-" + "z" * 40

# The users are made before the server starts (their own process), then `kinsight serve` is run
# exactly as an installation would run it, with its --workers option.
PREPARE = """
import sys
from kinsight.settings import Settings
from kinsight.services import accounts
settings = Settings(home=sys.argv[1], secret_key=sys.argv[3])
accounts.prepare_database(settings)
have = {u.username for u in accounts.list_users(settings)}
for i in range(int(sys.argv[2])):
    name = f"bench-user-{i:02d}"
    if name not in have:
        accounts.create_user(settings, name, role="team_manager", password="bench long passphrase " + str(i))
"""

AUTHORITY = """
import sys
from pathlib import Path
from kinsight.settings import Settings
from kinsight.services import ingest, synth
home, out, children, years = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
if not (out / "faults.json").exists():
    synth.generate(out, children=children, years=years, seed=2024)
paths = [out / "ssda903", out / "cin_census", out / "identities"]
ingest.ingest(Settings(home=home, secret_key=sys.argv[5]), paths)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parent.parent / "src")
    return {**os.environ, "PYTHONPATH": src, "KINSIGHT_SECRET_KEY": SECRET}


def _prepare(home: Path) -> None:
    """The synthetic authority (once) and the bench users, made outside the measured server."""
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "store.duckdb").exists():
        out = DATA_DIR / f"web-synth-{CHILDREN}"
        subprocess.run(
            [sys.executable, "-c", AUTHORITY, str(home), str(out), str(CHILDREN), YEARS, SECRET],
            env=_env(),
            check=True,
        )
    subprocess.run([sys.executable, "-c", PREPARE, str(home), str(USERS), SECRET], env=_env(), check=True)


def _kind(error: BaseException) -> str:
    return type(error).__name__


Times = list[tuple[str, float]]


async def _user(base: str, i: int, seconds: float, times: Times, errors: Counter[str]) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True) as client:
        try:
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
        except (httpx.HTTPError, AttributeError) as error:
            errors[f"sign-in: {_kind(error)}"] += 1
            return
        if signed.status_code != 200 or "Sign in to Kinsight" in signed.text:
            errors[f"sign-in: HTTP {signed.status_code}"] += 1
            return
        n = i
        until = time.perf_counter() + seconds  # the browsing window starts once this user is signed in
        while time.perf_counter() < until:
            path = PAGES[n % len(PAGES)]
            n += 1
            start = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as error:
                times.append((path, time.perf_counter() - start))
                errors[f"{path}: {_kind(error)}"] += 1
                continue
            times.append((path, time.perf_counter() - start))
            if response.status_code != 200:
                errors[f"{path}: HTTP {response.status_code}"] += 1
            await asyncio.sleep(0.05)  # a person (or a script) between clicks


def _browse(base: str, seconds: float) -> tuple[Times, Counter[str]]:
    times: Times = []
    errors: Counter[str] = Counter()

    async def main() -> None:
        await asyncio.gather(*(_user(base, i, seconds, times, errors) for i in range(USERS)))

    asyncio.run(main())
    return times, errors


def _percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values (inf when there are none)."""
    if not ordered:
        return float("inf")
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def _server_exceptions(path: Path) -> Counter[str]:
    """Exception names that ended tracebacks in the server's log (the causes behind HTTP 500s)."""
    found: Counter[str] = Counter()
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback") or not re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Timeout)\b", line):
            continue
        if i + 1 < len(lines) and lines[i + 1].startswith(("The above", "During handling")):
            continue  # a cause, chained into a later exception
        found[line.split(":", 1)[0]] += 1
    return found


def _cpu_seconds(root: int) -> float:
    """User + system CPU seconds of the server process and its direct children (the uvicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if root in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def run(quick: bool) -> list[Result]:
    seconds = 20.0 if quick else 300.0
    home = DATA_DIR / "web-home"
    _prepare(home)
    port = _free_port()
    cmd = [
        sys.executable, "-m", "kinsight.cli.main", "serve", "--home", str(home), "--port", str(port),
        "--workers", str(WORKERS),
    ]  # fmt: skip
    log_path = DATA_DIR / "web-server.log"
    server_log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=server_log, env=_env())
    try:
        import httpx

        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"`kinsight serve` exited with code {proc.returncode} before serving")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        load_before, cpu_before = _load(), _cpu_seconds(proc.pid)
        times, errors = _browse(f"http://127.0.0.1:{port}", seconds)
        load_after, cpu_used = _load(), _cpu_seconds(proc.pid) - cpu_before
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        server_log.close()
    for name, count in _server_exceptions(log_path).most_common():
        print(f"  server log ({log_path.name}): {count} x {name}", file=sys.stderr)
    for path in PAGES:
        own = sorted(t for p, t in times if p == path)
        print(
            f"  {path:<22} n={len(own):<6} p50 {_percentile(own, 0.5) * 1000:7.1f} ms  "
            f"p95 {_percentile(own, 0.95) * 1000:7.1f} ms",
            file=sys.stderr,
        )
    ordered = sorted(t for _, t in times)
    p50, p95 = _percentile(ordered, 0.50), _percentile(ordered, 0.95)
    n_errors = sum(errors.values())
    for kind, count in sorted(errors.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  web error: {count} x {kind}", file=sys.stderr)
    kinds = "; ".join(f"{count} x {kind}" for kind, count in errors.most_common(3))
    note = (
        f"{len(ordered)} requests, {n_errors} errors{' (' + kinds + ')' if kinds else ''}, "
        f"p50 {p50 * 1000:.0f} ms, server CPU {cpu_used * 1000 / max(1, len(ordered)):.1f} ms/request, "
        f"{USERS} users, {seconds:.0f} s, {WORKERS} workers, "
        f"{load_before} before, {load_after} after"
    )
    # p95 is reported even with errors; the error count is a target of its own (zero).
    return [
        Result("web: p95 page time, 20 signed-in users", p95, 0.150, note=note),
        Result("web: failed requests (target 0)", float(n_errors), 0.0, note=kinds or "none"),
    ]
