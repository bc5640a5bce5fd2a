"""``kinsight check``: return files audited without loading them find exactly what loading them and
running ``kinsight quality`` finds, and leave the home's store and its verdicts as they were."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kinsight.services import precheck, quality
from kinsight.services.ingest import ingest
from kinsight.services.synth import generate
from kinsight.settings import load_settings

YEARS = ["2024-25", "2025-26"]


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    generate(folder, children=80, years=YEARS, seed=5, faults=0.05, datasets=("ssda903",))
    return folder / "ssda903"


def _findings(payload: dict) -> list[tuple]:
    return sorted(
        (f["dataset"], f["year"], f["rule"], f["table"], f["row"], f["child"]) for f in payload["findings"]
    )


def test_the_same_findings_and_scores_as_loading_the_files_and_running_quality(
    returns: Path, tmp_path: Path
) -> None:
    loaded = load_settings(tmp_path / "loaded")
    ingest(loaded, [returns])
    expected = quality.run_quality(loaded, year="2025-26", dataset="ssda903", write_files=False)

    checked = precheck.check_files(load_settings(tmp_path / "checked"), [returns], write_files=False)
    assert _findings(checked) == _findings(expected)
    assert len(checked["findings"]) > 20  # 5% faults: a check that found nothing would prove nothing
    assert checked["rules_run"] == expected["rules_run"]
    assert checked["rules_skipped"] == expected["rules_skipped"]
    keys = ("dataset", "year", "records", "records_with_error", "records_with_query", "score")
    assert [{k: s[k] for k in keys} for s in checked["scores"]] == [
        {k: s[k] for k in keys} for s in expected["scores"]
    ]
    # the reading findings are the ones ingest recorded for the same files
    assert len(checked["read_findings"]) == sum(t["findings"] for t in checked["files"])
    assert {t["year"] for t in checked["files"]} == set(YEARS)
    assert not (tmp_path / "checked" / "store.duckdb").exists()


def test_a_home_keeps_its_store_and_its_verdict(returns: Path, tmp_path: Path) -> None:
    home = load_settings(tmp_path / "home")
    ingest(home, [returns / "2024-25"])
    quality.run_quality(home, dataset="ssda903", write_files=False)
    before_scores = quality.latest_scores(home)
    before_bytes = hashlib.sha256(home.store_path.read_bytes()).hexdigest()

    checked = precheck.check_files(home, [returns], year="2025-26", write_files=False)
    assert {s["year"] for s in checked["scores"]} == {"2025-26"}
    assert quality.latest_scores(home) == before_scores
    assert hashlib.sha256(home.store_path.read_bytes()).hexdigest() == before_bytes
