"""The re-identification risk report: JSON for the governance record, HTML for people, both from
one JSON-serialisable dictionary so they can never disagree."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from kinsight.privacy.risk import RiskResult

TEMPLATES = Path(__file__).with_name("templates")


def risk_report_dict(risk: RiskResult, *, title: str, notes: list[str] | None = None) -> dict[str, Any]:
    return {
        "kind": "reidentification_risk_report",
        "title": title,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "risk": risk.as_dict(),
        "meets_k": risk.k >= risk.k_threshold,
        "notes": list(notes or []),
    }


def render_html(report: dict[str, Any]) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("risk_report.html.j2").render(report=report)


def write_report(report: dict[str, Any], out_dir: Path, stem: str) -> tuple[Path, Path]:
    """Write ``stem.json`` and ``stem.html`` into ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out_dir / f"{stem}.json", out_dir / f"{stem}.html"
    json_path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    html_path.write_text(render_html(report), encoding="utf-8")
    return json_path, html_path
