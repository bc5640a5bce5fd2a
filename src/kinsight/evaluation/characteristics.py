"""Protected characteristics: which fields carry them and how codes map to groups (all declared in data).

The mapping lives in ``data/protected_characteristics.yaml``; the reference shares in
``data/reference_population.yaml``.  Both are read through strict pydantic models, so a typo fails loudly.
Derived columns are named ``pc_<characteristic>`` so they never clash with DfE field names.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

import polars as pl
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    NonNegativeInt,
    PositiveFloat,
    ValidationError,
    model_validator,
)

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import ConfigurationError

DATA_DIR = Path(__file__).parent / "data"
PREFIX = "pc_"
MISSING = "(missing)"
UNRECOGNISED = "(unrecognised code)"


class Characteristic(StrEnum):
    SEX = "sex"
    ETHNICITY = "ethnicity"
    AGE_BAND = "age_band"
    DISABILITY = "disability"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CharacteristicSpec(_Strict):
    label: str
    codes: dict[str, str] | None = None
    bands: dict[str, int] | None = None
    none_codes: list[str] | None = None


class SourceSpec(_Strict):
    table: str
    fields: dict[str, Characteristic]


class DatasetCharacteristics(_Strict):
    key: str
    sources: list[SourceSpec]


class ProxyThresholds(_Strict):
    likely_proxy_cramers_v: float
    some_association_cramers_v: float
    identifier_distinct_share: float
    max_categories: int
    numeric_bins: int


class MissingnessSettings(_Strict):
    flag_difference_points: float
    min_group_size: int


class ProtectedConfig(_Strict):
    characteristics: dict[Characteristic, CharacteristicSpec]
    datasets: dict[str, DatasetCharacteristics]
    proxy_thresholds: ProxyThresholds
    missingness: MissingnessSettings


class ReferenceStatus(StrEnum):
    """How far a characteristic's reference shares can be trusted, so the audit can say so beside them."""

    PUBLISHED = "published"  # quoted from the named source as published
    DERIVED = "derived"  # computed from published counts by the derivation written in the file
    APPROXIMATE = "approximate"  # not a published count of this population (a stand-in, or unchecked)


SHARE_TOLERANCE = 0.005  # hand-typed shares (whole percentages) must sum to 1 within this


class ReferenceShares(_Strict):
    """One characteristic's reference distribution.

    Either ``shares`` is given directly (an authority's own file, or a source that only publishes
    percentages), or ``counts`` are given as published and the shares are worked out from them, so the
    two can never disagree.  When the source's categories are not the audit's groups (five-year age bands
    against the DfE's bands), ``derivation`` says how much of each published count goes to each group.
    """

    source: str
    source_date: str
    status: ReferenceStatus
    url: list[str] = []
    note: str | None = None
    counts: dict[str, NonNegativeInt] | None = None
    derivation: dict[str, dict[str, PositiveFloat]] | None = None
    shares: dict[str, float] | None = None

    def group_counts(self) -> dict[str, float] | None:
        """Counts per audit group: the published counts, or their weighted sums under ``derivation``."""
        if self.counts is None:
            return None
        if self.derivation is None:
            return {group: float(n) for group, n in self.counts.items()}
        return {
            group: sum(weight * self.counts[band] for band, weight in parts.items())
            for group, parts in self.derivation.items()
        }

    @model_validator(mode="after")
    def _resolve_shares(self) -> ReferenceShares:
        if self.counts is None:
            if self.derivation is not None:
                raise ValueError("a derivation needs the published counts it works from")
            if not self.shares:
                raise ValueError("give either counts (shares are worked out from them) or shares")
            total = sum(self.shares.values())
            if abs(total - 1.0) > SHARE_TOLERANCE:
                raise ValueError(f"shares sum to {total:.3f}, not 1")
            return self
        if self.derivation is not None:
            self._check_derivation(self.counts, self.derivation)
        grouped = self.group_counts() or {}
        total = sum(grouped.values())
        if total <= 0:
            raise ValueError("counts add up to nothing")
        worked_out = {group: n / total for group, n in grouped.items()}
        if self.shares is not None:
            differ = sorted(
                g
                for g in set(worked_out) | set(self.shares)
                if abs(worked_out.get(g, -1.0) - self.shares.get(g, -1.0)) > 1e-6
            )
            if differ:
                raise ValueError(f"shares disagree with the counts for {', '.join(differ)}; leave shares out")
        # Frozen model: the worked-out shares are set once, here, so every reader sees the same numbers.
        object.__setattr__(self, "shares", worked_out)
        return self

    @staticmethod
    def _check_derivation(counts: dict[str, int], derivation: dict[str, dict[str, float]]) -> None:
        used: dict[str, float] = {}
        for group, parts in derivation.items():
            for band, weight in parts.items():
                if band not in counts:
                    raise ValueError(f"derivation of '{group}' uses '{band}', which has no count")
                used[band] = used.get(band, 0.0) + weight
        over = sorted(band for band, weight in used.items() if weight > 1 + 1e-9)
        if over:
            raise ValueError(f"derivation hands out more than all of {', '.join(over)}")


class ReferencePopulation(_Strict):
    name: str
    characteristics: dict[Characteristic, ReferenceShares]


