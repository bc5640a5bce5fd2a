"""Make an extract k-anonymous: generalise quasi-identifiers along declared ladders, then drop the
records still in classes smaller than k.

Each quasi-identifier has a *ladder* of steps from exact to fully suppressed, for example date of
birth: exact → month → year → age band → suppressed; postcode: exact → sector → district →
suppressed.  A choice of one step per quasi-identifier is a node of the generalisation lattice.

Search: full-domain generalisation by **exhaustive search of the lattice** (the lattices here are
small: a few quasi-identifiers with at most five steps each).  Every node is scored; a node is
acceptable when the records it must suppress to reach k are no more than ``max_suppression`` of the
extract.  Among acceptable nodes Kinsight takes the one with the least generalisation loss (the mean
over quasi-identifiers of step height / ladder height, i.e. 1 - Sweeney's precision), then the fewest
suppressed records.  The result says exactly which step each quasi-identifier took, how many records
were dropped, and the information lost.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import polars as pl

from kinsight.errors import UsageError
from kinsight.privacy import generalise as g
from kinsight.privacy.risk import RiskResult, measure_risk

MAX_NODES = 20_000


class Step(StrEnum):
    """One rung of a generalisation ladder."""

    KEEP = "keep"
    MONTH = "month"
    YEAR = "year"
    AGE_BAND = "age-band"
    POSTCODE_SECTOR = "postcode-sector"
    POSTCODE_DISTRICT = "postcode-district"
    SUPPRESS = "suppress"


DATE_LADDER = (Step.KEEP, Step.MONTH, Step.YEAR, Step.AGE_BAND, Step.SUPPRESS)
POSTCODE_LADDER = (Step.KEEP, Step.POSTCODE_SECTOR, Step.POSTCODE_DISTRICT, Step.SUPPRESS)
CATEGORY_LADDER = (Step.KEEP, Step.SUPPRESS)


def step_expr(column: str, step: Step, reference: date | None) -> pl.Expr:
    """The polars expression producing ``column`` at one step of its ladder (as text, for grouping)."""
    col = pl.col(column)
    match step:
        case Step.KEEP:
            out = col
        case Step.MONTH:
            out = g.to_month(col)
        case Step.YEAR:
            out = g.to_year(col)
        case Step.AGE_BAND:
            if reference is None:
                raise UsageError(
                    "an age-band step needs a reference date", hint="Usually 31 March of the year."
                )
            out = g.to_age_band(col, reference)
        case Step.POSTCODE_SECTOR:
            out = g.to_postcode_sector(col)
        case Step.POSTCODE_DISTRICT:
            out = g.to_postcode_district(col)
        case Step.SUPPRESS:
            out = pl.lit(None, dtype=pl.String)
    return out.cast(pl.String).alias(column)


@dataclass(frozen=True)
class Enforcement:
    """What enforcement did: the protected extract and an exact account of the changes."""

    frame: pl.DataFrame
    k: int
    steps: dict[str, str]
    heights: dict[str, int]
    records_in: int
    records_suppressed: int
    generalisation_loss: float
    nodes_examined: int
    before: RiskResult
    after: RiskResult

    @property
    def share_suppressed(self) -> float:
        return self.records_suppressed / self.records_in if self.records_in else 0.0

    @property
    def precision(self) -> float:
        return 1.0 - self.generalisation_loss

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "method": "full-domain generalisation, exhaustive lattice search, then record suppression",
            "steps": self.steps,
            "heights": self.heights,
            "records_in": self.records_in,
            "records_out": self.frame.height,
            "records_suppressed": self.records_suppressed,
            "share_suppressed": self.share_suppressed,
            "generalisation_loss": self.generalisation_loss,
            "precision": self.precision,
            "nodes_examined": self.nodes_examined,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
        }


def default_ladder(dtype: pl.DataType, column: str) -> tuple[Step, ...]:
    """A sensible ladder from the column's type and name (dates; postcodes; anything else)."""
    if dtype in (pl.Date, pl.Datetime):
        return DATE_LADDER
    if "POST" in column.upper():
        return POSTCODE_LADDER
    return CATEGORY_LADDER


def make_k_anonymous(
    frame: pl.DataFrame,
    quasi_identifiers: Sequence[str],
    *,
    k: int = 5,
    ladders: Mapping[str, Sequence[Step | str]] | None = None,
    reference: date | None = None,
    max_suppression: float = 0.05,
) -> Enforcement:
    """Generalise then suppress until every class has at least ``k`` records (see module docstring)."""
    qis = list(quasi_identifiers)
    missing = [c for c in qis if c not in frame.columns]
    if missing:
        raise UsageError(
            f"column(s) not in the data: {', '.join(missing)}", hint=f"Columns: {', '.join(frame.columns)}."
        )
    if not 0 <= max_suppression <= 1:
        raise UsageError("max_suppression is a share between 0 and 1")
    chosen = {
        q: tuple(Step(s) for s in (ladders or {}).get(q, default_ladder(frame.schema[q], q))) for q in qis
    }
    for q, ladder in chosen.items():
        if not ladder or ladder[0] != Step.KEEP:
            raise UsageError(f"the ladder for {q} must start with 'keep'")
    size = 1
    for ladder in chosen.values():
        size *= len(ladder)
    if size > MAX_NODES:
        raise UsageError(
            f"the generalisation lattice has {size} nodes",
            hint="Use fewer quasi-identifiers or shorter ladders.",
        )

    levels = frame.select(
        [step_expr(q, s, reference).alias(f"{q}\x00{h}") for q in qis for h, s in enumerate(chosen[q])]
    )
    best: tuple[tuple[float, int, tuple[int, ...]], tuple[int, ...]] | None = None
    examined = 0
    for node in itertools.product(*(range(len(chosen[q])) for q in qis)):
        examined += 1
        loss = _loss(node, [len(chosen[q]) for q in qis])
        if best is not None and loss > best[0][0]:
            continue  # cannot beat the best on loss; ties still compared on suppression below
        cols = [levels.get_column(f"{q}\x00{h}").alias(q) for q, h in zip(qis, node, strict=True)]
        counts = pl.DataFrame(cols).group_by(qis).len()
        short = int(counts.filter(pl.col("len") < k).get_column("len").sum())
        if short > max_suppression * frame.height:
            continue
        score = (loss, short, node)
        if best is None or score < best[0]:
            best = (score, node)
    if best is None:  # the all-suppressed node always has one class, so only k > n gets here
        raise UsageError(
            f"no generalisation makes these {frame.height} records {k}-anonymous",
            hint="The extract has fewer records than k; lower k or publish aggregates instead.",
        )
    node = best[1]
    generalised = frame.with_columns(
        levels.get_column(f"{q}\x00{h}").alias(q) for q, h in zip(qis, node, strict=True)
    )
    sizes = pl.len().over(qis)
    protected = generalised.filter(sizes >= k)
    return Enforcement(
        frame=protected,
        k=k,
        steps={q: str(chosen[q][h]) for q, h in zip(qis, node, strict=True)},
        heights={q: h for q, h in zip(qis, node, strict=True)},
        records_in=frame.height,
        records_suppressed=frame.height - protected.height,
        generalisation_loss=best[0][0],
        nodes_examined=examined,
        before=measure_risk(frame, qis, k=k),
        after=measure_risk(protected, qis, k=k),
    )


def _loss(node: Sequence[int], lengths: Sequence[int]) -> float:
    """Mean normalised generalisation height: 0 = nothing generalised, 1 = everything suppressed."""
    return sum(h / (n - 1) if n > 1 else 0.0 for h, n in zip(node, lengths, strict=True)) / len(node)
