"""Fetch the front-end assets Kinsight serves itself: GOV.UK Frontend, htmx, Vega charts and axe-core.

Run once after install (the Makefile does).  Each package is fetched with the ordinary ``npm``
client (``npm pack NAME@VERSION`` into a temporary folder) and the distributed files are unpacked
into ``src/kinsight/web/static/vendor/`` (gitignored).  The web app serves them from there; it never
points a browser at a CDN.  axe-core is kept beside them only for the accessibility tests.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# govuk-frontend-jinja 4.1.0 is verified against GOV.UK Frontend 6.3.0.
GOVUK_FRONTEND = "govuk-frontend@6.3.0"
HTMX = "htmx.org@2.0.4"
AXE_CORE = "axe-core@4.10.2"
# Charts on the analysis pages: Vega-Lite specs drawn by vega-embed (the pages work without them).
# vega-lite matches the schema Altair writes (v6.4.1); vega-embed 7 needs vega 6 and vega-lite 6.
VEGA = "vega@6.2.0"
VEGA_LITE = "vega-lite@6.4.1"
VEGA_EMBED = "vega-embed@7.1.0"

VENDOR = Path(__file__).resolve().parent.parent / "src" / "kinsight" / "web" / "static" / "vendor"


def npm_pack(spec: str, workdir: Path) -> Path:
    """Download one package tarball with the npm client and return its path."""
    proc = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"npm pack {spec} failed:\n{proc.stderr.strip()}")
    name = proc.stdout.strip().splitlines()[-1]
    return workdir / name


def extract(tarball: Path, members: dict[str, str], dest: Path) -> None:
    """Copy the tarball entries (or folders) named as keys to the paths under ``dest`` named as values."""
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
        for source, target in members.items():
            wanted = f"package/{source}"
            matched = [n for n in names if n == wanted or n.startswith(wanted.rstrip("/") + "/")]
            if not matched:
                raise SystemExit(f"{tarball.name} has no {source}")
            for name in matched:
                info = tar.getmember(name)
                if not info.isfile():
                    continue
                relative = name[len(wanted.rstrip("/")) :].lstrip("/")
                out = dest / target / relative if relative else dest / target
                out.parent.mkdir(parents=True, exist_ok=True)
                handle = tar.extractfile(info)
                assert handle is not None
                out.write_bytes(handle.read())


def build(dest: Path = VENDOR) -> None:
    if shutil.which("npm") is None:
        raise SystemExit("npm is not installed: install Node.js and npm, then run this script again.")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        staging = work / "vendor"
        govuk = npm_pack(GOVUK_FRONTEND, work)
        extract(
            govuk,
            {
                "dist/govuk/govuk-frontend.min.css": "govuk/govuk-frontend.min.css",
                "dist/govuk/govuk-frontend.min.js": "govuk/govuk-frontend.min.js",
                "dist/govuk/assets": "govuk/assets",
            },
            staging,
        )
        extract(npm_pack(HTMX, work), {"dist/htmx.min.js": "htmx/htmx.min.js"}, staging)
        extract(npm_pack(VEGA, work), {"build/vega.min.js": "vega/vega.min.js"}, staging)
        extract(npm_pack(VEGA_LITE, work), {"build/vega-lite.min.js": "vega/vega-lite.min.js"}, staging)
        extract(npm_pack(VEGA_EMBED, work), {"build/vega-embed.min.js": "vega/vega-embed.min.js"}, staging)
        extract(npm_pack(AXE_CORE, work), {"axe.min.js": "axe/axe.min.js"}, staging)
        versions = [GOVUK_FRONTEND, HTMX, VEGA, VEGA_LITE, VEGA_EMBED, AXE_CORE]
        (staging / "VERSIONS.txt").write_text("\n".join(versions) + "\n")
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, dest)
    print(f"front-end assets written to {dest}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dest", type=Path, default=VENDOR, help="where to write the files")
    args = parser.parse_args(argv)
    build(args.dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
