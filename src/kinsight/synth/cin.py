"""The CIN census of the synthetic authority: simulate referrals, assessments, section 47 enquiries,
child protection plans and CIN plans as arrays, then write each year's XML in the DfE structure.

Every child looked after also has a CIN episode covering their period of care (same child id, so a
search joins the two returns).  Children in need who are never looked after are added at the national
ratio.  ``cinxml`` writes each year's flat tables as XML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from kinsight.domain.years import year_end, year_start
from kinsight.synth.codearrays import to_numbers
from kinsight.synth.config import Calibration, YearCodes, choice, in_force
from kinsight.synth.dates import (
    NO_DATE,
    OPEN,
    add_working_days,
    add_years,
    age_at,
    day_number,
    text_series,
    to_text,
    weekday_on_or_after,
)
from kinsight.synth.pool import _ROUTE, Pool

_BAND_YEARS = {"0": (0, 1), "1-4": (1, 5), "5-9": (5, 10), "10-15": (10, 16), "16-17": (16, 18)}
_CLOSE_BY_ROUTE = {"ADOPT": "RC1", "SGO": "RC4", "CAO": "RC3", "TRANSFER": "RC5"}


@dataclass
class CinData:
    child: np.ndarray  # ordinal into the combined child arrays
    referral: np.ndarray
    closure: np.ndarray
    source: np.ndarray
    need: np.ndarray
    nfa: np.ndarray
    reason: np.ndarray
    a_ep: np.ndarray
    a_start: np.ndarray
    a_auth: np.ndarray
    f_assess: np.ndarray
    f_code: np.ndarray  # number of the factor in ``factor_codes``
    factor_codes: list[str]
    p_ep: np.ndarray
    p_start: np.ndarray
    p_end: np.ndarray
    s_ep: np.ndarray
    s_start: np.ndarray
    s_target: np.ndarray
    s_icpc: np.ndarray
    c_ep: np.ndarray
    c_start: np.ndarray
    c_end: np.ndarray
    c_cat: np.ndarray
    c_prev: np.ndarray
    r_cpp: np.ndarray
    r_date: np.ndarray
    valid: np.ndarray  # False for an episode that would overlap the child's previous one (left out)
    extra_dob: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    extra_male: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    extra_ethnic: np.ndarray = field(default_factory=lambda: np.zeros(0, object))
    disability: np.ndarray = field(default_factory=lambda: np.zeros(0, object))


def simulate_cin(cal: Calibration, pool: Pool, n_children: int, seed: int) -> CinData:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 1234])))
    c = cal.cin
    per, ch = pool.periods, pool.children
    first, last = pool.horizon_start, pool.horizon_end
    n_pool = ch.dob.size

    # Episodes for children looked after: the referral shortly before care, closed when care ends.
    second = np.r_[False, per.child[1:] == per.child[:-1]]
    gap = np.where(second, 0, rng.integers(0, 60, per.start.size))
    la_ref = np.maximum(per.start - gap, ch.dob[per.child])
    la_close = np.where(per.end <= last, per.end, OPEN)
    la_reason = np.array(
        [_CLOSE_BY_ROUTE.get(r, "RC7") for r in np.array(list(_ROUTE))[per.route]], dtype=object
    )
    la_reason[per.rec == "E7"] = "RC6"
    la_reason[per.rec == "E2"] = "RC2"
    court = np.isin(per.first_ls, [0, 4, 5])  # C1, L1, L2

    # Children in need never looked after, at the national ratio.
    span = (last - first + 1 + 730) / 365.25
    mean_len = c.episode_days.median * np.exp(c.episode_days.sigma**2 / 2)
    n_first = int(
        round((cal.volume.cin_children_per_cla_child - 1) * n_children * span / (1 + mean_len / 365.25))
    )
    x_ref = rng.integers(first - 730, last + 1, n_first)
    bands = choice(rng, c.age_band_shares, n_first)
    band_no = to_numbers(bands, {b: i for i, b in enumerate(_BAND_YEARS)})
    lo = np.array([first for first, _ in _BAND_YEARS.values()])[band_no]
    hi = np.array([last for _, last in _BAND_YEARS.values()])[band_no]
    x_dob = x_ref - (lo * 365.25 + rng.random(n_first) * (hi - lo) * 365.25).astype(np.int64)
    x_male = rng.random(n_first) < 0.52
    x_eth = choice(rng, cal.entry.ethnicity, n_first)
    x_child = n_pool + np.arange(n_first)

    n_x = n_first
    x_len = np.maximum(1, np.rint(c.episode_days.draw(rng, n_x))).astype(np.int64)
    x_close = x_ref + x_len
    x_close = np.minimum(x_close, add_years(x_dob, 18))
    x_close = np.maximum(x_close, x_ref)
    # Re-referrals of the same child after the first episode closed.
    again = (rng.random(n_x) < c.re_referral_share) & (x_close + 10 < last)
    r_idx = np.flatnonzero(again)
    r_ref = x_close[r_idx] + rng.integers(10, 365, r_idx.size)
    r_len = np.maximum(1, np.rint(c.episode_days.draw(rng, r_idx.size))).astype(np.int64)
    r_close = np.maximum(np.minimum(r_ref + r_len, add_years(x_dob[r_idx], 18)), r_ref)

    child = np.concatenate([per.child, x_child, x_child[r_idx]])
    referral = np.concatenate([la_ref, x_ref, r_ref])
    closure = np.concatenate([la_close, x_close, r_close])
    closure = np.where(closure > last, OPEN, closure)
    is_la = np.r_[np.ones(per.start.size, bool), np.zeros(n_x + r_idx.size, bool)]
    ne = child.size
    need = np.concatenate([per.need, choice(rng, c.primary_need, n_x + r_idx.size)])
    source = choice(rng, c.referral_source, ne)
    nfa = ~is_la & (rng.random(ne) < c.referral_nfa_share)
    closure[nfa] = referral[nfa]
    reason = np.concatenate([la_reason, np.full(n_x + r_idx.size, "RC7", dtype=object)])
    not_in_need = ~is_la & ~nfa & (rng.random(ne) < c.not_in_need_share)

    # Assessments for every episode that was not closed at referral.
    assessed = ~nfa
    a_ep = np.flatnonzero(assessed)
    a_start = referral[a_ep] + rng.integers(0, 6, a_ep.size)
    # Assessments take weeks, not a whole year (an unfinished assessment must start in the census year).
    a_len = np.clip(np.rint(c.assessment_days.draw(rng, a_ep.size)), 1, 300).astype(np.int64)
    a_auth = a_start + a_len
    # An episode closes no earlier than its assessment is authorised.
    closure[a_ep] = np.where(closure[a_ep] < OPEN, np.maximum(closure[a_ep], a_auth), OPEN)
    nin = not_in_need[a_ep]
    closure[a_ep[nin]] = np.where(
        a_auth[nin] + 3 <= last, a_auth[nin] + rng.integers(0, 4, int(nin.sum())), OPEN
    )
    reason[a_ep[nin]] = np.where(rng.random(int(nin.sum())) < 0.6, "RC8", "RC9")
    # Factors: each drawn independently with its national share; "21" when not in need.
    codes = list(c.factors)
    probs = np.array(list(c.factors.values()))
    # Factors stay code numbers (into ``factor_codes``) until the text is needed.
    factor_codes = codes if "21" in codes else [*codes, "21"]
    f_assess, f_code = _draw_factors(rng, probs, nin, factor_codes, codes.index("20"))

    # Section 47 enquiries, conferences and child protection plans.
    in_need = assessed & ~not_in_need
    p_s47 = np.where(
        is_la, np.where(court[np.minimum(np.arange(ne), per.start.size - 1)], 0.6, 0.15), c.s47_share / 0.63
    )
    s47 = in_need & (rng.random(ne) < p_s47)
    s_ep = np.flatnonzero(s47)
    s_start = referral[s_ep] + rng.integers(0, 8, s_ep.size)
    # The conference is due within 15 working days; conferences are held on working days.
    s_target = add_working_days(s_start, 15)
    icpc = rng.random(s_ep.size) < c.icpc_share_of_s47 / 0.7
    s_icpc = np.where(icpc, weekday_on_or_after(s_start + rng.integers(8, 21, s_ep.size)), NO_DATE)
    cpp = icpc & (rng.random(s_ep.size) < c.cpp_share_of_icpc)
    c_ep = s_ep[cpp]
    c_start = s_icpc[cpp]
    c_len = np.maximum(30, np.rint(c.cpp_days.draw(rng, c_ep.size))).astype(np.int64)
    c_end = c_start + c_len
    # For looked after children the plan ends when care starts.
    la_c = is_la[c_ep]
    c_end[la_c] = np.maximum(per.start[c_ep[la_c]], c_start[la_c] + 1)
    ep_close = closure[c_ep]
    c_end = np.where(ep_close < OPEN, np.minimum(c_end, ep_close), c_end)
    c_end = np.where(c_end > last, OPEN, c_end)
    keep = c_start < np.where(ep_close < OPEN, ep_close, OPEN)
    keep &= c_start <= last
    c_ep, c_start, c_end = c_ep[keep], c_start[keep], c_end[keep]
    c_cat = choice(rng, c.cpp_category, c_ep.size)
    c_prev = np.where(rng.random(c_ep.size) < c.cpp_previous_share, rng.integers(1, 3, c_ep.size), 0).astype(
        str
    )
    # The ICPC date on the episode; closure cannot come before the conference.
    icpc_of_ep = np.full(ne, NO_DATE)
    icpc_of_ep[s_ep] = s_icpc
    closure = np.where((closure < OPEN) & (icpc_of_ep != NO_DATE), np.maximum(closure, icpc_of_ep), closure)
    # For children looked after, the CIN episode starts before any conference.
    referral_fix = referral.copy()
    # Reviews: within 3 months of the plan starting, then every 6 months while the plan lasts.
    stop = np.minimum(c_end, last + 1)
    n_rev = np.maximum(0, 1 + (stop - c_start - 90) // 180)
    n_rev = np.where(stop - c_start > 90, n_rev, 0)
    r_cpp = np.repeat(np.arange(c_ep.size), n_rev)
    first_of = np.r_[0, np.cumsum(n_rev)[:-1]]
    k = np.arange(r_cpp.size) - first_of[r_cpp]
    r_date = c_start[r_cpp] + 80 + k * 180 + rng.integers(0, 10, r_cpp.size)
    ok = r_date < stop[r_cpp]
    r_cpp, r_date = r_cpp[ok], r_date[ok]

    # CIN plans for children in need without a protection plan (or after one ends); not while looked after.
    has_cpp = np.zeros(ne, bool)
    has_cpp[c_ep] = True
    plan = in_need & ~is_la
    p_ep = np.flatnonzero(plan)
    a_of_ep = np.full(ne, OPEN)
    a_of_ep[a_ep] = a_auth
    cpp_end_of = np.full(ne, NO_DATE)
    cpp_end_of[c_ep] = c_end
    p_start = np.where(has_cpp[p_ep], cpp_end_of[p_ep], a_of_ep[p_ep] + rng.integers(0, 10, p_ep.size))
    p_end = closure[p_ep]
    ok = (p_start < OPEN) & (p_start <= last) & ((p_end == OPEN) | (p_start < p_end))
    p_ep, p_start, p_end = p_ep[ok], p_start[ok], p_end[ok]

    valid = _no_overlap(child, referral_fix, closure)
    disability = choice(rng, c.disabilities, n_pool + n_first)
    disabled = rng.random(n_pool + n_first) < c.disabled_share
    disability = np.where(disabled, disability, "NONE")
    return CinData(
        child=child,
        referral=referral_fix,
        closure=closure,
        source=source,
        need=need,
        nfa=nfa,
        reason=reason,
        a_ep=a_ep,
        a_start=a_start,
        a_auth=a_auth,
        f_assess=f_assess,
        f_code=f_code,
        factor_codes=factor_codes,
        p_ep=p_ep,
        p_start=p_start,
        p_end=p_end,
        s_ep=s_ep,
        s_start=s_start,
        s_target=s_target,
        s_icpc=s_icpc,
        c_ep=c_ep,
        c_start=c_start,
        c_end=c_end,
        c_cat=c_cat,
        c_prev=c_prev,
        r_cpp=r_cpp,
        r_date=r_date,
        valid=valid,
        extra_dob=x_dob,
        extra_male=x_male,
        extra_ethnic=x_eth,
        disability=np.asarray(disability, dtype=object),
    )


def _draw_factors(
    rng: np.random.Generator,
    probs: np.ndarray,
    not_in_need: np.ndarray,
    factor_codes: list[str],
    fallback: int,
    chunk: int = 65_536,
) -> tuple[np.ndarray, np.ndarray]:
    """(assessment, factor number) of every factor recorded, by assessment and then by code text.

    Each factor is drawn with its own share ("20" when none is found); an assessment that found the
    child not in need records "21" alone.  Drawn a block of assessments at a time (the same numbers as
    one big draw), so neither the uniform matrix nor the sort ever covers more than ``chunk``
    assessments: at national size there are tens of millions of factor draws.
    """
    n = not_in_need.size
    code_21 = factor_codes.index("21")
    # Rank of each code in text order (the DfE files list factors as sorted text).
    rank = np.argsort(np.argsort(np.array(factor_codes, dtype=str), kind="stable"), kind="stable")
    assess, found = [np.zeros(0, np.int32)], [np.zeros(0, np.int16)]
    for start in range(0, n, chunk):
        hits = rng.random((min(chunk, n - start), probs.size)) < probs
        hits[~hits.any(axis=1), fallback] = True
        rows, cols = np.nonzero(hits)
        rows += start
        keep = ~not_in_need[rows]
        nin_rows = start + np.flatnonzero(not_in_need[start : start + hits.shape[0]])
        rows = np.concatenate([rows[keep], nin_rows])
        cols = np.concatenate([cols[keep], np.full(nin_rows.size, code_21)])
        order = np.lexsort((rank[cols], rows))
        assess.append(rows[order].astype(np.int32))
        found.append(cols[order].astype(np.int16))
    return np.concatenate(assess), np.concatenate(found)


def _no_overlap(child: np.ndarray, referral: np.ndarray, closure: np.ndarray) -> np.ndarray:
    """Keep an episode only if it starts after the child's previous episode closed.

    Closures are pushed back to the assessment and the conference, so a re-referral drawn before those
    adjustments can end up inside the earlier episode; a child has one episode at a time (rule 8815).
    """
    order = np.lexsort((referral, child))
    valid = np.ones(child.size, bool)
    same = child[order][1:] == child[order][:-1]
    prev_close = closure[order][:-1]
    clash = same & ((prev_close >= OPEN) | (referral[order][1:] <= prev_close))
    valid[order[1:][clash]] = False
    return valid


def _iso(days: np.ndarray, ye: int) -> pl.Series:
    return to_text(np.where((days <= ye) & (days != NO_DATE), days, NO_DATE), "%Y-%m-%d")


@dataclass(frozen=True)
class CinYear:
    """The flat tables of one year's CIN census before they become XML (faults are injected here)."""

    children: pl.DataFrame
    details: pl.DataFrame
    assessments: pl.DataFrame
    factors: pl.DataFrame
    plans: pl.DataFrame
    s47: pl.DataFrame
    cpps: pl.DataFrame
    reviews: pl.DataFrame


