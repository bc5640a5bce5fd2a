"""Load the generator's calibration and year-dependent code mappings from the YAML files beside it.

The shares live in data files so that a reviewer can check them against the national figures without
reading code; this module only validates their shape (unknown keys are refused) and hands them over.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict

from kinsight.domain.yamlfiles import parse_yaml
from kinsight.errors import ConfigurationError

Shares = dict[str, float]


class LogNormal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    median: float
    sigma: float

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.exp(np.log(self.median) + self.sigma * rng.standard_normal(size))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Volume(_Section):
    starts_per_child_in_year: float
    cin_children_per_cla_child: float
    burn_in_years: int
    median_la_children_at_31_march: int


class Household(_Section):
    size_shares: dict[int, float]


class Uasc(_Section):
    share_of_starts: float
    male_share: float
    age_shares: dict[int, float]
    ethnicity: Shares
    route: Shares


class Entry(_Section):
    age_band_shares: Shares
    newborn_share_of_under_one: float
    male_share: float
    ethnicity: Shares
    legal_status: Shares
    need: Shares


class Routes(_Section):
    by_age_band: dict[str, Shares]
    duration_days: dict[str, LogNormal]
    re_entry_share_after_return: float
    re_entry_gap_days: LogNormal
    reasons: dict[str, Shares]
    early_independence_share: float


class Legal(_Section):
    protection_days: dict[str, int]
    after_protection: Shares
    proceedings_days: LogNormal
    v2_to_court_share: float
    v2_to_court_share_long_stay: float
    v2_to_court_days: LogNormal
    adoption_decision_days: LogNormal
    adoption_placed_before_exit_days: LogNormal
    adoption_with_current_carer_share: float
    adoption_reversal_share: float


class Placement(_Section):
    moves_per_year: Shares
    early_move_share: float
    same_carer_share_of_moves: float
    by_age: dict[str, Shares]
    uasc_16_plus: Shares
    placed_with_parents_before_return_share: float
    placed_with_parents_days: LogNormal
    provider: dict[str, Shares]
    reasons_for_change: Shares


class Reviews(_Section):
    first_within_days: int
    second_after_days: int
    then_every_days: int
    early_days_spread: int
    participation_4_plus: Shares


class Missing(_Section):
    share_by_age: Shares
    mean_episodes: float
    away_share: float
    duration_days: LogNormal


class Upn(_Section):
    known_share_school_age: float
    uasc_unknown_code: str


class PrevPerm(_Section):
    codes: Shares


class Oc2(_Section):
    sdq_completion: float
    health_check: float
    immunisations: float
    teeth_check: float
    health_assessment: float
    substance_misuse: float
    intervention_received: float
    convicted_10_plus: float


class Oc3(_Section):
    in_touch: Shares
    activity_in_touch: Shares
    accommodation_in_touch: Shares


class SocialWorkers(_Section):
    changes_per_year: float
    reasons: Shares


class Adopters(_Section):
    couple_share: float
    couple_sex: Shares
    single_sex: Shares
    foster_carer_share: float


class Mothers(_Section):
    baby_with_looked_after_mother_share: float


class Cin(_Section):
    re_referral_share: float
    referral_nfa_share: float
    not_in_need_share: float
    assessment_days: LogNormal
    episode_days: LogNormal
    s47_share: float
    icpc_share_of_s47: float
    cpp_share_of_icpc: float
    cpp_days: LogNormal
    cpp_previous_share: float
    cpp_category: Shares
    disabled_share: float
    disabilities: Shares
    primary_need: Shares
    referral_source: Shares
    age_band_shares: Shares
    factors: Shares


class Calibration(_Section):
    volume: Volume
    household: Household
    uasc: Uasc
    entry: Entry
    routes: Routes
    legal: Legal
    placement: Placement
    reviews: Reviews
    missing: Missing
    upn: Upn
    prev_perm: PrevPerm
    oc2: Oc2
    oc3: Oc3
    social_workers: SocialWorkers
    adopters: Adopters
    mothers: Mothers
    cin: Cin


class YearCode(_Section):
    """A code used from ``from_year`` (inclusive) to ``to_year`` (inclusive); blank means open."""

    code: str
    from_year: str | None = None
    to_year: str | None = None
    weight: float = 1.0


class YearCodes(_Section):
    sex_903: dict[str, list[YearCode]]
    sex_cin: dict[str, list[YearCode]]
    cin_sex_element: list[YearCode]
    placement_groups: dict[str, list[YearCode]]
    retired_code_moves: dict[str, Shares] = {}
    swepisodes_from: str


class Names(_Section):
    town: str
    postcode_area: str
    forenames_male: list[str]
    forenames_female: list[str]
    surnames: list[str]
    street_first: list[str]
    street_second: list[str]
    street_kinds: list[str]


def _read(name: str) -> Any:
    text = resources.files("kinsight.synth").joinpath(name).read_text(encoding="utf-8")
    try:
        return parse_yaml(text)
    except yaml.YAMLError as error:  # pragma: no cover - packaged file
        raise ConfigurationError(f"synth/{name} is not valid YAML: {error}") from error


@lru_cache(maxsize=1)
def load_calibration() -> Calibration:
    return Calibration.model_validate(_read("calibration.yaml"))


@lru_cache(maxsize=1)
def load_year_codes() -> YearCodes:
    return YearCodes.model_validate(_read("year_codes.yaml"))


@lru_cache(maxsize=1)
def load_names() -> Names:
    return Names.model_validate(_read("names.yaml"))


def in_force(entries: list[YearCode], year: str) -> list[YearCode]:
    """Entries valid in a collection year (years compare as text: "2023-24" < "2024-25")."""
    return [
        e
        for e in entries
        if (e.from_year is None or e.from_year <= year) and (e.to_year is None or year <= e.to_year)
    ]


def choice(rng: np.random.Generator, shares: Shares | dict[int, float], size: int) -> np.ndarray:
    """Draw ``size`` keys with the given (normalised) shares; returns an array of the keys."""
    keys = list(shares.keys())
    p = np.asarray(list(shares.values()), dtype=float)
    idx = rng.choice(len(keys), size=size, p=p / p.sum())
    return np.asarray(keys, dtype=object if isinstance(keys[0], str) else None)[idx]
