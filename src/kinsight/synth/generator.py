"""Write a whole synthetic authority: SSDA903 CSVs and CIN census XML per year, fake identities and
the fault manifest.  Same arguments, same bytes: every random draw comes from streams seeded by ``seed``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from kinsight.domain.years import year_range
from kinsight.errors import UsageError
from kinsight.synth.cin import build_cin_year, simulate_cin
from kinsight.synth.cinxml import write_cin_xml
from kinsight.synth.config import in_force, load_calibration, load_names, load_year_codes
from kinsight.synth.faults import FaultInjector
from kinsight.synth.identities import household_addresses, people_frame
from kinsight.synth.pool import simulate
from kinsight.synth.ssda903 import build_year as build_903_year
from kinsight.synth.ssda903 import child_id_column, derive, pool_upns, sex_codes, upn_column
from kinsight.synth.ssda903_xml import ReturnFormat, write_ssda903_xml

DATASETS = ("ssda903", "cin_census")
# A real LA code (Bristol's): UPNs carry it in characters 2-4 and the DfE rules (CIN 1530) accept only
# real or pseudo LA codes.  The authority itself stays fictional.
DEFAULT_LA_CODE = "801"
Progress = Callable[[str, int, int], None]


@dataclass
class YearSummary:
    year: str
    children: int
    episodes: int
    cin_children: int
    files: int


@dataclass
class Summary:
    out_dir: str
    years: list[str]
    seed: int
    faults: int
    datasets: list[str]
    per_year: list[YearSummary] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "out_dir": self.out_dir,
            "years": self.years,
            "seed": self.seed,
            "faults": self.faults,
            "datasets": self.datasets,
            "per_year": [vars(y) for y in self.per_year],
            "files_written": len(self.files),
        }


def _write_csv(df: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.write_csv(path, line_terminator="\n", null_value="")


def generate_files(
    out_dir: Path,
    *,
    children: int,
    years: list[str] | str,
    seed: int,
    faults: float = 0.0,
    la_code: str = DEFAULT_LA_CODE,
    datasets: tuple[str, ...] = DATASETS,
    progress: Progress | None = None,
    ssda903_format: ReturnFormat = ReturnFormat.CSV,
) -> Summary:
    if isinstance(years, str):
        years = year_range(years)
    if children < 10:
        raise UsageError("--children must be at least 10", hint="Try --children 2000 for a small authority.")
    if not 0.0 <= faults <= 0.5:
        raise UsageError(
            "--faults must be between 0 and 0.5", hint="0.02 gives a realistic sprinkling of faults."
        )
    if not (len(la_code) == 3 and la_code.isdigit()):
        raise UsageError(
            f"LA code '{la_code}' must be three digits", hint=f"Use a real LA code such as {DEFAULT_LA_CODE}."
        )
    unknown = set(datasets) - set(DATASETS)
    if unknown:
        raise UsageError(
            f"unknown dataset(s): {', '.join(sorted(unknown))}", hint="Choose from ssda903, cin_census."
        )
    cal, codes, names = load_calibration(), load_year_codes(), load_names()
    pool = simulate(cal, codes, years, children, seed)
    rng_id = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 555])))
    ch = pool.children
    n_house = int(ch.household.max()) + 1 if ch.household.size else 0

    cd = simulate_cin(cal, pool, children, seed) if "cin_census" in datasets else None
    n_extra = cd.extra_dob.size if cd is not None else 0
    all_numbers = np.arange(ch.dob.size + n_extra, dtype=np.int64)
    # Identifiers as one text column, built once: each year's tables gather from it.
    id_column = child_id_column(all_numbers)
    household = np.concatenate([ch.household, n_house + np.arange(n_extra)])
    address, postcode, surname = household_addresses(names, rng_id, n_house + n_extra)
    home_post = np.asarray(postcode.gather(ch.household).to_numpy(), dtype=object)
    if "ssda903" in datasets:
        derived = derive(cal, pool, la_code, home_post, seed)
        pool_upn, pool_upn_unknown = derived.upn, derived.upn_unknown
    else:
        derived = None
        pool_upn, pool_upn_unknown = pool_upns(cal, pool, la_code, seed)

    out_dir.mkdir(parents=True, exist_ok=True)
    summary = Summary(str(out_dir), years, seed, 0, list(datasets))
    injector = FaultInjector(faults, seed)
    previous = None
    total_steps = len(years)
    dob = np.concatenate([ch.dob, cd.extra_dob]) if cd is not None else ch.dob
    male = np.concatenate([ch.male, cd.extra_male]) if cd is not None else ch.male
    ethnic = np.concatenate([ch.ethnic, cd.extra_ethnic]) if cd is not None else ch.ethnic
    upn = pl.concat(
        [
            pl.Series("UPN", pool_upn.tolist(), dtype=pl.String),
            upn_column(all_numbers[ch.dob.size :], la_code),
        ]
    )
    upn_unknown = np.concatenate([pool_upn_unknown, np.full(n_extra, "", dtype=object)])
    for step, year in enumerate(years, start=1):
        if progress:
            progress(year, step - 1, total_steps)
        n_children_year = n_episodes = n_cin = files = 0
        if "ssda903" in datasets:
            tables = build_903_year(cal, codes, pool, derived, year, id_column, la_code, seed)
            here = sex_codes(codes, year)
            other = ("M", "F") if here == ("1", "2") else ("1", "2")
            clean = tables
            tables = injector.apply_903(year, tables, previous, here, other)
            previous = clean
            if ssda903_format is ReturnFormat.XML:
                path = out_dir / "ssda903" / year / "ssda903.xml"
                write_ssda903_xml(tables, path)
                summary.files.append(str(path.relative_to(out_dir)))
                files += 1
            for name, df in tables.items() if ssda903_format is ReturnFormat.CSV else ():
                path = out_dir / "ssda903" / year / f"{name}.csv"
                _write_csv(df, path)
                summary.files.append(str(path.relative_to(out_dir)))
                files += 1
            n_children_year = tables["episodes"].get_column("CHILD").n_unique()
            n_episodes = tables["episodes"].height
        if cd is not None:
            cy = build_cin_year(codes, cd, year, id_column, dob, male, ethnic, upn, upn_unknown)
            # The ordinal -> identifier map is only read when faults are injected (it is large).
            id_by_ordinal = (
                dict(
                    zip(
                        cy.children.get_column("_child").to_list(),
                        cy.children.get_column("LAchildID").to_list(),
                        strict=True,
                    )
                )
                if faults > 0
                else {}
            )
            details = injector.apply_cin(year, cy.details, id_by_ordinal)
            cy = type(cy)(
                cy.children, details, cy.assessments, cy.factors, cy.plans, cy.s47, cy.cpps, cy.reviews
            )
            element = in_force(codes.cin_sex_element, year)[0].code
            path = out_dir / "cin_census" / year / "cin_census.xml"
            write_cin_xml(cy, year, la_code, element, path)
            summary.files.append(str(path.relative_to(out_dir)))
            files += 1
            n_cin = cy.children.height
        summary.per_year.append(YearSummary(year, n_children_year, n_episodes, n_cin, files))
        if progress:
            progress(year, step, total_steps)

    mother = np.concatenate([ch.mother, np.full(n_extra, -1, dtype=np.int64)])
    people = people_frame(names, rng_id, id_column, dob, male, household, mother, address, postcode, surname)
    path = out_dir / "identities" / "people.csv"
    _write_csv(people, path)
    summary.files.append(str(path.relative_to(out_dir)))
    manifest = [f.as_dict() for f in injector.faults]
    (out_dir / "faults.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    summary.files.append("faults.json")
    summary.faults = len(manifest)
    return summary
