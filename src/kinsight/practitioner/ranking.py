"""Tolerant matching and ranking, with the reason for every match in words.

Names are matched over the index's vocabularies (a few thousand distinct names), each vocabulary
entry getting a kind of match (exact, a known variant, starts with, sounds alike, a typo) and a
similarity from 0 to 100; a child's name score is then a look-up by code.  Several words are tried
against forename and surname in every order, so "Smith Kate" finds Kate Smith.  A date of birth
matches exactly, with day and month swapped, with one digit wrong, or partly (month and year, or the
year).  Points are added up and shown as a share of what the query could score at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from kinsight.practitioner.index import SearchIndex, day_number
from kinsight.practitioner.names import soundex, variants_of
from kinsight.practitioner.query import Query

TYPO_CUTOFF = 70.0

SURNAME_POINTS = 35.0
FORENAME_POINTS = 25.0
DOB_POINTS = 30.0
POSTCODE_POINTS = 15.0
IDENTIFIER_POINTS = 100.0


class NameMatch(IntEnum):
    NONE = 0
    TYPO = 1
    SOUNDS = 2
    STARTS = 3
    VARIANT = 4
    EXACT = 5


class DobMatch(IntEnum):
    NONE = 0
    YEAR = 1
    MONTH_YEAR = 2
    ONE_DIGIT = 3
    SWAPPED = 4
    EXACT = 5


_NAME_SCORE = {
    NameMatch.EXACT: 100.0,
    NameMatch.VARIANT: 92.0,
    NameMatch.STARTS: 85.0,
    NameMatch.SOUNDS: 85.0,
}
_DOB_SHARE = {
    DobMatch.EXACT: 1.0,
    DobMatch.SWAPPED: 0.8,
    DobMatch.ONE_DIGIT: 0.65,
    DobMatch.MONTH_YEAR: 0.5,
    DobMatch.YEAR: 0.3,
}


@dataclass(frozen=True)
class Match:
    """One ranked child: its index row, score (0-100) and the reasons in words."""

    row: int
    child: str
    score: float
    why: tuple[str, ...]


@dataclass(frozen=True)
class _VocabMatch:
    kind: np.ndarray  # NameMatch per vocabulary entry
    score: np.ndarray  # 0-100 per vocabulary entry


def match_vocabulary(token: str, vocab: list[str], sounds: list[str], *, forenames: bool) -> _VocabMatch:
    """How well ``token`` (folded) matches each entry of a name vocabulary."""
    n = len(vocab)
    kind = np.zeros(n, dtype=np.int8)
    score = np.zeros(n, dtype=np.float32)
    if n == 0 or not token:
        return _VocabMatch(kind, score)
    ratio = process.cdist([token], vocab, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, workers=1)[0]
    osa = process.cdist(
        [token], vocab, scorer=OSA.normalized_similarity, score_cutoff=TYPO_CUTOFF / 100, workers=1
    )[0]
    typo = np.maximum(ratio, osa * 100).astype(np.float32)
    hit = typo >= TYPO_CUTOFF
    kind[hit] = NameMatch.TYPO
    score[hit] = typo[hit]
    code = soundex(token)
    if len(token) >= 3:
        for i, value in enumerate(sounds):
            if value == code and score[i] < _NAME_SCORE[NameMatch.SOUNDS]:
                kind[i], score[i] = NameMatch.SOUNDS, _NAME_SCORE[NameMatch.SOUNDS]
    if len(token) >= 2:
        # a fragment ("smi") says more as "starts with" than as a typo, so it wins over TYPO and SOUNDS
        for i, value in enumerate(vocab):
            if value != token and value.startswith(token):
                kind[i], score[i] = NameMatch.STARTS, max(float(score[i]), _NAME_SCORE[NameMatch.STARTS])
    if forenames:
        others = variants_of(token)
        if others:
            for i, value in enumerate(vocab):
                if value in others:
                    kind[i], score[i] = NameMatch.VARIANT, _NAME_SCORE[NameMatch.VARIANT]
    exact = np.fromiter((v == token for v in vocab), dtype=bool, count=n)
    kind[exact] = NameMatch.EXACT
    score[exact] = 100.0
    return _VocabMatch(kind, score)


def _one_digit_dates(target: date) -> list[date]:
    """Real dates whose DD/MM/YYYY text differs from ``target``'s in exactly one digit."""
    text = target.strftime("%d%m%Y")
    found = []
    for pos, old in enumerate(text):
        for digit in "0123456789":
            if digit == old:
                continue
            changed = text[:pos] + digit + text[pos + 1 :]
            try:
                found.append(date(int(changed[4:]), int(changed[2:4]), int(changed[:2])))
            except ValueError:
                continue
    return found


