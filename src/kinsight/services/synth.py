"""Use case: write a synthetic local authority's returns to a folder (``kinsight synth``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kinsight.synth import DATASETS, DEFAULT_LA_CODE, generate_files

__all__ = ["DATASETS", "DEFAULT_LA_CODE", "generate"]


def generate(
    out_dir: Path | str,
    *,
    children: int,
    years: list[str] | str,
    seed: int,
    faults: float = 0.0,
    la_code: str = DEFAULT_LA_CODE,
    datasets: tuple[str, ...] = DATASETS,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict:
    """Write SSDA903 CSVs, CIN census XML, identities and ``faults.json``; return a summary dict.

    Synthetic data holds no real child, so no permission or audit record is needed here.
    """
    summary = generate_files(
        Path(out_dir),
        children=children,
        years=years,
        seed=seed,
        faults=faults,
        la_code=la_code,
        datasets=datasets,
        progress=progress,
    )
    return summary.as_dict()
