"""Inject realistic data-quality faults into the written returns and keep an exact manifest of them.

The manifest (``faults.json``) is ground truth for the rule engine's tests: each entry names the file
(dataset, year, table), the 1-based data row as written (CSV data row; for the CIN XML the ordinal of
the ``Child`` element), the field, and the value before and after.  A fault is only listed once it has
really been written, so every entry can be checked against the files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from enum import StrEnum

import numpy as np
import polars as pl

from kinsight.domain.years import year_start


class FaultKind(StrEnum):
    MISSING_VALUE = "missing_value"
    INVALID_CODE = "invalid_code"
    CODE_INVALID_FOR_YEAR = "code_invalid_for_year"
    CHANGED_FROM_LAST_YEAR = "changed_from_last_year"
    DUPLICATE_REVIEW = "duplicate_review"
    OVERLAPPING_EPISODES = "overlapping_episodes"
    DATES_OUT_OF_ORDER = "dates_out_of_order"
    PREVIOUS_YEAR_CHANGED = "previous_year_changed"
    PREVIOUS_YEAR_VANISHED = "previous_year_vanished"


@dataclass(frozen=True)
class Fault:
    kind: str
    dataset: str
    year: str
    table: str
    child: str
    row: int | None
    field: str | None
    original: str | None
    injected: str | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


_INVALID = {"ETHNIC": "WXYZ", "SEX": "X", "LS": "X9", "PLACE": "Q9", "RNE": "Q"}
_UID = "_uid"


def _shift_date(text: str, days: int) -> str:
    d, m, y = text.split("/")
    value = np.datetime64(f"{y}-{m}-{d}") + np.timedelta64(days, "D")
    y2, m2, d2 = str(value).split("-")
    return f"{d2}/{m2}/{y2}"


@dataclass
class _Pending:
    kind: str
    table: str
    child: str
    uid: float | None
    field: str | None
    original: str | None
    injected: str | None


class FaultInjector:
    """Faults for one run: keeps the carried-over changes (a changed DOB stays changed in later years)."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        self.seed = seed
        self.faults: list[Fault] = []
        self._carry: dict[str, dict[str, str]] = {}

    # ------------------------------------------------------------------ SSDA903
    def apply_903(
        self,
        year: str,
        tables: dict[str, pl.DataFrame],
        previous: dict[str, pl.DataFrame] | None,
        sex_codes: tuple[str, str],
        other_sex_codes: tuple[str, str],
    ) -> dict[str, pl.DataFrame]:
        tables = {name: self._apply_carry(df) for name, df in tables.items()}
        if self.rate <= 0:
            return tables
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, 77, int(year[:4])])))
        pending: list[_Pending] = []
        out: dict[str, pl.DataFrame] = {}
        for name, df in tables.items():
            df = df.with_columns(pl.Series(_UID, np.arange(df.height, dtype=np.float64)))
            if name == "header":
                df = self._header(rng, df, previous, sex_codes, other_sex_codes, pending)
            elif name == "episodes":
                df = self._episodes(rng, df, year, previous, pending)
            elif name == "reviews":
                df = self._reviews(rng, df, pending)
            out[name] = df
        for p in pending:
            df = out[p.table]
            row = None
            if p.uid is not None:
                pos = np.flatnonzero(df.get_column(_UID).to_numpy() == p.uid)
                row = int(pos[0]) + 1
            self.faults.append(
                Fault(p.kind, "ssda903", year, p.table, p.child, row, p.field, p.original, p.injected)
            )
        return {name: df.drop(_UID) for name, df in out.items()}

    def _apply_carry(self, df: pl.DataFrame) -> pl.DataFrame:
        if not self._carry or "CHILD" not in df.columns:
            return df
        for fld in ("DOB", "SEX", "ETHNIC"):
            if fld not in df.columns:
                continue
            mapping = {c: v[fld] for c, v in self._carry.items() if fld in v}
            if mapping:
                df = df.with_columns(
                    pl.col("CHILD")
                    .replace_strict(mapping, default=pl.col(fld), return_dtype=pl.String)
                    .alias(fld)
                )
        return df

    def _pick(
        self, rng: np.random.Generator, eligible: np.ndarray, n_kinds: int
    ) -> tuple[np.ndarray, np.ndarray]:
        chosen = np.flatnonzero(eligible & (rng.random(eligible.size) < self.rate))
        return chosen, rng.integers(0, n_kinds, chosen.size)

    def _set(self, df: pl.DataFrame, idx: int, fld: str, value: str | None) -> pl.DataFrame:
        col = df.get_column(fld).scatter([idx], value)
        return df.with_columns(col)

    def _header(self, rng, df, previous, sex_codes, other_sex_codes, pending) -> pl.DataFrame:
        prev_children = set(previous["header"].get_column("CHILD").to_list()) if previous else set()
        children = df.get_column("CHILD").to_list()
        chosen, kinds = self._pick(rng, np.ones(df.height, bool), 4)
        for i, k in zip(chosen.tolist(), kinds.tolist(), strict=True):
            child = children[i]
            if child in self._carry:
                continue
            row = df.row(i, named=True)
            uid = float(row[_UID])
            if k == 0:
                fld = ["ETHNIC", "DOB", "SEX"][int(rng.integers(0, 3))]
                if row[fld] is None:
                    continue
                df = self._set(df, i, fld, None)
                pending.append(_Pending(FaultKind.MISSING_VALUE, "header", child, uid, fld, row[fld], None))
            elif k == 1:
                fld = ["ETHNIC", "SEX"][int(rng.integers(0, 2))]
                df = self._set(df, i, fld, _INVALID[fld])
                pending.append(
                    _Pending(FaultKind.INVALID_CODE, "header", child, uid, fld, row[fld], _INVALID[fld])
                )
            elif k == 2:
                value = other_sex_codes[sex_codes.index(row["SEX"])] if row["SEX"] in sex_codes else None
                if value is None:
                    continue
                df = self._set(df, i, "SEX", value)
                pending.append(
                    _Pending(FaultKind.CODE_INVALID_FOR_YEAR, "header", child, uid, "SEX", row["SEX"], value)
                )
            elif child in prev_children:
                fld = ["DOB", "SEX", "ETHNIC"][int(rng.integers(0, 3))]
                old = row[fld]
                if old is None:
                    continue
                if fld == "DOB":
                    new = _shift_date(old, int(rng.choice([-1, 1]) * rng.integers(1, 400)))
                elif fld == "SEX":
                    if old not in sex_codes:
                        continue
                    new = sex_codes[1 - sex_codes.index(old)]
                else:
                    new = "WBRI" if old != "WBRI" else "WOTH"
                df = self._set(df, i, fld, new)
                self._carry[child] = {fld: new}
                pending.append(
                    _Pending(FaultKind.CHANGED_FROM_LAST_YEAR, "header", child, uid, fld, old, new)
                )
        return df

    def _episodes(self, rng, df, year, previous, pending) -> pl.DataFrame:
        if not df.height:
            return df
        ys = year_start(year).strftime("%d/%m/%Y")
        children = df.get_column("CHILD").to_list()
        dec = df.get_column("DEC").to_list()
        decom = df.get_column("DECOM").to_list()
        rec = df.get_column("REC").to_list()
        closed = np.array([d is not None for d in dec])
        next_same = (
            np.r_[np.array(children[1:]) == np.array(children[:-1]), False]
            if df.height > 1
            else np.zeros(1, bool)
        )
        carried = np.array([_before(d, ys) for d in decom])
        touched: set[int] = set()
        chosen, kinds = self._pick(rng, closed & ~carried, 5)
        for i, k in zip(chosen.tolist(), kinds.tolist(), strict=True):
            row = df.row(i, named=True)
            uid, child = float(row[_UID]), children[i]
            if k == 0:
                fld = ["LS", "PLACE", "RNE"][int(rng.integers(0, 3))]
                df = self._set(df, i, fld, None)
                pending.append(_Pending(FaultKind.MISSING_VALUE, "episodes", child, uid, fld, row[fld], None))
            elif k == 1:
                fld = ["LS", "PLACE", "RNE"][int(rng.integers(0, 3))]
                df = self._set(df, i, fld, _INVALID[fld])
                pending.append(
                    _Pending(FaultKind.INVALID_CODE, "episodes", child, uid, fld, row[fld], _INVALID[fld])
                )
            elif k == 2:
                value = "K3" if year < "2024-25" else ("H5" if year >= "2025-26" else "Z11")
                df = self._set(df, i, "PLACE", value)
                pending.append(
                    _Pending(
                        FaultKind.CODE_INVALID_FOR_YEAR, "episodes", child, uid, "PLACE", row["PLACE"], value
                    )
                )
            elif k == 3:
                new = _shift_date(decom[i], -int(rng.integers(1, 60)))
                df = self._set(df, i, "DEC", new)
                pending.append(
                    _Pending(FaultKind.DATES_OUT_OF_ORDER, "episodes", child, uid, "DEC", dec[i], new)
                )
            elif next_same[i] and rec[i] == "X1" and dec[i] == decom[i + 1] and (i + 1) not in touched:
                new = _shift_date(dec[i], int(rng.integers(2, 30)))
                df = self._set(df, i, "DEC", new)
                pending.append(
                    _Pending(FaultKind.OVERLAPPING_EPISODES, "episodes", child, uid, "DEC", dec[i], new)
                )
            touched.add(i)
        if previous is not None:
            chosen, kinds = self._pick(rng, carried, 2)
            drop: list[int] = []
            episodes_of = Counter(children)
            for i, k in zip(chosen.tolist(), kinds.tolist(), strict=True):
                row = df.row(i, named=True)
                uid, child = float(row[_UID]), children[i]
                if k == 1 and episodes_of[child] < 2:
                    # Dropping a child's only episode removes the child from this year's episodes: that is
                    # a missing child, not a vanished episode, and no rule names it as such.
                    continue
                if k == 0:
                    new = _shift_date(decom[i], -int(rng.integers(1, 90)))
                    df = self._set(df, i, "DECOM", new)
                    pending.append(
                        _Pending(
                            FaultKind.PREVIOUS_YEAR_CHANGED, "episodes", child, uid, "DECOM", decom[i], new
                        )
                    )
                else:
                    drop.append(i)
                    pending.append(
                        _Pending(
                            FaultKind.PREVIOUS_YEAR_VANISHED,
                            "episodes",
                            child,
                            None,
                            None,
                            f"DECOM={decom[i]}",
                            None,
                        )
                    )
            if drop:
                mask = np.ones(df.height, bool)
                mask[drop] = False
                df = df.filter(pl.Series(mask))
        return df

    def _reviews(self, rng, df, pending) -> pl.DataFrame:
        if not df.height:
            return df
        chosen, _ = self._pick(rng, np.ones(df.height, bool), 1)
        if not chosen.size:
            return df
        dupes = df[chosen.tolist()].with_columns((pl.col(_UID) + 0.5).alias(_UID))
        for r in dupes.iter_rows(named=True):
            pending.append(
                _Pending(
                    FaultKind.DUPLICATE_REVIEW, "reviews", r["CHILD"], r[_UID], "REVIEW", None, r["REVIEW"]
                )
            )
        return pl.concat([df, dupes]).sort(_UID)

    # ------------------------------------------------------------------ CIN census
    def apply_cin(self, year: str, details: pl.DataFrame, ids_by_child: dict[int, str]) -> pl.DataFrame:
        if self.rate <= 0 or not details.height:
            return details
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, 78, int(year[:4])])))
        chosen, kinds = self._pick(rng, np.ones(details.height, bool), 3)
        # One fault per child keeps the manifest unambiguous (rows are Child ordinals).
        seen: set[int] = set()
        for i, k in zip(chosen.tolist(), kinds.tolist(), strict=True):
            row = details.row(i, named=True)
            child_no = int(row["_child"])
            if child_no in seen:
                continue
            if k == 0:
                # The source is required for referrals made in the census year (rule 8866).
                if row["CINreferralDate"] is None or row["CINreferralDate"] < year_start(year).isoformat():
                    continue
                fld, new = "ReferralSource", None
                kind = FaultKind.MISSING_VALUE
            elif k == 1:
                fld, new = "PrimaryNeedCode", "N99"
                kind = FaultKind.INVALID_CODE
            else:
                if row["CINclosureDate"] is None:
                    continue
                fld = "CINclosureDate"
                ref = np.datetime64(row["CINreferralDate"])
                new = str(ref - np.timedelta64(int(rng.integers(1, 40)), "D"))
                kind = FaultKind.DATES_OUT_OF_ORDER
            seen.add(child_no)
            details = self._set(details, i, fld, new)
            self.faults.append(
                Fault(
                    kind,
                    "cin_census",
                    year,
                    "cindetails",
                    ids_by_child[child_no],
                    child_no,
                    fld,
                    row[fld],
                    new,
                )
            )
        return details


def _before(ddmmyyyy: str | None, other: str) -> bool:
    if ddmmyyyy is None:
        return False
    d, m, y = ddmmyyyy.split("/")
    d2, m2, y2 = other.split("/")
    return (y, m, d) < (y2, m2, d2)