def _month_bounds(year: int, month: int) -> tuple[int, int]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return day_number(first), day_number(following - timedelta(days=1))


@dataclass
class _Scored:
    rows: np.ndarray
    points: np.ndarray
    maximum: float


def _candidates(
    index: SearchIndex, query: Query, fore: list[_VocabMatch], sur: list[_VocabMatch]
) -> np.ndarray:
    pieces: list[np.ndarray] = []
    for vm in fore:
        pieces.append(index.by_fore.rows_many(np.flatnonzero(vm.kind)))
    for vm in sur:
        pieces.append(index.by_sur.rows_many(np.flatnonzero(vm.kind)))
    dob = query.dob
    if dob is not None:
        exact = dob.as_date()
        if exact is not None:
            days = [exact, *([dob.swapped()] if dob.swapped() else []), *_one_digit_dates(exact)]
            for value in days:
                pieces.append(index.rows_born_on(day_number(value)))
        elif dob.month is not None and 1 <= dob.month <= 12:
            pieces.append(index.rows_born_between(*_month_bounds(dob.year, dob.month)))
        else:
            pieces.append(
                index.rows_born_between(day_number(date(dob.year, 1, 1)), day_number(date(dob.year, 12, 31)))
            )
    if query.postcode:
        code = _code(index.pc_vocab, query.postcode)
        pieces.append(index.by_pc.rows(code))
    if query.outward:
        pieces.append(index.by_out.rows(_code(index.out_vocab, query.outward)))
    for ident in query.identifiers:
        row = index.row_of.get(ident)
        if row is None:
            row = index.row_of.get(ident.upper())
        if row is not None:
            pieces.append(np.array([row], dtype=np.int32))
    for upn in query.upns:
        pieces.append(np.array(index.upn_rows.get(upn, []), dtype=np.int32))
    if not pieces:
        return np.empty(0, dtype=np.int32)
    return np.unique(np.concatenate(pieces))


_VOCAB_POSITIONS: dict[int, dict[str, int]] = {}


def _code(vocab: list[str], value: str) -> int:
    positions = _VOCAB_POSITIONS.get(id(vocab))
    if positions is None or len(positions) != len(vocab):
        positions = _VOCAB_POSITIONS[id(vocab)] = {v: i for i, v in enumerate(vocab)}
    return positions.get(value, -1)