def build_cin_year(
    codes: YearCodes,
    cd: CinData,
    year: str,
    ids: pl.Series,
    dob: np.ndarray,
    male: np.ndarray,
    ethnic: np.ndarray,
    upn: pl.Series,
    upn_unknown: np.ndarray,
) -> CinYear:
    ys, ye = day_number(year_start(year)), day_number(year_end(year))
    sel = cd.valid & (cd.referral <= ye) & ((cd.closure == OPEN) | (cd.closure >= ys))
    ep = np.flatnonzero(sel)
    ep = ep[np.lexsort((cd.referral[ep], cd.child[ep]))]
    kids, first_idx = np.unique(cd.child[ep], return_index=True)
    # The Child ordinal in the file (1-based), in child id order.
    ordinal = np.full(len(ids), -1)
    ordinal[kids] = np.arange(1, kids.size + 1)
    ep_pos = np.full(cd.child.size, -1)
    ep_pos[ep] = np.arange(ep.size)
    male_code = in_force(codes.sex_cin["male"], year)[0].code
    female_code = in_force(codes.sex_cin["female"], year)[0].code
    age_end = age_at(dob[kids], np.full(kids.size, ye))
    unk = upn_unknown[kids].copy()
    u = upn.gather(kids).scatter(np.flatnonzero((unk != "") | (age_end < 5)), None)
    unk[(unk == "") & (age_end < 5)] = "UN1"
    unk = np.where(unk == "", None, unk)
    children = pl.DataFrame(
        {
            "_child": ordinal[kids],
            "LAchildID": ids.gather(kids).alias("LAchildID"),
            "UPN": u.alias("UPN"),
            "UPNunknown": text_series(np.asarray(unk, dtype=object).tolist()),
            "PersonBirthDate": to_text(dob[kids], "%Y-%m-%d"),
            "Sex": text_series(np.where(male[kids], male_code, female_code)),
            "Ethnicity": text_series(ethnic[kids]),
            "Disability": text_series(cd.disability[kids]),
        }
    )
    closed = (cd.closure[ep] != OPEN) & (cd.closure[ep] <= ye)
    details = pl.DataFrame(
        {
            "_child": ordinal[cd.child[ep]],
            "_ep": ep,
            "CINreferralDate": to_text(cd.referral[ep], "%Y-%m-%d"),
            "ReferralSource": text_series(cd.source[ep]),
            "PrimaryNeedCode": text_series(cd.need[ep]),
            "CINclosureDate": _iso(np.where(closed, cd.closure[ep], NO_DATE), ye),
            "ReasonForClosure": text_series(np.where(closed, cd.reason[ep], None).tolist()),
            # The conference is recorded once, on its section 47 enquiry (rule 2884).
            "DateOfInitialCPC": pl.Series([None] * ep.size, dtype=pl.String),
            "ReferralNFA": text_series(np.where(cd.nfa[ep], "true", "false")),
        }
    )

    def nested(ep_arr: np.ndarray, start: np.ndarray, active: np.ndarray) -> np.ndarray:
        """Records of the year's episodes that started by 31 March and were still active in the year:
        the census carries nothing that ended before 1 April (rules 8696, 8715, 8930)."""
        return np.flatnonzero((ep_pos[ep_arr] >= 0) & (start <= ye) & active)

    a = nested(cd.a_ep, cd.a_start, cd.a_auth >= ys)
    assessments = pl.DataFrame(
        {
            "_ep": cd.a_ep[a],
            "_a": a,
            "AssessmentActualStartDate": _iso(cd.a_start[a], ye),
            "AssessmentAuthorisationDate": _iso(cd.a_auth[a], ye),
        }
    )
    # Factors belong to completed assessments only (rule 8614).
    completed = np.zeros(cd.a_ep.size, bool)
    completed[a[cd.a_auth[a] <= ye]] = True
    f_keep = completed[cd.f_assess]
    factor_text = pl.Series("AssessmentFactors", cd.factor_codes, dtype=pl.String)
    factors = pl.DataFrame(
        {"_a": cd.f_assess[f_keep], "AssessmentFactors": factor_text.gather(cd.f_code[f_keep])}
    )
    p = nested(cd.p_ep, cd.p_start, (cd.p_end >= OPEN) | (cd.p_end >= ys))
    plans = pl.DataFrame(
        {
            "_ep": cd.p_ep[p],
            "CINPlanStartDate": _iso(cd.p_start[p], ye),
            "CINPlanEndDate": _iso(cd.p_end[p], ye),
        }
    )
    s_icpc_in_year = (cd.s_icpc >= ys) & (cd.s_icpc <= ye)
    s = nested(cd.s_ep, cd.s_start, (cd.s_start >= ys) | s_icpc_in_year)
    s47 = pl.DataFrame(
        {
            "_ep": cd.s_ep[s],
            "S47ActualStartDate": _iso(cd.s_start[s], ye),
            "InitialCPCtarget": _iso(cd.s_target[s], OPEN),
            "DateOfInitialCPC": _iso(cd.s_icpc[s], ye),
            "ICPCnotRequired": text_series(np.where(cd.s_icpc[s] == NO_DATE, "true", "false")),
        }
    )
    cp = nested(cd.c_ep, cd.c_start, (cd.c_end >= OPEN) | (cd.c_end >= ys))
    cpps = pl.DataFrame(
        {
            "_ep": cd.c_ep[cp],
            "_c": cp,
            "CPPstartDate": _iso(cd.c_start[cp], ye),
            "CPPendDate": _iso(cd.c_end[cp], ye),
            "InitialCategoryOfAbuse": text_series(cd.c_cat[cp]),
            "LatestCategoryOfAbuse": text_series(cd.c_cat[cp]),
            "NumberOfPreviousCPP": text_series(cd.c_prev[cp]),
        }
    )
    in_year_plan = np.zeros(cd.c_ep.size, bool)
    in_year_plan[cp] = True
    rv = np.flatnonzero(in_year_plan[cd.r_cpp] & (cd.r_date >= ys) & (cd.r_date <= ye))
    reviews = pl.DataFrame({"_c": cd.r_cpp[rv], "CPPreviewDate": _iso(cd.r_date[rv], ye)})
    return CinYear(children, details, assessments, factors, plans, s47, cpps, reviews)