def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(read_yaml(path))
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise ConfigurationError(
            f"cannot read {path.name}: {error}", hint="Check the file against the shipped example."
        ) from error


@cache
def protected_config() -> ProtectedConfig:
    return _read(DATA_DIR / "protected_characteristics.yaml", ProtectedConfig)  # type: ignore[return-value]


def reference_population(path: Path | None = None) -> ReferencePopulation:
    """The shipped England 0-17 reference shares, or an authority's own file of the same shape."""
    return _read(path or DATA_DIR / "reference_population.yaml", ReferencePopulation)  # type: ignore[return-value]


def _age_years(dob: pl.Expr, on: pl.Expr) -> pl.Expr:
    before_birthday = (on.dt.month() < dob.dt.month()) | (
        (on.dt.month() == dob.dt.month()) & (on.dt.day() < dob.dt.day())
    )
    return on.dt.year() - dob.dt.year() - before_birthday.cast(pl.Int32)


def _reference_date(frame: pl.DataFrame, fallback: date) -> pl.Expr:
    """31 March at the end of each row's collection year; ``fallback`` when the year is not known."""
    if "collection_year" in frame.columns:
        start = pl.col("collection_year").str.slice(0, 4).cast(pl.Int32, strict=False)
        return pl.date(start + 1, 3, 31).fill_null(pl.lit(fallback))
    return pl.lit(fallback)


def _as_date(frame: pl.DataFrame, column: str) -> pl.Expr:
    dtype = frame.schema[column]
    if dtype == pl.Date:
        return pl.col(column)
    if dtype == pl.Datetime:
        return pl.col(column).dt.date()
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.coalesce(text.str.to_date("%d/%m/%Y", strict=False), text.str.to_date("%Y-%m-%d", strict=False))


def derive(
    frame: pl.DataFrame, field: str, characteristic: Characteristic, *, on: date, config: ProtectedConfig
) -> pl.Expr:
    """An expression giving each row's group for ``characteristic`` from ``field``."""
    spec = config.characteristics[characteristic]
    if characteristic is Characteristic.AGE_BAND:
        assert spec.bands is not None
        age = _age_years(_as_date(frame, field), _reference_date(frame, on))
        bands = sorted(spec.bands.items(), key=lambda item: item[1])
        expr = pl.when(age.is_null()).then(pl.lit(MISSING))
        for (label, low), upper in zip(bands, [b[1] for b in bands[1:]] + [None], strict=True):
            condition = age >= low if upper is None else (age >= low) & (age < upper)
            expr = expr.when(condition).then(pl.lit(label))
        return expr.otherwise(pl.lit(UNRECOGNISED))
    text = pl.col(field).cast(pl.String).str.strip_chars().str.to_uppercase()
    if characteristic is Characteristic.DISABILITY:
        none = [c.upper() for c in spec.none_codes or []]
        return (
            pl.when(text.is_null() | (text == ""))
            .then(pl.lit(MISSING))
            .when(text.is_in(none))
            .then(pl.lit("not disabled"))
            .otherwise(pl.lit("disabled"))
        )
    codes = {k.upper(): v for k, v in (spec.codes or {}).items()}
    return (
        pl.when(text.is_null() | (text == ""))
        .then(pl.lit(MISSING))
        .otherwise(text.replace_strict(codes, default=UNRECOGNISED, return_dtype=pl.String))
    )


def attach(
    frame: pl.DataFrame,
    *,
    dataset: str | None,
    sources: dict[str, pl.DataFrame] | None = None,
    on: date,
    config: ProtectedConfig | None = None,
) -> tuple[pl.DataFrame, dict[Characteristic, str]]:
    """Add a ``pc_<characteristic>`` column for every characteristic that can be found.

    Fields present in ``frame`` itself are used first; otherwise the dataset's source tables (``sources``,
    by table name) are joined on the child key (and the collection year when both have it).  Returns the
    frame and, per characteristic, the field it was derived from.
    """
    config = config or protected_config()
    derived_from: dict[Characteristic, str] = {}
    candidates = [config.datasets[dataset]] if dataset in config.datasets else list(config.datasets.values())
    for ds in candidates:
        for source in ds.sources:
            for field, characteristic in source.fields.items():
                if characteristic in derived_from:
                    continue
                if field in frame.columns:
                    frame = frame.with_columns(
                        derive(frame, field, characteristic, on=on, config=config).alias(
                            PREFIX + characteristic.value
                        )
                    )
                    derived_from[characteristic] = field
                    continue
                other = (sources or {}).get(source.table)
                if other is None or field not in other.columns or ds.key not in frame.columns:
                    continue
                keys = [ds.key] + (
                    ["collection_year"]
                    if "collection_year" in frame.columns and "collection_year" in other.columns
                    else []
                )
                column = PREFIX + characteristic.value
                lookup = (
                    other.with_columns(
                        derive(other, field, characteristic, on=on, config=config).alias(column)
                    )
                    .select([*keys, column])
                    .sort([*keys, column])
                    .unique(subset=keys, keep="first", maintain_order=True)
                )
                frame = frame.join(lookup, on=keys, how="left").with_columns(
                    pl.col(column).fill_null(MISSING)
                )
                derived_from[characteristic] = f"{source.table}.{field}"
    return frame, derived_from