def _name_points(
    index: SearchIndex, rows: np.ndarray, fore: list[_VocabMatch], sur: list[_VocabMatch]
) -> tuple[np.ndarray, np.ndarray, float]:
    """Best assignment of name words to forename/surname per row: points and the assignment chosen."""
    k = len(fore)
    if k == 0:
        return np.zeros(rows.size, dtype=np.float32), np.zeros(rows.size, dtype=np.int16), 0.0
    fcodes = index.fore_code[rows]
    scodes = index.sur_code[rows]
    f_scores = [np.where(fcodes >= 0, vm.score[np.maximum(fcodes, 0)], 0.0) for vm in fore]
    s_scores = [np.where(scodes >= 0, vm.score[np.maximum(scodes, 0)], 0.0) for vm in sur]
    best = np.zeros(rows.size, dtype=np.float32)
    choice = np.zeros(rows.size, dtype=np.int16)
    # one word alone may be either name, so a forename then counts as much as a surname would
    fore_weight = FORENAME_POINTS if k > 1 else SURNAME_POINTS
    for number, (f, s) in enumerate(_assignments(k)):
        points = np.zeros(rows.size, dtype=np.float32)
        if f >= 0:
            points += fore_weight * f_scores[f] / 100.0
        if s >= 0:
            points += SURNAME_POINTS * s_scores[s] / 100.0
        better = points > best
        best[better] = points[better]
        choice[better] = number
    maximum = SURNAME_POINTS + (FORENAME_POINTS if k > 1 else 0.0)
    return best, choice, maximum


def _assignments(k: int) -> list[tuple[int, int]]:
    """Every way to read ``k`` name words: which is the forename and which the surname (-1: none)."""
    return [(f, s) for f in range(-1, k) for s in range(-1, k) if f != s or f == -1]


def _dob_kinds(index: SearchIndex, rows: np.ndarray, query: Query) -> np.ndarray:
    kinds = np.zeros(rows.size, dtype=np.int8)
    dob = query.dob
    if dob is None:
        return kinds
    days = index.dob[rows]
    years = index.year[rows]
    kinds[years == dob.year] = DobMatch.YEAR
    if dob.month is not None and 1 <= dob.month <= 12:
        lo, hi = _month_bounds(dob.year, dob.month)
        kinds[(days >= lo) & (days <= hi)] = DobMatch.MONTH_YEAR
    exact = dob.as_date()
    if exact is not None:
        near = np.array([day_number(d) for d in _one_digit_dates(exact)], dtype=np.int32)
        kinds[np.isin(days, near)] = DobMatch.ONE_DIGIT
        swapped = dob.swapped()
        if swapped is not None:
            kinds[days == day_number(swapped)] = DobMatch.SWAPPED
        kinds[days == day_number(exact)] = DobMatch.EXACT
    return kinds


def rank(
    index: SearchIndex,
    query: Query,
    *,
    allowed: np.ndarray | None = None,
    limit: int = 10,
    min_score: float = 0.0,
) -> list[Match]:
    """The best ``limit`` children for ``query``; ``allowed`` (a boolean mask by row) narrows the pool."""
    if query.empty or index.size == 0:
        return []
    fore = [match_vocabulary(t, index.fore_vocab, index.fore_soundex, forenames=True) for t in query.names]
    sur = [match_vocabulary(t, index.sur_vocab, index.sur_soundex, forenames=False) for t in query.names]
    rows = _candidates(index, query, fore, sur)
    if allowed is not None and rows.size:
        rows = rows[allowed[rows]]
    if rows.size == 0:
        return []
    name_pts, choice, maximum = _name_points(index, rows, fore, sur)
    points = name_pts.copy()
    dob_kind = _dob_kinds(index, rows, query)
    if query.dob is not None:
        share = np.zeros(rows.size, dtype=np.float32)
        for kind, value in _DOB_SHARE.items():
            share[dob_kind == kind] = value
        points += DOB_POINTS * share
        maximum += DOB_POINTS
    pc_full = np.zeros(rows.size, dtype=bool)
    pc_out = np.zeros(rows.size, dtype=bool)
    if query.postcode or query.outward:
        if query.postcode:
            pc_full = index.pc_code[rows] == _code(index.pc_vocab, query.postcode)
        if query.outward:
            pc_out = index.out_code[rows] == _code(index.out_vocab, query.outward)
        points += np.where(pc_full, POSTCODE_POINTS, np.where(pc_out, POSTCODE_POINTS / 3, 0.0))
        maximum += POSTCODE_POINTS
    ident = np.zeros(rows.size, dtype=bool)
    if query.identifiers or query.upns:
        wanted = {index.row_of[i] for i in query.identifiers if i in index.row_of}
        for upn in query.upns:
            wanted.update(index.upn_rows.get(upn, []))
        ident = np.isin(rows, np.fromiter(wanted, dtype=np.int32, count=len(wanted)))
        points += np.where(ident, IDENTIFIER_POINTS, 0.0)
    # an identifier match is certain; otherwise the score is a share of what the query could score
    score = np.where(ident, 100.0, 100.0 * points / maximum if maximum else 0.0)
    score = np.minimum(score, 100.0)
    keep = score >= min_score
    rows, score, choice, dob_kind, pc_full, pc_out, ident = (
        a[keep] for a in (rows, score, choice, dob_kind, pc_full, pc_out, ident)
    )
    if rows.size == 0:
        return []
    top = min(limit, rows.size)
    # highest score first; ties broken by child ID so the order is stable
    order = np.lexsort((index.child[rows].astype(str), -score))[:top]
    options = _assignments(len(query.names))
    found = []
    for i in order:
        row = int(rows[i])
        why = _reasons(
            index,
            row,
            query,
            fore,
            sur,
            options[int(choice[i])],
            DobMatch(int(dob_kind[i])),
            bool(pc_full[i]),
            bool(pc_out[i]),
            bool(ident[i]),
        )
        found.append(Match(row, str(index.child[row]), round(float(score[i]), 1), why))
    return found


