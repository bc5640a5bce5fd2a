"""Monitoring fixtures: a fresh home with the app database, and synthetic tool data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from kinsight.governance.vocabulary import Actor
from kinsight.services import monitoring as svc
from kinsight.services.accounts import prepare_database
from kinsight.settings import Settings

OPERATOR = Actor("ana", svc.LOCAL_OPERATOR)


def tool_inputs(n: int, rng: np.random.Generator, *, shift: float = 0.0) -> pl.DataFrame:
    """Synthetic inputs of a tool: age at referral, days since last contact, placement type."""
    return pl.DataFrame(
        {
            "age": rng.normal(9 + shift, 3, n).round(1),
            "days_since_contact": rng.exponential(40, n).round(),
            "placement": rng.choice(["U1", "U4", "K2", "P1"], n, p=[0.4, 0.3, 0.2, 0.1]),
        }
    )


@pytest.fixture
def settings(sqlite_settings: Settings) -> Settings:
    prepare_database(sqlite_settings)
    return sqlite_settings


@pytest.fixture
def reference_csv(tmp_path: Path) -> Path:
    path = tmp_path / "reference.csv"
    tool_inputs(3000, np.random.default_rng(11)).write_csv(path)
    return path
