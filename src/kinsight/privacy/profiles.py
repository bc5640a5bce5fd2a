"""Purpose profiles: which fields a purpose may have and what is done to each before it leaves.

A profile is a YAML file in ``profiles/`` (data, so an information governance lead can read and
review it).  Fields a profile does not name are dropped: minimisation is the default, and adding a
field is a visible, reviewable change.  Treatments:

``keep`` unchanged · ``token`` keyed HMAC token · ``month`` / ``year`` coarser date · ``age-band``
DfE age band at 31 March of the row's collection year · ``postcode-sector`` / ``postcode-district`` ·
``shift-date`` the child's keyed date shift (``date_shift_days``) · ``drop`` removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import ConfigurationError, NotFoundError, UsageError
from kinsight.privacy import generalise as g
from kinsight.privacy.tokens import tokenise_series

PROFILE_DIR = Path(__file__).with_name("profiles")
CHILD_ID_FIELDS = ("CHILD", "LAchildID")


class Treatment(StrEnum):
    KEEP = "keep"
    TOKEN = "token"
    MONTH = "month"
    YEAR = "year"
    AGE_BAND = "age-band"
    POSTCODE_SECTOR = "postcode-sector"
    POSTCODE_DISTRICT = "postcode-district"
    SHIFT_DATE = "shift-date"
    DROP = "drop"


class Release(StrEnum):
    INTERNAL = "internal"
    CONTROLLED = "controlled"
    PUBLIC = "public"


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    purpose: str
    release: Release
    recipients: str
    fields: dict[str, Treatment]
    quasi_identifiers: list[str] = Field(default_factory=list)
    date_shift_days: int = Field(default=0, ge=0, le=365)
    k: int = Field(default=5, ge=1)

    def needs_key(self) -> bool:
        return any(t in (Treatment.TOKEN, Treatment.SHIFT_DATE) for t in self.fields.values())


@dataclass(frozen=True)
class ProfiledFrame:
    """A frame after its profile, and which treatment each field received (dropped ones listed)."""

    frame: pl.DataFrame
    treatments: dict[str, str]
    dropped: tuple[str, ...]


def profile_names() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


@cache
def load_profile(name: str) -> Profile:
    path = PROFILE_DIR / f"{name}.yaml"
    if not path.is_file():
        raise NotFoundError(
            f"no purpose profile called '{name}'", hint=f"Profiles: {', '.join(profile_names())}."
        )
    try:
        profile = Profile.model_validate(read_yaml(path))
    except ValidationError as error:
        raise ConfigurationError(
            f"profile {path.name} is not valid: {error}", hint="Fix the YAML file."
        ) from error
    if profile.name != name:
        raise ConfigurationError(
            f"profile {path.name} is named '{profile.name}'", hint="Make the name match the file."
        )
    if Treatment.SHIFT_DATE in profile.fields.values() and profile.date_shift_days < 1:
        raise ConfigurationError(f"profile {name} shifts dates but sets no date_shift_days")
    return profile


def apply_profile(frame: pl.DataFrame, profile: Profile, key: bytes | None) -> ProfiledFrame:
    """Keep only the profile's fields, each treated as the profile says."""
    if profile.needs_key() and key is None:
        raise ConfigurationError(
            f"profile {profile.name} needs the pseudonymisation key",
            hint="Create it with 'kinsight keys create'.",
        )
    kept = [c for c in frame.columns if profile.fields.get(c, Treatment.DROP) != Treatment.DROP]
    dropped = tuple(c for c in frame.columns if c not in kept)
    out = frame
    shifts = [c for c in kept if profile.fields[c] == Treatment.SHIFT_DATE]
    if shifts:
        child = next((c for c in CHILD_ID_FIELDS if c in frame.columns), None)
        if child is None:
            raise UsageError(f"profile {profile.name} shifts dates, but the table has no child identifier")
        assert key is not None
        out = g.shift_dates(out, child, shifts, key, profile.date_shift_days)
    exprs: list[pl.Expr] = []
    for column in kept:
        treatment = profile.fields[column]
        if treatment == Treatment.TOKEN:
            assert key is not None
            out = out.with_columns(tokenise_series(key, out.get_column(column)).alias(column))
        elif treatment in (Treatment.KEEP, Treatment.SHIFT_DATE):
            continue
        else:
            exprs.append(_expr(column, treatment, out))
    out = out.with_columns(exprs) if exprs else out
    return ProfiledFrame(out.select(kept), {c: str(profile.fields[c]) for c in kept}, dropped)


def _expr(column: str, treatment: Treatment, frame: pl.DataFrame) -> pl.Expr:
    match treatment:
        case Treatment.MONTH:
            return g.to_month(column).alias(column)
        case Treatment.YEAR:
            return g.to_year(column).alias(column)
        case Treatment.POSTCODE_SECTOR:
            return g.to_postcode_sector(column).alias(column)
        case Treatment.POSTCODE_DISTRICT:
            return g.to_postcode_district(column).alias(column)
        case Treatment.AGE_BAND:
            if "collection_year" not in frame.columns:
                raise UsageError("age bands need the collection_year column to know the 31 March date")
            return g.to_age_band(column, census_date()).alias(column)
    raise AssertionError(treatment)


def census_date() -> pl.Expr:
    """31 March at the end of each row's collection year (``"2024-25"`` → 2025-03-31)."""
    end_year = pl.col("collection_year").str.slice(0, 4).cast(pl.Int32) + 1
    return pl.date(end_year, 3, 31)


def describe(profile: Profile) -> dict[str, Any]:
    return profile.model_dump(mode="json")