def _name_reason(label: str, typed: str, held: str | None, kind: NameMatch) -> str | None:
    shown = held or ""
    if kind == NameMatch.EXACT:
        return f"{label} matches ({shown})"
    if kind == NameMatch.VARIANT:
        return f"{label} {shown} is another form of '{typed}'"
    if kind == NameMatch.STARTS:
        return f"{label} {shown} starts with '{typed}'"
    if kind == NameMatch.SOUNDS:
        return f"{label} {shown} sounds like '{typed}'"
    if kind == NameMatch.TYPO:
        return f"{label} {shown} is close to '{typed}' (a letter or two differ)"
    return None


def _reasons(
    index: SearchIndex,
    row: int,
    query: Query,
    fore: list[_VocabMatch],
    sur: list[_VocabMatch],
    assignment: tuple[int, int],
    dob_kind: DobMatch,
    pc_full: bool,
    pc_out: bool,
    ident: bool,
) -> tuple[str, ...]:
    why: list[str] = []
    child = str(index.child[row])
    if ident:
        if any(index.row_of.get(i) == row for i in query.identifiers):
            why.append("Child ID matches")
        if any(row in index.upn_rows.get(u, []) for u in query.upns):
            why.append("UPN matches")
    f, s = assignment
    if s >= 0 and index.sur_code[row] >= 0:
        reason = _name_reason(
            "Surname", query.names[s], index.surname[row], NameMatch(int(sur[s].kind[index.sur_code[row]]))
        )
        if reason:
            why.append(reason)
    if f >= 0 and index.fore_code[row] >= 0:
        kind = NameMatch(int(fore[f].kind[index.fore_code[row]]))
        reason = _name_reason("Forename", query.names[f], index.forename[row], kind)
        if reason:
            why.append(reason)
    if query.dob is not None and dob_kind != DobMatch.NONE:
        born = index.dob_of(row)
        words = {
            DobMatch.EXACT: "Date of birth matches",
            DobMatch.SWAPPED: "Date of birth matches with day and month swapped",
            DobMatch.ONE_DIGIT: "Date of birth differs by one digit",
            DobMatch.MONTH_YEAR: f"Born in {born:%B %Y}" if born else "Born in that month",
            DobMatch.YEAR: f"Born in {query.dob.year}",
        }
        why.append(words[dob_kind])
    if pc_full:
        why.append("Postcode matches")
    elif pc_out:
        why.append(f"Same postcode district ({query.outward})")
    if not why:
        why.append(f"Record {child} shares part of what was typed")
    return tuple(why)
