"""``kinsight quality`` says what it is doing: each dataset and year as it is checked, then the reports."""

from __future__ import annotations

from pathlib import Path

from kinsight.services import quality
from kinsight.services.ingest import ingest
from kinsight.settings import load_settings


def _header(folder: Path, children: int) -> None:
    folder.mkdir(parents=True)
    (folder / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        + "".join(f"C{i},1,01/01/2012,WBRI,,,\n" for i in range(children))
    )


def test_steps_are_reported_in_order_and_name_the_findings_written(tmp_path: Path) -> None:
    root = tmp_path / "data" / "ssda903"
    _header(root / "2024-25", 3)
    _header(root / "2025-26", 4)
    settings = load_settings(tmp_path / "home")
    ingest(settings, [root])
    steps: list[str] = []
    result = quality.run_quality(settings, dataset="ssda903", out_dir=tmp_path / "out", progress=steps.append)
    written = f"writing the reports: {len(result['findings']):,} findings to CSV, Excel and HTML"
    assert steps == [
        "checking ssda903 2024-25",
        "checking ssda903 2025-26",
        "gathering the findings",
        written,
    ]
    assert (tmp_path / "out" / "findings.xlsx").exists()
