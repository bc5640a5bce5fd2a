"""Small synthetic authorities generated once per test session (clean and with faults)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinsight.services.synth import generate

# 2022-23 .. 2025-26: crosses the SEX coding change (2024-25), K3 (2024-25) and H5/P2/Z1 -> Z11-Z14 (2025-26).
YEARS = "2023-2026"


@pytest.fixture(scope="session")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth_clean")
    generate(out, children=800, years=YEARS, seed=11)
    return out


@pytest.fixture(scope="session")
def faulty_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth_faulty")
    generate(out, children=400, years=YEARS, seed=12, faults=0.05)
    return out
