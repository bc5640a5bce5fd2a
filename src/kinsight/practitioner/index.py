"""The compact in-memory search index: one row per child, names and places as integer codes.

Built once per store version from the ``identities_people`` table (names and addresses), the SSDA903
``header`` (UPN, and MC_DOB for young mothers) and the CIN ``childidentifiers`` (UPN).  Names are
coded against a vocabulary of distinct folded names, so fuzzy matching runs over the vocabulary (a
few thousand names) rather than over every child; an inverted list per code then gives the rows.
Dates of birth are integer day numbers sorted once, so an exact, swapped or one-digit-off date is a
binary search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import polars as pl

from kinsight.practitioner.names import fold, soundex

EPOCH = date(1970, 1, 1)
_UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[A-Z\d]$", re.IGNORECASE)
NO_DATE = np.iinfo(np.int32).min

#: Columns ``build_index`` expects in the frame it is given (missing optional ones are filled).
COLUMNS = (
    "CHILD",
    "FORENAME",
    "SURNAME",
    "DOB",
    "ADDRESS",
    "POSTCODE",
    "UPN",
    "MOTHER_CHILD",
    "SIBLING_GROUP",
    "HOUSEHOLD",
    "MC_DOB",
)


class Inverted:
    """Rows by integer code: ``rows(code)`` is every row holding that code (codes are 0..n-1, -1 = none)."""

    def __init__(self, codes: np.ndarray, size: int) -> None:
        valid = codes >= 0
        rows = np.flatnonzero(valid).astype(np.int32)
        order = np.argsort(codes[valid], kind="stable")
        self._rows = rows[order]
        counts = np.bincount(codes[valid], minlength=size)
        self._starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    def rows(self, code: int) -> np.ndarray:
        if code < 0 or code + 1 >= self._starts.size:
            return np.empty(0, dtype=np.int32)
        return self._rows[self._starts[code] : self._starts[code + 1]]

    def rows_many(self, codes: np.ndarray) -> np.ndarray:
        if codes.size == 0:
            return np.empty(0, dtype=np.int32)
        return np.concatenate([self.rows(int(c)) for c in codes])


def _encode(values: list[str | None]) -> tuple[np.ndarray, list[str]]:
    """Integer codes for values (-1 for blank) and the vocabulary, in first-seen order."""
    vocab: dict[str, int] = {}
    codes = np.empty(len(values), dtype=np.int32)
    for i, value in enumerate(values):
        if not value:
            codes[i] = -1
            continue
        code = vocab.get(value)
        if code is None:
            code = vocab[value] = len(vocab)
        codes[i] = code
    return codes, list(vocab)


def day_number(value: date | None) -> int:
    return NO_DATE if value is None else (value - EPOCH).days


def postcode_key(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def address_key(address: str | None, postcode: str | None) -> str:
    text = " ".join(fold(word) for word in (address or "").split())
    return f"{text}|{postcode_key(postcode)}" if text else ""


@dataclass
class SearchIndex:
    """Everything the search needs, as numpy arrays and small vocabularies."""

    child: np.ndarray  # object array of child IDs
    forename: list[str | None]
    surname: list[str | None]
    address: list[str | None]
    postcode: list[str | None]
    upn: list[str | None]
    fore_code: np.ndarray
    fore_vocab: list[str]
    fore_soundex: list[str]
    sur_code: np.ndarray
    sur_vocab: list[str]
    sur_soundex: list[str]
    dob: np.ndarray  # int32 day numbers, NO_DATE when unknown
    dob_order: np.ndarray  # row numbers sorted by dob
    dob_sorted: np.ndarray
    year: np.ndarray
    pc_code: np.ndarray
    pc_vocab: list[str]
    out_code: np.ndarray
    out_vocab: list[str]
    by_fore: Inverted
    by_sur: Inverted
    by_pc: Inverted
    by_out: Inverted
    by_household: Inverted
    household_code: np.ndarray
    by_sibling: Inverted
    sibling_code: np.ndarray
    by_address: Inverted
    address_code: np.ndarray
    mother_row: np.ndarray  # row of the child's mother, -1 when not known
    mc_dob: np.ndarray  # day number of the child's own child (903 MC_DOB), NO_DATE when none
    row_of: dict[str, int]
    upn_rows: dict[str, list[int]]
    version: str = ""

    @property
    def size(self) -> int:
        return int(self.child.size)

    def dob_of(self, row: int) -> date | None:
        value = int(self.dob[row])
        return None if value == NO_DATE else date.fromordinal(EPOCH.toordinal() + value)

    def rows_born_on(self, day: int) -> np.ndarray:
        lo = np.searchsorted(self.dob_sorted, day, side="left")
        hi = np.searchsorted(self.dob_sorted, day, side="right")
        return self.dob_order[lo:hi]

    def rows_born_between(self, first: int, last: int) -> np.ndarray:
        lo = np.searchsorted(self.dob_sorted, first, side="left")
        hi = np.searchsorted(self.dob_sorted, last, side="right")
        return self.dob_order[lo:hi]


def build_index(frame: pl.DataFrame, *, version: str = "") -> SearchIndex:
    """Index one row per child.  ``frame`` has the ``COLUMNS`` (DOB and MC_DOB as dates)."""
    for name in COLUMNS:
        if name not in frame.columns:
            dtype = pl.Date if name in ("DOB", "MC_DOB") else pl.String
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(name))
    frame = frame.unique("CHILD", keep="first", maintain_order=True).sort("CHILD")
    child = np.array(frame.get_column("CHILD").to_list(), dtype=object)
    forename = frame.get_column("FORENAME").to_list()
    surname = frame.get_column("SURNAME").to_list()
    fore_code, fore_vocab = _encode([fold(v) if v else None for v in forename])
    sur_code, sur_vocab = _encode([fold(v) if v else None for v in surname])
    epoch = pl.lit(EPOCH)
    dob = (
        frame.select((pl.col("DOB") - epoch).dt.total_days().fill_null(NO_DATE).cast(pl.Int32))
        .to_series()
        .to_numpy()
        .copy()
    )
    mc_dob = (
        frame.select((pl.col("MC_DOB") - epoch).dt.total_days().fill_null(NO_DATE).cast(pl.Int32))
        .to_series()
        .to_numpy()
        .copy()
    )
    years = frame.select(pl.col("DOB").dt.year().fill_null(0).cast(pl.Int32)).to_series().to_numpy()
    order = np.argsort(dob, kind="stable").astype(np.int32)
    postcodes = frame.get_column("POSTCODE").to_list()
    pc_code, pc_vocab = _encode([postcode_key(v) or None for v in postcodes])
    out_code, out_vocab = _encode([(v.split()[0].upper() if v and v.split() else None) for v in postcodes])
    addresses = frame.get_column("ADDRESS").to_list()
    address_code, address_vocab = _encode(
        [address_key(a, p) or None for a, p in zip(addresses, postcodes, strict=True)]
    )
    household_code, household_vocab = _encode(frame.get_column("HOUSEHOLD").to_list())
    sibling_code, sibling_vocab = _encode(frame.get_column("SIBLING_GROUP").to_list())
    row_of = {str(c): i for i, c in enumerate(child)}
    mother_row = np.array(
        [row_of.get(str(m), -1) if m else -1 for m in frame.get_column("MOTHER_CHILD").to_list()],
        dtype=np.int32,
    )
    upns = [v if v and _UPN_SHAPE.match(str(v)) else None for v in frame.get_column("UPN").to_list()]
    upn_rows: dict[str, list[int]] = {}
    for i, value in enumerate(upns):
        if value:
            upn_rows.setdefault(str(value).upper(), []).append(i)
    return SearchIndex(
        child=child,
        forename=forename,
        surname=surname,
        address=addresses,
        postcode=postcodes,
        upn=upns,
        fore_code=fore_code,
        fore_vocab=fore_vocab,
        fore_soundex=[soundex(v) for v in fore_vocab],
        sur_code=sur_code,
        sur_vocab=sur_vocab,
        sur_soundex=[soundex(v) for v in sur_vocab],
        dob=dob,
        dob_order=order,
        dob_sorted=dob[order],
        year=years,
        pc_code=pc_code,
        pc_vocab=pc_vocab,
        out_code=out_code,
        out_vocab=out_vocab,
        by_fore=Inverted(fore_code, len(fore_vocab)),
        by_sur=Inverted(sur_code, len(sur_vocab)),
        by_pc=Inverted(pc_code, len(pc_vocab)),
        by_out=Inverted(out_code, len(out_vocab)),
        by_household=Inverted(household_code, len(household_vocab)),
        household_code=household_code,
        by_sibling=Inverted(sibling_code, len(sibling_vocab)),
        sibling_code=sibling_code,
        by_address=Inverted(address_code, len(address_vocab)),
        address_code=address_code,
        mother_row=mother_row,
        mc_dob=mc_dob,
        row_of=row_of,
        upn_rows=upn_rows,
        version=version,
    )


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def people_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per child known to any source, with the newest name, address and identifiers held."""
    tables = _tables(con)
    parts: list[str] = []
    if "identities_people" in tables:
        parts.append("SELECT CHILD FROM identities_people")
    if "ssda903_header" in tables:
        parts.append("SELECT CHILD FROM ssda903_header")
    if "cin_census_childidentifiers" in tables:
        parts.append("SELECT LAchildID AS CHILD FROM cin_census_childidentifiers")
    if not parts:
        empty = {name: pl.Date if name in ("DOB", "MC_DOB") else pl.String for name in COLUMNS}
        return pl.DataFrame(schema=empty)
    people = (
        """SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY collection_year DESC, _row)
           AS _n FROM identities_people) WHERE _n = 1"""
        if "identities_people" in tables
        else None
    )
    header = (
        """SELECT CHILD, arg_max(DOB, collection_year) FILTER (WHERE DOB IS NOT NULL) AS DOB,
                  arg_max(UPN, collection_year) FILTER (WHERE UPN IS NOT NULL) AS UPN,
                  arg_max(MC_DOB, collection_year) FILTER (WHERE MOTHER = '1' AND MC_DOB IS NOT NULL)
                    AS MC_DOB
           FROM ssda903_header GROUP BY CHILD"""
        if "ssda903_header" in tables
        else None
    )
    cin = (
        """SELECT LAchildID AS CHILD,
                  arg_max(PersonBirthDate, collection_year) FILTER (WHERE PersonBirthDate IS NOT NULL) AS DOB,
                  arg_max(UPN, collection_year) FILTER (WHERE UPN IS NOT NULL) AS UPN
           FROM cin_census_childidentifiers GROUP BY LAchildID"""
        if "cin_census_childidentifiers" in tables
        else None
    )
    sql = f"WITH ids AS (SELECT DISTINCT CHILD FROM ({' UNION ALL '.join(parts)}) WHERE CHILD IS NOT NULL)"
    joins = ""
    cols = ["ids.CHILD"]
    dob_parts, upn_parts = [], []
    if people:
        sql += f", p AS ({people})"
        joins += " LEFT JOIN p ON p.CHILD = ids.CHILD"
        cols += [
            "p.FORENAME",
            "p.SURNAME",
            "p.ADDRESS",
            "p.POSTCODE",
            "p.MOTHER_CHILD",
            "p.SIBLING_GROUP",
            "p.HOUSEHOLD",
        ]
        dob_parts.append("p.DOB")
    if header:
        sql += f", h AS ({header})"
        joins += " LEFT JOIN h ON h.CHILD = ids.CHILD"
        dob_parts.append("h.DOB")
        upn_parts.append("h.UPN")
        cols.append("h.MC_DOB")
    if cin:
        sql += f", c AS ({cin})"
        joins += " LEFT JOIN c ON c.CHILD = ids.CHILD"
        dob_parts.append("c.DOB")
        upn_parts.append("c.UPN")
    cols.append(f"coalesce({', '.join(dob_parts)}) AS DOB" if dob_parts else "CAST(NULL AS DATE) AS DOB")
    cols.append(f"coalesce({', '.join(upn_parts)}) AS UPN" if upn_parts else "CAST(NULL AS VARCHAR) AS UPN")
    sql += f" SELECT {', '.join(cols)} FROM ids{joins} ORDER BY ids.CHILD"
    return con.sql(sql).pl()
