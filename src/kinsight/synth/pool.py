"""Simulate the children looked after by one synthetic authority as arrays: children, periods of care,
episodes, reviews and missing periods over the whole span of years.

Why arrays: a national-size pool holds hundreds of thousands of children over ten years, so every step
here is a numpy operation over all children at once (no Python loop per child).  Entries are drawn
from the national mix of starts; each period of care follows a *route* (return home, adoption, special
guardianship, staying until 18 ...) whose timing decides legal status changes and placement moves, so
the stock at 31 March emerges from the flows as it does in real returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinsight.domain.years import format_year, year_end, year_start
from kinsight.synth.codearrays import is_in, starts_with, to_numbers
from kinsight.synth.config import Calibration, YearCodes, choice, in_force
from kinsight.synth.dates import OPEN, add_years, age_at, day_number, ymd

AGE_BANDS = ("0", "1-4", "5-9", "10-15", "16-17")
_BAND_YEARS = {"0": (0, 1), "1-4": (1, 5), "5-9": (5, 10), "10-15": (10, 16), "16-17": (16, 18)}
LS_CODES = ("C1", "C2", "E1", "V2", "L1", "L2", "L3", "J1", "J2", "J3")
_LS = {c: i for i, c in enumerate(LS_CODES)}
ROUTES = ("RETURN", "ADOPT", "SGO", "CAO", "AGE18", "TRANSFER", "OTHER", "AGEASSESS", "EARLYINDEP")
_ROUTE = {r: i for i, r in enumerate(ROUTES)}

# Event kinds that start an episode.
EV_START, EV_LEGAL, EV_MOVE, EV_SAME_CARER, EV_ADOPTION, EV_PARENTS, EV_RECODE = 1, 2, 4, 8, 16, 32, 64


@dataclass(frozen=True)
class Children:
    """One entry per child (index = child ordinal; ``number`` is the LA child id)."""

    number: np.ndarray
    dob: np.ndarray
    male: np.ndarray
    ethnic: np.ndarray  # object array of ETHNIC codes
    uasc: np.ndarray
    household: np.ndarray
    mother: np.ndarray  # ordinal of the mother's record, -1 if not in the data


@dataclass(frozen=True)
class Periods:
    """Periods of care (one or two per child)."""

    child: np.ndarray
    start: np.ndarray
    end: np.ndarray
    route: np.ndarray
    rec: np.ndarray  # reason ceased for the final episode
    need: np.ndarray
    first_ls: np.ndarray
    decision: np.ndarray  # DATE_PLACED (adoption decision), OPEN if none
    decision_ceased: np.ndarray  # DATE_PLACED_CEASED, OPEN if none
    match: np.ndarray  # DATE_MATCH for adopted children
    adoption_with_carer: np.ndarray


@dataclass(frozen=True)
class Episodes:
    period: np.ndarray
    child: np.ndarray
    start: np.ndarray
    end: np.ndarray
    rne: np.ndarray
    ls: np.ndarray
    place: np.ndarray
    rec: np.ndarray  # X1 or the period's reason ceased; "" if the period is still open
    reason_change: np.ndarray  # "" where not required
    ends_by_recode: np.ndarray  # the next episode only re-records a code that stopped being valid


@dataclass(frozen=True)
class Pool:
    children: Children
    periods: Periods
    episodes: Episodes
    horizon_start: int
    horizon_end: int


def _lognormal_days(rng: np.random.Generator, spec, size: int) -> np.ndarray:
    return np.maximum(1, np.rint(spec.draw(rng, size))).astype(np.int64)


def _age_days_for_bands(rng: np.random.Generator, bands: np.ndarray, newborn_share: float) -> np.ndarray:
    lo = np.array([_BAND_YEARS[b][0] for b in AGE_BANDS])[bands]
    hi = np.array([_BAND_YEARS[b][1] for b in AGE_BANDS])[bands]
    days = (lo * 365.25 + rng.random(bands.size) * (hi - lo) * 365.25).astype(np.int64)
    newborn = (bands == 0) & (rng.random(bands.size) < newborn_share)
    days[newborn] = rng.integers(0, 7, newborn.sum())
    return np.minimum(days, 18 * 365)


def _band_index(values: np.ndarray) -> np.ndarray:
    lookup = {b: i for i, b in enumerate(AGE_BANDS)}
    return to_numbers(values, lookup)


def _age_band_of(age_years: np.ndarray) -> np.ndarray:
    return np.digitize(age_years, [1, 5, 10, 16])


def _draw_by_group(
    rng: np.random.Generator, groups: np.ndarray, tables: list[dict[str, float]]
) -> np.ndarray:
    """For each element, draw a key from ``tables[group]``."""
    out = np.empty(groups.size, dtype=object)
    for g, table in enumerate(tables):
        mask = groups == g
        if mask.any():
            out[mask] = choice(rng, table, int(mask.sum()))
    return out


def simulate(cal: Calibration, codes: YearCodes, years: list[str], n_children: int, seed: int) -> Pool:
    streams = [np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence(seed).spawn(8)]
    rng_people, rng_route, rng_legal, rng_place, rng_extra, rng_mother = streams[:6]
    first = day_number(year_start(years[0]))
    last = day_number(year_end(years[-1]))
    t0 = first - int(cal.volume.burn_in_years * 365.25)
    span_years = (last - t0 + 1) / 365.25

    # --- entries: households of siblings and single UASC -------------------------------------------
    total = int(round(cal.volume.starts_per_child_in_year * n_children * span_years))
    n_uasc = int(round(total * cal.uasc.share_of_starts))
    n_local = total - n_uasc
    sizes_table = cal.household.size_shares
    mean_size = sum(k * v for k, v in sizes_table.items()) / sum(sizes_table.values())
    sizes = choice(rng_people, sizes_table, int(n_local / mean_size) + 50).astype(np.int64)
    cut = int(np.searchsorted(np.cumsum(sizes), n_local)) + 1
    sizes = sizes[:cut]
    sizes[-1] -= int(sizes.sum() - n_local)
    n_house = sizes.size
    house_entry = rng_people.integers(t0, last + 1, n_house)
    house_eth = choice(rng_people, cal.entry.ethnicity, n_house)
    local_house = np.repeat(np.arange(n_house), sizes)

    bands = _band_index(choice(rng_people, cal.entry.age_band_shares, n_local))
    age_days = _age_days_for_bands(rng_people, bands, cal.entry.newborn_share_of_under_one)
    local_entry = house_entry[local_house]
    uasc_age = choice(rng_people, cal.uasc.age_shares, n_uasc).astype(np.int64)
    uasc_age_days = (uasc_age * 365.25 + rng_people.random(n_uasc) * 360).astype(np.int64)
    uasc_entry = rng_people.integers(t0, last + 1, n_uasc)

    entry = np.concatenate([local_entry, uasc_entry])
    dob = entry - np.concatenate([age_days, uasc_age_days])
    uasc = np.concatenate([np.zeros(n_local, bool), np.ones(n_uasc, bool)])
    household = np.concatenate([local_house, n_house + np.arange(n_uasc)])
    male = np.concatenate(
        [rng_people.random(n_local) < cal.entry.male_share, rng_people.random(n_uasc) < cal.uasc.male_share]
    )
    ethnic = np.concatenate([house_eth[local_house], choice(rng_people, cal.uasc.ethnicity, n_uasc)])
    n = entry.size
    age_years = age_at(dob, entry)
    band = np.where(uasc, 4, _age_band_of(age_years))
    eighteenth = add_years(dob, 18)

    # --- routes and the planned end of each period -----------------------------------------------
    route_names = _draw_by_group(rng_route, band, [cal.routes.by_age_band[b] for b in AGE_BANDS])
    route_names[uasc] = choice(rng_route, cal.uasc.route, int(uasc.sum()))
    route = to_numbers(route_names, _ROUTE)
    duration = np.zeros(n, np.int64)
    for name, spec in cal.routes.duration_days.items():
        mask = route == _ROUTE[name]
        duration[mask] = _lognormal_days(rng_route, spec, int(mask.sum()))
    end = entry + duration
    age18 = route == _ROUTE["AGE18"]
    end[age18] = eighteenth[age18]
    over = end >= eighteenth
    route[over] = _ROUTE["AGE18"]
    end[over] = eighteenth[over]
    # Some 16-17 year olds move on to independent living before 18.
    sixteenth = add_years(dob, 16)
    early = (route == _ROUTE["AGE18"]) & (rng_route.random(n) < cal.routes.early_independence_share)
    early_start = np.maximum(entry + 60, sixteenth + 180)
    early &= early_start < eighteenth - 30
    end[early] = early_start[early] + (
        rng_route.random(int(early.sum())) * (eighteenth[early] - early_start[early])
    ).astype(np.int64)
    route[early] = _ROUTE["EARLYINDEP"]
    end = np.maximum(end, entry + 1)

    # --- re-entries after a return home -----------------------------------------------------------
    back = (route == _ROUTE["RETURN"]) & (rng_route.random(n) < cal.routes.re_entry_share_after_return)
    gap = _lognormal_days(rng_route, cal.routes.re_entry_gap_days, n)
    back &= (end + gap < eighteenth - 60) & (end + gap <= last)
    idx2 = np.flatnonzero(back)
    entry2 = end[idx2] + gap[idx2]
    age2 = age_at(dob[idx2], entry2)
    band2 = np.where(uasc[idx2], 4, _age_band_of(age2))
    r2 = _draw_by_group(rng_route, band2, [cal.routes.by_age_band[b] for b in AGE_BANDS])
    r2 = to_numbers(r2, _ROUTE)
    r2[r2 == _ROUTE["ADOPT"]] = _ROUTE["SGO"]  # keep re-entries simple: no second adoption plan
    d2 = np.zeros(idx2.size, np.int64)
    for name, spec in cal.routes.duration_days.items():
        mask = r2 == _ROUTE[name]
        d2[mask] = _lognormal_days(rng_route, spec, int(mask.sum()))
    end2 = entry2 + d2
    end2[r2 == _ROUTE["AGE18"]] = eighteenth[idx2][r2 == _ROUTE["AGE18"]]
    over2 = end2 >= eighteenth[idx2]
    r2[over2] = _ROUTE["AGE18"]
    end2[over2] = eighteenth[idx2][over2]
    end2 = np.maximum(end2, entry2 + 1)

    p_child = np.concatenate([np.arange(n), idx2])
    p_start = np.concatenate([entry, entry2])
    p_end = np.concatenate([end, end2])
    p_route = np.concatenate([route, r2])

    # Keep only periods that can touch the output years (care leavers up to 21 are needed for OC3).
    keep_child = np.zeros(n, bool)
    keep_child[p_child[p_end >= first - 5 * 366]] = True
    keep_child &= entry <= last
    order = np.flatnonzero(keep_child)
    remap = -np.ones(n, np.int64)
    remap[order] = np.arange(order.size)
    pk = keep_child[p_child] & (p_start <= last)
    p_child, p_start, p_end, p_route = remap[p_child[pk]], p_start[pk], p_end[pk], p_route[pk]
    po = np.lexsort((p_start, p_child))
    p_child, p_start, p_end, p_route = p_child[po], p_start[po], p_end[po], p_route[po]
    dob, male, ethnic, uasc, household = dob[order], male[order], ethnic[order], uasc[order], household[order]
    eighteenth = eighteenth[order]
    nc, npd = order.size, p_child.size

    # --- legal status path: up to three changes per period ----------------------------------------
    p_uasc = uasc[p_child]
    p_age = age_at(dob[p_child], p_start)
    ls0 = to_numbers(choice(rng_legal, cal.entry.legal_status, npd), _LS)
    youth = (ls0 == _LS["J1"]) | (ls0 == _LS["J2"])
    ls0[youth & (p_age < 12)] = _LS["V2"]
    ls0[p_uasc] = _LS["V2"]
    adopt_plan = p_route == _ROUTE["ADOPT"]
    ls0[adopt_plan & ~np.isin(ls0, [_LS["C1"], _LS["L1"], _LS["L2"]])] = _LS["C1"]
    youth = (ls0 == _LS["J1"]) | (ls0 == _LS["J2"])
    # Remand ends in custody or release.
    p_route[youth & (p_route != _ROUTE["AGE18"])] = _ROUTE["OTHER"]
    # PACE accommodation lasts at most a day (rule 364).
    pace = ls0 == _LS["J2"]
    p_end[pace] = np.minimum(p_end[pace], p_start[pace] + 1)
    p_route[pace] = _ROUTE["OTHER"]

    prot = (ls0 == _LS["L1"]) | (ls0 == _LS["L2"])
    t1 = np.full(npd, OPEN)
    ls1 = ls0.copy()
    prot_days = np.where(ls0 == _LS["L1"], cal.legal.protection_days["L1"], cal.legal.protection_days["L2"])
    t1[prot] = p_start[prot] + rng_legal.integers(1, prot_days[prot] + 1)
    after = to_numbers(choice(rng_legal, cal.legal.after_protection, npd), _LS)
    ls1[prot] = after[prot]
    ls1[prot & (p_route == _ROUTE["ADOPT"])] = _LS["C1"]
    base1 = np.where(prot, t1, p_start)

    long_stay = np.isin(p_route, [_ROUTE["AGE18"], _ROUTE["SGO"], _ROUTE["CAO"]])
    court_share = np.where(long_stay, cal.legal.v2_to_court_share_long_stay, cal.legal.v2_to_court_share)
    to_court = (ls1 == _LS["V2"]) & ~p_uasc & (rng_legal.random(npd) < court_share)
    t2 = np.full(npd, OPEN)
    t2[to_court] = base1[to_court] + _lognormal_days(
        rng_legal, cal.legal.v2_to_court_days, int(to_court.sum())
    )
    ls2 = np.where(to_court, _LS["C1"], ls1)
    base2 = np.where(to_court, t2, base1)

    in_court = ls2 == _LS["C1"]
    t3 = np.full(npd, OPEN)
    t3[in_court] = base2[in_court] + _lognormal_days(
        rng_legal, cal.legal.proceedings_days, int(in_court.sum())
    )
    adopt = p_route == _ROUTE["ADOPT"]
    ls3 = np.where(in_court, np.where(adopt, _LS["E1"], _LS["C2"]), ls2)

    # Adoption timetable: decision before the placement order, placed, then adopted.
    placed = np.full(npd, OPEN)
    decision = np.full(npd, OPEN)
    decision_ceased = np.full(npd, OPEN)
    match = np.full(npd, OPEN)
    a = np.flatnonzero(adopt)
    t3[a] = np.minimum(t3[a], p_end[a] - 120)
    t3[a] = np.maximum(t3[a], base2[a] + 30)
    before_exit = _lognormal_days(rng_legal, cal.legal.adoption_placed_before_exit_days, a.size)
    placed[a] = np.maximum(p_end[a] - before_exit, t3[a] + 14)
    p_end[a] = np.maximum(p_end[a], placed[a] + 70)
    p_end[a] = np.minimum(p_end[a], eighteenth[p_child[a]] - 1)
    decision[a] = np.maximum(p_start[a] + 1, t3[a] - rng_legal.integers(7, 60, a.size))
    match[a] = np.maximum(decision[a] + 1, placed[a] - rng_legal.integers(7, 45, a.size))
    with_carer = np.zeros(npd, bool)
    with_carer[a] = rng_legal.random(a.size) < cal.legal.adoption_with_current_carer_share
    # Reversed adoption plans: young children whose route became special guardianship or long-term care.
    rev = (
        ((p_route == _ROUTE["SGO"]) | (p_route == _ROUTE["AGE18"]))
        & (p_age < 5)
        & in_court
        & (rng_legal.random(npd) < cal.legal.adoption_reversal_share)
    )
    rev &= t3 + 200 < p_end
    decision[rev] = t3[rev] - rng_legal.integers(7, 60, int(rev.sum()))
    decision_ceased[rev] = t3[rev] + rng_legal.integers(60, 190, int(rev.sum()))
    decision[rev] = np.maximum(decision[rev], p_start[rev] + 1)

    # Placed with parents before a care order is discharged.
    ret = p_route == _ROUTE["RETURN"]
    pwp_len = _lognormal_days(rng_extra, cal.placement.placed_with_parents_days, npd)
    pwp = (
        ret
        & (ls3 == _LS["C2"])
        & (rng_extra.random(npd) < cal.placement.placed_with_parents_before_return_share)
    )
    pwp_time = np.full(npd, OPEN)
    pwp_time[pwp] = p_end[pwp] - pwp_len[pwp]
    pwp &= pwp_time > t3 + 14
    pwp_time[~pwp] = OPEN

    # Legal changes only count if they happen before the period ends.
    t1[t1 >= p_end] = OPEN
    t2[t2 >= p_end] = OPEN
    t3[t3 >= p_end] = OPEN
    ls3 = np.where(t3 == OPEN, ls2, ls3)
    ls2 = np.where(t2 == OPEN, ls1, ls2)
    ls1 = np.where(t1 == OPEN, ls0, ls1)

    # Reason ceased for each period.
    rec = np.empty(npd, dtype=object)
    for name, shares in cal.routes.reasons.items():
        mask = p_route == _ROUTE[name]
        rec[mask] = choice(rng_route, shares, int(mask.sum()))
    early_mask = p_route == _ROUTE["EARLYINDEP"]
    rec[early_mask] = np.where(rng_route.random(int(early_mask.sum())) < 0.8, "E5", "E6")
    remand = (ls3 == _LS["J1"]) | (ls3 == _LS["J2"])
    rec[remand & (p_route == _ROUTE["OTHER"])] = np.where(
        rng_route.random(int((remand & (p_route == _ROUTE["OTHER"])).sum())) < 0.6, "E14", "E9"
    )
    rec[(p_route == _ROUTE["OTHER"]) & ~remand & ((rec == "E14") | (rec == "E9"))] = "E8"
    # Only a care order can be placed with parents before discharge; E4A is the care-planned return.
    rec[pwp] = "E4A"
    need = choice(rng_legal, cal.entry.need, npd)
    need[p_uasc] = "N8"

    # --- events that start episodes ------------------------------------------------------------------
    horizon = last
    p_stop = np.minimum(p_end, horizon + 1)
    move_rate = np.array(
        [cal.placement.moves_per_year[k] for k in ("0-4", "0-4", "5-9", "10-15", "16-17")], dtype=float
    )[_age_band_of(p_age)]
    lengths = np.maximum(p_stop - p_start, 0)
    n_moves = rng_place.poisson(move_rate * lengths / 365.25)
    early_move = (rng_place.random(npd) < cal.placement.early_move_share) & (lengths > 80)
    m_period = np.repeat(np.arange(npd), n_moves)
    m_time = (
        p_start[m_period]
        + 1
        + (rng_place.random(m_period.size) * np.maximum(lengths[m_period] - 1, 1)).astype(np.int64)
    )
    e_period = np.flatnonzero(early_move)
    e_time = p_start[e_period] + rng_place.integers(3, 70, e_period.size)
    mv_period = np.concatenate([m_period, e_period])
    mv_time = np.concatenate([m_time, e_time])
    # No ordinary moves once placed for adoption or placed back with parents.
    cutoff = np.minimum(placed, pwp_time)
    ok = mv_time < cutoff[mv_period]
    mv_period, mv_time = mv_period[ok], mv_time[ok]
    same = rng_place.random(mv_period.size) < cal.placement.same_carer_share_of_moves
    mv_kind = np.where(same, EV_SAME_CARER, EV_MOVE)

    ev_period = [np.arange(npd), mv_period]
    ev_time = [p_start, mv_time]
    ev_kind = [np.full(npd, EV_START), mv_kind]
    for t in (t1, t2, t3):
        has = np.flatnonzero(t < OPEN)
        ev_period.append(has)
        ev_time.append(t[has])
        # A legal change often comes with a move on the same day (RNE B).
        with_move = (rng_place.random(has.size) < 0.3) & (t[has] < cutoff[has])
        ev_kind.append(np.where(with_move, EV_LEGAL | EV_MOVE, EV_LEGAL))
    has = np.flatnonzero(adopt & (placed < p_end))
    ev_period.append(has)
    ev_time.append(placed[has])
    ev_kind.append(np.full(has.size, EV_ADOPTION))
    has = np.flatnonzero(pwp)
    ev_period.append(has)
    ev_time.append(pwp_time[has])
    ev_kind.append(np.full(has.size, EV_PARENTS))
    # A placement code may stop being valid on 1 April: re-record open placements on that day.
    for boundary in _recode_boundaries(codes, years):
        has = np.flatnonzero((p_start < boundary) & (p_end > boundary))
        ev_period.append(has)
        ev_time.append(np.full(has.size, boundary))
        ev_kind.append(np.full(has.size, EV_RECODE))
    e_p = np.concatenate(ev_period)
    e_t = np.concatenate(ev_time)
    e_k = np.concatenate(ev_kind)
    keep = (e_t < p_end[e_p]) & (e_t <= horizon)
    e_p, e_t, e_k = e_p[keep], e_t[keep], e_k[keep]
    o = np.lexsort((e_t, e_p))
    e_p, e_t, e_k = e_p[o], e_t[o], e_k[o]
    key_change = np.ones(e_p.size, bool)
    key_change[1:] = (e_p[1:] != e_p[:-1]) | (e_t[1:] != e_t[:-1])
    starts = np.flatnonzero(key_change)
    kinds = np.bitwise_or.reduceat(e_k, starts)
    ep_p, ep_t = e_p[starts], e_t[starts]

    episodes = _build_episodes(
        cal,
        codes,
        rng_place,
        ep_p,
        ep_t,
        kinds,
        p_child,
        p_start,
        p_end,
        p_route,
        rec,
        (t1, t2, t3),
        (ls0, ls1, ls2, ls3),
        dob,
        uasc,
        with_carer,
    )
    mother = _link_mothers(cal, rng_mother, dob, male, uasc, p_child, p_start, p_end)
    children = Children(
        number=np.arange(nc, dtype=np.int64),
        dob=dob,
        male=male,
        ethnic=ethnic,
        uasc=uasc,
        household=household,
        mother=mother,
    )
    periods = Periods(
        child=p_child,
        start=p_start,
        end=p_end,
        route=p_route,
        rec=rec,
        need=need,
        first_ls=ls0,
        decision=decision,
        decision_ceased=decision_ceased,
        match=match,
        adoption_with_carer=with_carer,
    )
    return Pool(children=children, periods=periods, episodes=episodes, horizon_start=first, horizon_end=last)


def _recode_boundaries(codes: YearCodes, years: list[str]) -> list[int]:
    """31 March before each requested year in which some placement code of the previous year stops.

    The re-recording happens on the last day of the old year, with a code valid in both years: the open
    episode at 31 March is then the same in both returns (rules 502 and 503A-503F) and carries a code
    valid in each (rule 146).
    """
    out = []
    for prev, year in zip(years, years[1:], strict=False):
        for entries in codes.placement_groups.values():
            before = {e.code for e in in_force(entries, prev)}
            now = {e.code for e in in_force(entries, year)}
            if before - now:
                out.append(day_number(year_start(year)) - 1)
                break
    return out


def _placement_code(
    codes: YearCodes, rng: np.random.Generator, group: np.ndarray, when: np.ndarray
) -> np.ndarray:
    """Turn year-dependent placement groups (SUPPORTED, INDEP, OTHERPL) into the code valid then."""
    out = group.copy()
    if not group.size:
        return out
    y, m, _ = ymd(when)
    start_year = np.where(m >= 4, y, y - 1)
    for name, entries in codes.placement_groups.items():
        mask = group == name
        if not mask.any():
            continue
        for sy in np.unique(start_year[mask]):
            sel = np.flatnonzero(mask & (start_year == sy))
            valid = in_force(entries, format_year(int(sy)))
            out[sel] = choice(rng, {e.code: e.weight for e in valid}, sel.size)
    return out


def _group_of_code(codes: YearCodes) -> dict[str, str]:
    return {e.code: name for name, entries in codes.placement_groups.items() for e in entries}


def _build_episodes(
    cal: Calibration,
    codes: YearCodes,
    rng: np.random.Generator,
    ep_p: np.ndarray,
    ep_t: np.ndarray,
    kinds: np.ndarray,
    p_child: np.ndarray,
    p_start: np.ndarray,
    p_end: np.ndarray,
    p_route: np.ndarray,
    p_rec: np.ndarray,
    times: tuple[np.ndarray, np.ndarray, np.ndarray],
    statuses: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    dob: np.ndarray,
    uasc: np.ndarray,
    with_carer: np.ndarray,
) -> Episodes:
    t1, t2, t3 = times
    ls0, ls1, ls2, ls3 = statuses
    p = ep_p
    t = ep_t
    ls_idx = np.where(t >= t3[p], ls3[p], np.where(t >= t2[p], ls2[p], np.where(t >= t1[p], ls1[p], ls0[p])))
    ls = np.array(LS_CODES, dtype=object)[ls_idx]

    child = p_child[p]
    age = age_at(dob[child], t)
    band = np.digitize(age, [5, 10, 16])
    tables = [cal.placement.by_age[k] for k in ("0-4", "5-9", "10-15", "16-17")]
    drawn = _draw_by_group(rng, band, tables)
    uasc16 = uasc[child] & (age >= 16)
    drawn[uasc16] = choice(rng, cal.placement.uasc_16_plus, int(uasc16.sum()))
    # Children on an adoption plan stay in foster care until placed for adoption.
    on_adopt = p_route[p] == _ROUTE["ADOPT"]
    not_foster = ~starts_with(drawn, "U")
    drawn[on_adopt & not_foster] = "U6"
    drawn = _placement_code(codes, rng, drawn, t)
    # A child accommodated under section 20 (V2) is not placed with parents (rule 378).
    v2_period = (ls0 == _LS["V2"]) | (ls1 == _LS["V2"])
    drawn[(drawn == "P1") & v2_period[p]] = "U4"

    new_place = (kinds & (EV_START | EV_MOVE)) > 0
    same_carer = ((kinds & EV_SAME_CARER) > 0) & ~new_place
    adoption = (kinds & EV_ADOPTION) > 0
    parents = (kinds & EV_PARENTS) > 0
    recode = (kinds & EV_RECODE) > 0
    legal = (kinds & EV_LEGAL) > 0

    # Forward-fill the placement through events that do not choose a new one.
    chooses = new_place | adoption | parents
    place = np.where(chooses, drawn, None)
    place[adoption] = np.where(with_carer[p[adoption]], "A5", "A6")
    place[parents] = "P1"
    place = _forward_fill(place, chooses)
    # Same-carer changes: foster placements becoming long-term (U6->U4, U3->U1).
    long_term = {"U6": "U4", "U3": "U1", "U5": "U4", "U2": "U1"}
    prev_place = np.empty(place.size, dtype=object)
    prev_place[1:] = place[:-1]
    prev_place[0] = None
    first_of_period = np.ones(p.size, bool)
    first_of_period[1:] = p[1:] != p[:-1]
    prev_place[first_of_period] = None
    sc_idx = np.flatnonzero(same_carer)
    new_codes = np.array([long_term.get(prev_place[i]) for i in sc_idx], dtype=object)
    becomes_move = np.array([c is None for c in new_codes], dtype=bool)
    same_carer[sc_idx[becomes_move]] = False
    # A same-carer change that cannot be expressed becomes an ordinary move with a freshly drawn code.
    place[sc_idx[becomes_move]] = drawn[sc_idx[becomes_move]]
    new_place[sc_idx[becomes_move]] = True
    place[sc_idx[~becomes_move]] = new_codes[~becomes_move]
    fixed = new_place | adoption | parents | same_carer
    place = _forward_fill(np.where(fixed, place, None), fixed)
    # A second same-carer change in a period may find the placement already long-term: no change then.
    before = np.r_[None, place[:-1]]
    unchanged = same_carer & ~first_of_period & (place == before)
    same_carer &= ~unchanged
    # Going home to parents while already at home is no move (rule 435: same postcode, same code).
    home_again = ~first_of_period & (place == "P1") & (before == "P1")
    new_place &= ~home_again
    parents &= ~home_again
    # Re-record, on 31 March, codes that stop being valid the next day (see ``_recode_boundaries``).
    group_of = _group_of_code(codes)
    recoded = np.zeros(p.size, bool)
    rc_move = np.zeros(p.size, bool)
    if recode.any():
        ri = np.flatnonzero(recode & ~fixed)
        place_rc = place.copy()
        groups = np.array([group_of.get(c, "") for c in place[ri]], dtype=object)
        y, m, _ = ymd(t[ri] + 1)
        new_year = np.where(m >= 4, y, y - 1)
        for name, entries in codes.placement_groups.items():
            for ny in np.unique(new_year):
                sel = ri[(groups == name) & (new_year == ny)]
                if not sel.size:
                    continue
                now = in_force(entries, format_year(int(ny)))
                before = {
                    e.code
                    for group_entries in codes.placement_groups.values()
                    for e in in_force(group_entries, format_year(int(ny) - 1))
                }
                stale = sel[~np.isin(place[sel], [e.code for e in now])]
                if not stale.size:
                    continue
                recoded[stale] = True
                bridge = {e.code: e.weight for e in now if e.code in before}
                if bridge:
                    place_rc[stale] = choice(rng, bridge, stale.size)
                else:
                    # No code carries on: the child moves to another placement that day.
                    rc_move[stale] = True
                    place_rc[stale] = choice(rng, codes.retired_code_moves[name], stale.size)
        fixed2 = fixed | recoded
        place = _forward_fill(np.where(fixed2, place_rc, None), fixed2)
        new_place |= rc_move
        recoded &= ~rc_move
        # Recode events that changed nothing are not episodes.
        drop = recode & ~fixed & ~recoded & ~rc_move & ~legal
        keep = ~drop
        p, t, ls, place = p[keep], t[keep], ls[keep], place[keep]
        new_place, same_carer, adoption, parents = (
            new_place[keep],
            same_carer[keep],
            adoption[keep],
            parents[keep],
        )
        legal, recoded, kinds = legal[keep], recoded[keep], kinds[keep]
        first_of_period = np.ones(p.size, bool)
        first_of_period[1:] = p[1:] != p[:-1]

    # RNE: S start; L legal only; P new carer; T same carer; B legal + new carer; U legal + same carer.
    moved_new = new_place | parents | (adoption & ~with_carer[p])
    moved_same = same_carer | recoded | (adoption & with_carer[p])
    ls_changed = legal.copy()
    ls_changed[1:] &= ls[1:] != ls[:-1]
    rne = np.full(p.size, "L", dtype=object)
    rne[moved_new] = "P"
    rne[moved_same & ~moved_new] = "T"
    rne[ls_changed & moved_new] = "B"
    rne[ls_changed & moved_same & ~moved_new] = "U"
    start_ep = (kinds & EV_START) > 0
    rne[start_ep] = "S"
    # An event that changes neither legal status nor placement is not an episode.
    real = start_ep | ls_changed | moved_new | moved_same
    p, t, ls, place, rne = p[real], t[real], ls[real], place[real], rne[real]
    moved_same, adoption_kept = moved_same[real], adoption[real]
    recoded_kept = recoded[real] & ~ls_changed[real] & ~moved_new[real]
    parents_kept = parents[real]
    last_of_period = np.ones(p.size, bool)
    last_of_period[:-1] = p[:-1] != p[1:]
    end = np.empty(p.size, np.int64)
    end[:-1] = t[1:]
    end[last_of_period] = p_end[p[last_of_period]]
    rec = np.full(p.size, "X1", dtype=object)
    rec[last_of_period] = p_rec[p[last_of_period]]
    # A special guardianship order to former foster carers needs a foster placement (rule 516); from
    # any other placement the guardian is another carer (E45 -> E47, E46 -> E48).
    not_foster = ~starts_with(place, "U")
    rec[(rec == "E45") & not_foster] = "E47"
    rec[(rec == "E46") & not_foster] = "E48"
    # Reason for a placement change, on the episode that ends with a move.
    next_rne = np.empty(p.size, dtype=object)
    next_rne[:-1] = rne[1:]
    next_rne[last_of_period] = None
    moving = is_in(next_rne, ["P", "B", "T", "U"]) & ~last_of_period
    reason = np.full(p.size, "", dtype=object)
    reason[moving] = choice(rng, cal.placement.reasons_for_change, int(moving.sum()))
    next_same = np.zeros(p.size, bool)
    next_same[:-1] = moved_same[1:]
    reason[moving & next_same] = "PLACE"
    next_planned = np.zeros(p.size, bool)
    next_planned[:-1] = adoption_kept[1:] | parents_kept[1:]
    reason[moving & next_planned] = "CARPL"
    ends_by_recode = np.zeros(p.size, bool)
    ends_by_recode[:-1] = recoded_kept[1:] & ~last_of_period[:-1]
    return Episodes(
        ends_by_recode=ends_by_recode,
        period=p,
        child=p_child[p],
        start=t,
        end=end,
        rne=rne,
        ls=ls,
        place=place,
        rec=rec,
        reason_change=reason,
    )


def _forward_fill(values: np.ndarray, has: np.ndarray) -> np.ndarray:
    idx = np.where(has, np.arange(values.size), 0)
    np.maximum.accumulate(idx, out=idx)
    return values[idx]


def _link_mothers(
    cal: Calibration,
    rng: np.random.Generator,
    dob: np.ndarray,
    male: np.ndarray,
    uasc: np.ndarray,
    p_child: np.ndarray,
    p_start: np.ndarray,
    p_end: np.ndarray,
) -> np.ndarray:
    """Pick, for a few babies, a mother among the authority's own girls aged 16-20 at the birth.

    The link is kept only if the mother was looked after when the baby was born: that is what the
    MOTHER and MC_DOB fields record, and a birth after she left care contradicts rules 625 and 626.
    """
    mother = -np.ones(dob.size, np.int64)
    first_start = np.full(dob.size, OPEN)
    np.minimum.at(first_start, p_child, p_start)
    baby = (first_start - dob < 365) & ~uasc
    baby &= rng.random(dob.size) < cal.mothers.baby_with_looked_after_mother_share
    girls = np.flatnonzero(~male & ~uasc)
    girls = girls[np.argsort(dob[girls], kind="stable")]
    gdob = dob[girls]
    babies = np.flatnonzero(baby)
    lo = np.searchsorted(gdob, dob[babies] - int(20 * 365.25))
    hi = np.searchsorted(gdob, dob[babies] - int(16 * 365.25))
    ok = hi > lo
    pick = lo[ok] + (rng.random(int(ok.sum())) * (hi[ok] - lo[ok])).astype(np.int64)
    chosen, born = girls[pick], dob[babies[ok]]
    lo = np.searchsorted(p_child, chosen, "left")
    hi = np.searchsorted(p_child, chosen, "right")
    in_care = np.zeros(chosen.size, bool)
    for k in range(int((hi - lo).max()) if chosen.size else 0):
        idx = np.minimum(lo + k, p_child.size - 1)
        in_care |= (lo + k < hi) & (p_start[idx] <= born) & (p_end[idx] > born)
    mother[babies[ok][in_care]] = chosen[in_care]
    return mother
