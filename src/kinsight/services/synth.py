"""Use case: write a synthetic local authority's returns to a folder (``kinsight synth``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kinsight.errors import UsageError
from kinsight.synth import DATASETS, DEFAULT_LA_CODE, generate_files
from kinsight.synth.ssda903_xml import ReturnFormat

__all__ = ["DATASETS", "DEFAULT_LA_CODE", "ReturnFormat", "generate"]


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
    ssda903_format: ReturnFormat | str = ReturnFormat.CSV,
) -> dict:
    """Write SSDA903 CSVs (or one XML per year), CIN census XML, identities and ``faults.json``.

    Returns a summary dict.  Synthetic data holds no real child, so no permission or audit record is
    needed here.
    """
    try:
        chosen_format = ReturnFormat(ssda903_format)
    except ValueError:
        raise UsageError(
            f"unknown SSDA903 format '{ssda903_format}'", hint="Use --format csv or --format xml."
        ) from None
    summary = generate_files(
        Path(out_dir),
        children=children,
        years=years,
        seed=seed,
        faults=faults,
        la_code=la_code,
        datasets=datasets,
        progress=progress,
        ssda903_format=chosen_format,
    )
    return summary.as_dict()
