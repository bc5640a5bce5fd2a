"""The risk report: JSON and HTML written from one dictionary."""

from __future__ import annotations

import json

import polars as pl

from kinsight.privacy.report import render_html, risk_report_dict, write_report
from kinsight.privacy.risk import measure_risk


def test_report_files_agree(tmp_path) -> None:
    frame = pl.DataFrame({"a": ["x", "x", "y"], "s": ["p", "q", "p"]})
    report = risk_report_dict(measure_risk(frame, ["a"], sensitive="s", k=2), title="Test extract")
    json_path, html_path = write_report(report, tmp_path, "r")
    loaded = json.loads(json_path.read_text())
    assert loaded["risk"]["k"] == 1 and loaded["meets_k"] is False
    html = html_path.read_text()
    assert "does not meet" in html and "Test extract" in html
    assert "l-diversity of s" in render_html(report)
