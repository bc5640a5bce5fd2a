"""Turn the simulated pool into each collection year's SSDA903 tables, as the DfE's CSV files.

Everything a year's return holds is derived from the pool with array filters: the episodes open at any
time in the year (an episode open at 31 March appears in both years), the reviews, missing periods and
social worker episodes dated in the year, OC2 for children looked after 12 months at 31 March, OC3 for
former relevant children around their 17th to 21st birthdays, and so on.  Tables are polars frames of
text, columns exactly as the DfE names and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from kinsight.domain.years import year_end, year_start
from kinsight.synth.codearrays import is_in, to_codes
from kinsight.synth.config import Calibration, YearCodes, choice, in_force
from kinsight.synth.dates import NO_DATE, OPEN, add_years, age_at, day_number, to_text
from kinsight.synth.pool import Pool

COLUMNS: dict[str, list[str]] = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": [
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ],
    "reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "uasc": ["CHILD", "SEX", "DOB", "DUC"],
    "oc2": [
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ],
    "oc3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "ad1": ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"],
    "placedadoption": ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
    "prevperm": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "swepisodes": ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
}
TABLES = tuple(COLUMNS)

_PROVIDER_GROUP = {
    **{c: "KINSHIP" for c in ("U1", "U2", "U3")},
    **{c: "FOSTER" for c in ("U4", "U5", "U6")},
    **{c: "ADOPTION" for c in ("A3", "A4", "A5", "A6")},
    **{c: "HOME" for c in ("K1", "K2", "S1", "R1", "R3")},
    **{c: "SUPPORTED" for c in ("H5", "K3", "P2")},
    **{c: "PUBLIC" for c in ("R2", "R5", "P3")},
    "P1": "PARENT",
}
_NO_PROVIDER = {"Z1", "Z11", "Z12", "Z13", "Z14", "T0", "T1", "T2", "T3"}
_NO_URN = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"}
# Rule 218 asks for a URN here, rule 222 forbids a real one: the DfE's "not known" value satisfies both.
_URN_NOT_KNOWN = {"H5", "P2"}
_NEW_CARER = ("S", "P", "B")
_UPN_LETTERS = np.array(list("ABCDEFGHJKLMNPQRTUVWXYZ"))


def padded(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + the number zero-padded to ``width`` digits, as an object array of str.

    Built with polars string kernels: numpy's ``np.char`` functions loop in Python per element.
    """
    series = pl.Series(np.asarray(numbers, dtype=np.int64)).cast(pl.String).str.zfill(width)
    return (prefix + series).to_numpy().astype(object)


def child_id_column(numbers: np.ndarray) -> pl.Series:
    """The LA child identifiers (alphanumeric, at most 20 characters, the same in every return) as a
    text column: no Python string per child, as at national size there are millions of them."""
    series = pl.Series("CHILD", np.asarray(numbers, dtype=np.int64)).cast(pl.String).str.zfill(7)
    return ("KS" + series).alias("CHILD")


def upn_check_letter(body: np.ndarray) -> np.ndarray:
    """Check letters for 12-character UPN bodies (characters 2-13), all digits here.

    Weights 2..13 by position, sum modulo 23, indexed into the 23 letters without I, O and S.
    """
    digits = np.frombuffer("".join(body).encode(), dtype=np.uint8).reshape(len(body), 12) - ord("0")
    total = (digits.astype(np.int64) * np.arange(2, 14)).sum(axis=1)
    return _UPN_LETTERS[total % 23]


def make_upns(numbers: np.ndarray, la_code: str) -> np.ndarray:
    """UPNs: check letter, the LA code, then a nine-digit serial derived from the child number."""
    if numbers.size == 0:
        return np.zeros(0, dtype=object)
    return upn_column(numbers, la_code).to_numpy().astype(object)


def upn_column(numbers: np.ndarray, la_code: str) -> pl.Series:
    """``make_upns`` as a text column."""
    if numbers.size == 0:
        return pl.Series("UPN", [], dtype=pl.String)
    serial = (numbers.astype(np.int64) * 7919 + 104729) % 10**9
    # Weighted digit sum computed arithmetically: weights 2-4 for the LA code, 5-13 for the serial.
    la_total = sum(int(ch) * w for ch, w in zip(la_code, range(2, 5), strict=True))
    total = np.full(serial.size, la_total, dtype=np.int64)
    for k in range(9):
        total += (serial // 10 ** (8 - k) % 10) * (5 + k)
    letters = pl.Series(_UPN_LETTERS.tolist(), dtype=pl.String).gather(total % 23)
    body = pl.Series(serial).cast(pl.String).str.zfill(9)
    return (letters + la_code + body).alias("UPN")


@dataclass(frozen=True)
class Derived:
    """Pool-wide records that are filtered per year: reviews, missing periods, social worker episodes."""

    rv_child: np.ndarray
    rv_date: np.ndarray
    rv_code: np.ndarray
    ms_child: np.ndarray
    ms_start: np.ndarray
    ms_end: np.ndarray
    ms_kind: np.ndarray
    sw_child: np.ndarray
    sw_start: np.ndarray
    sw_end: np.ndarray
    sw_id: np.ndarray
    sw_reason: np.ndarray
    ep_provider: np.ndarray
    ep_urn: np.ndarray
    ep_pl_post: np.ndarray
    upn: np.ndarray
    upn_unknown: np.ndarray
    home_post: np.ndarray
    oc3_leavers: np.ndarray


def derive(cal: Calibration, pool: Pool, la_code: str, home_post: np.ndarray, seed: int) -> Derived:
    streams = [np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence([seed, 903]).spawn(5)]
    r_rev, r_mis, r_sw, r_ep, r_upn = streams
    per, ch = pool.periods, pool.children
    horizon = pool.horizon_end
    stop = np.minimum(per.end, horizon + 1)

    # Reviews: first within 20 working days, then within 3 months, then every 6 months.
    lengths = np.maximum(stop - per.start, 0)
    counts = 2 + lengths // 150
    rp = np.repeat(np.arange(per.start.size), counts)
    first_of = np.r_[0, np.cumsum(counts)[:-1]]
    pos = np.arange(rp.size) - first_of[rp]
    step = np.where(
        pos == 0,
        r_rev.integers(
            cal.reviews.first_within_days - cal.reviews.early_days_spread,
            cal.reviews.first_within_days,
            rp.size,
        ),
        np.where(
            pos == 1,
            r_rev.integers(cal.reviews.second_after_days - 25, cal.reviews.second_after_days, rp.size),
            r_rev.integers(cal.reviews.then_every_days - 30, cal.reviews.then_every_days, rp.size),
        ),
    )
    cum = np.cumsum(step)
    base = np.r_[0, cum][first_of][rp]
    rv_date = per.start[rp] + cum - base
    ok = (rv_date < per.end[rp]) & (rv_date <= horizon)
    rv_per, rv_date = rp[ok], rv_date[ok]
    rv_child = per.child[rv_per]
    under4 = age_at(ch.dob[rv_child], rv_date) < 4
    rv_code = choice(r_rev, cal.reviews.participation_4_plus, rv_date.size)
    rv_code[under4] = "PN0"

    # Missing and away periods, mostly for teenagers.
    p_age = age_at(ch.dob[per.child], per.start)
    band = np.digitize(p_age, [10, 13, 16])
    rate = np.array([cal.missing.share_by_age[k] for k in ("0-9", "10-12", "13-15", "16-17")])[band]
    n_mis = r_mis.poisson(rate * cal.missing.mean_episodes * lengths / 365.25)
    mp = np.repeat(np.arange(per.start.size), n_mis)
    ms_start = per.start[mp] + 1 + (r_mis.random(mp.size) * np.maximum(lengths[mp] - 3, 1)).astype(np.int64)
    dur = np.rint(cal.missing.duration_days.draw(r_mis, mp.size)).astype(np.int64) - 1
    ms_end = np.minimum(ms_start + np.maximum(dur, 0), per.end[mp] - 1)
    o = np.lexsort((ms_start, mp))
    mp, ms_start, ms_end = mp[o], ms_start[o], ms_end[o]
    # Periods of one child never overlap: each ends before the next one starts.
    next_same = np.r_[mp[1:] == mp[:-1], False]
    next_start = np.r_[ms_start[1:], OPEN]
    ms_end = np.where(next_same, np.minimum(ms_end, next_start - 1), ms_end)
    keep = (ms_start <= ms_end) & (ms_start < per.end[mp])
    mp, ms_start, ms_end = mp[keep], ms_start[keep], ms_end[keep]
    ms_kind = np.where(r_mis.random(mp.size) < cal.missing.away_share, "A", "M").astype(object)

    # Social worker episodes: one chain per child from the first period to the end of the last.
    first_start = np.full(ch.dob.size, OPEN)
    np.minimum.at(first_start, per.child, per.start)
    last_end = np.zeros(ch.dob.size, np.int64)
    np.maximum.at(last_end, per.child, per.end)
    sw_from = first_start - r_sw.integers(0, 60, ch.dob.size)
    sw_to = np.minimum(last_end, horizon + 400)
    span = np.maximum(sw_to - sw_from, 1)
    n_chg = r_sw.poisson(cal.social_workers.changes_per_year * span / 365.25)
    cp = np.repeat(np.arange(ch.dob.size), n_chg)
    cuts = sw_from[cp] + 1 + (r_sw.random(cp.size) * np.maximum(span[cp] - 1, 1)).astype(np.int64)
    all_c = np.concatenate([np.arange(ch.dob.size), cp])
    all_t = np.concatenate([sw_from, cuts])
    o = np.lexsort((all_t, all_c))
    all_c, all_t = all_c[o], all_t[o]
    uniq = np.r_[True, (all_c[1:] != all_c[:-1]) | (all_t[1:] != all_t[:-1])]
    all_c, all_t = all_c[uniq], all_t[uniq]
    last = np.r_[all_c[:-1] != all_c[1:], True]
    sw_end = np.r_[all_t[1:], 0]
    sw_end[last] = sw_to[all_c[last]]
    n_workers = max(20, ch.dob.size // 12)
    sw_id = padded("SW", r_sw.integers(1, n_workers + 1, all_c.size), 6)
    # SW_REASON says why each social worker episode began: first contact for the child's first one.
    change_reasons = {k: v for k, v in cal.social_workers.reasons.items() if k != "FCONTA"}
    sw_reason = choice(r_sw, change_reasons, all_c.size)
    sw_reason[np.r_[True, all_c[1:] != all_c[:-1]]] = "FCONTA"

    # Episode provider, URN and placement postcode.
    ep = pool.episodes
    groups = to_codes(ep.place, _PROVIDER_GROUP, "")
    provider = np.full(ep.place.size, "", dtype=object)
    for g, shares in cal.placement.provider.items():
        mask = groups == g
        provider[mask] = choice(r_ep, shares, int(mask.sum()))
    urn_pool = r_ep.integers(100000, 999999, 5000)
    urn = padded("SC", urn_pool[r_ep.integers(0, urn_pool.size, ep.place.size)], 6)
    no_urn = is_in(ep.place, _NO_URN)
    urn[no_urn] = ""
    urn[is_in(ep.place, _URN_NOT_KNOWN)] = "XXXXXXX"
    provider[is_in(ep.place, _NO_PROVIDER)] = ""
    pl_post = random_postcodes(r_ep, ep.place.size)
    at_home = ep.place == "P1"
    pl_post[at_home] = home_post[ep.child[at_home]]
    clash = (pl_post == home_post[ep.child]) & ~at_home
    pl_post[clash] = random_postcodes(r_ep, int(clash.sum()))
    pl_post, urn, provider = _carry_placement(ep, groups, pl_post, urn, provider)

    upn, upn_unknown = _upns(cal, pool, la_code, r_upn)
    return Derived(
        rv_child,
        rv_date,
        rv_code,
        per.child[mp],
        ms_start,
        ms_end,
        ms_kind,
        all_c,
        all_t,
        sw_end,
        sw_id,
        sw_reason,
        provider,
        urn,
        pl_post,
        upn,
        upn_unknown,
        home_post,
        former_relevant(pool),
    )


def _upn_stream(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 903]).spawn(5)[4]))


def pool_upns(cal: Calibration, pool: Pool, la_code: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The pool children's UPNs and UPN-unknown reasons, exactly as ``derive`` makes them: for a run
    that writes only the CIN census, which needs these and none of the rest."""
    return _upns(cal, pool, la_code, _upn_stream(seed))


def _upns(
    cal: Calibration, pool: Pool, la_code: str, r_upn: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    ch = pool.children
    upn = make_upns(ch.number, la_code)
    unknown = r_upn.random(ch.dob.size) > cal.upn.known_share_school_age
    upn_unknown = np.where(unknown, choice(r_upn, {"UN5": 0.6, "UN3": 0.4}, ch.dob.size), "").astype(object)
    upn_unknown[ch.uasc] = cal.upn.uasc_unknown_code
    return upn, upn_unknown


def _carry_placement(
    ep, groups: np.ndarray, pl_post: np.ndarray, urn: np.ndarray, provider: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the placement's postcode, URN and provider through episodes with the same carer.

    Only a new carer (RNE S, P, B) brings a new address; a legal change (L) keeps everything, and a
    same-carer change (T, U) keeps the address, and the URN and provider unless the kind of placement
    changes (rules 434-436 compare them with the previous episode).
    """
    n = ep.place.size
    first = np.ones(n, bool)
    first[1:] = ep.period[1:] != ep.period[:-1]
    fresh = first | is_in(ep.rne, _NEW_CARER)
    prev_group = np.r_[None, groups[:-1]]
    urn_kind = np.where(urn == "", 0, np.where(urn == "XXXXXXX", 1, 2))
    urn_fresh = fresh | (urn_kind != np.r_[-1, urn_kind[:-1]])
    prov_fresh = fresh | (groups != prev_group)

    def carried(values: np.ndarray, is_fresh: np.ndarray) -> np.ndarray:
        idx = np.where(is_fresh, np.arange(n), 0)
        np.maximum.accumulate(idx, out=idx)
        return values[idx]

    return carried(pl_post, fresh), carried(urn, urn_fresh), carried(provider, prov_fresh)


def random_postcodes(rng: np.random.Generator, size: int, area: str = "ZZ") -> np.ndarray:
    """Postcodes of the right shape in the fictional ``ZZ`` area (e.g. ``ZZ7 4QD``)."""
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)
    district = rng.integers(1, 20, size)
    sector = rng.integers(0, 10, size)
    first = letters[rng.integers(0, 20, size)].tolist()
    second = letters[rng.integers(0, 20, size)].tolist()
    text = (
        area
        + pl.Series(district).cast(pl.String)
        + " "
        + pl.Series(sector).cast(pl.String)
        + pl.Series(first, dtype=pl.String)
        + pl.Series(second, dtype=pl.String)
    )
    return text.to_numpy().astype(object)


def _frame(table: str, data: dict[str, object], ids: pl.Series) -> pl.DataFrame:
    """The table's columns in DfE order, rows ordered by child (stable, so dates stay in order).

    ``data["CHILD"]`` holds child ordinals: identifiers are zero-padded numbers, so ordering by ordinal
    is ordering by identifier, done once with numpy instead of a text sort in polars.
    """
    child = np.asarray(data["CHILD"], dtype=np.int64)
    order = np.argsort(child, kind="stable")
    columns = [ids.gather(child[order]).alias("CHILD")]
    columns += [_series(c, data[c], order) for c in COLUMNS[table][1:]]
    return pl.DataFrame(columns)


def _series(name: str, values: object, order: np.ndarray) -> pl.Series:
    if isinstance(values, pl.Series):
        return values.gather(order).alias(name).cast(pl.String)
    values = np.asarray(values)[order]
    if values.dtype.kind in "OU":
        # polars builds a string column from a Python list far faster than from a numpy text array.
        values = values.tolist()
    return pl.Series(name, values, dtype=pl.String)


def _txt(values: np.ndarray) -> np.ndarray:
    out = values.astype(object)
    out[out == ""] = None
    return out


def sex_codes(codes: YearCodes, year: str) -> tuple[str, str]:
    return in_force(codes.sex_903["male"], year)[0].code, in_force(codes.sex_903["female"], year)[0].code


def build_year(
    cal: Calibration,
    codes: YearCodes,
    pool: Pool,
    d: Derived,
    year: str,
    ids: pl.Series | np.ndarray,
    la_code: str,
    seed: int,
) -> dict[str, pl.DataFrame]:
    """Every SSDA903 table of one collection year, rows ordered by child then date."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 9030, int(year[:4])])))
    ys, ye = day_number(year_start(year)), day_number(year_end(year))
    ch, per, ep = pool.children, pool.periods, pool.episodes
    # Identifiers and dates of birth as text columns once; tables pick rows by child ordinal.
    if not isinstance(ids, pl.Series):
        ids = pl.Series(np.asarray(ids, dtype=object).tolist(), dtype=pl.String)
    dob_txt = to_text(ch.dob)

    # An episode ending on 1 April belongs to the new year, except one closed only to re-record a code
    # that stops being valid that day (its successor, RNE T, carries the placement on).
    in_year = (ep.start <= ye) & ((ep.end > ys) | ((ep.end == ys) & ~ep.ends_by_recode))
    e_idx = np.flatnonzero(in_year)
    e_child = ep.child[e_idx]
    closed = ep.end[e_idx] <= ye
    episodes = _frame(
        "episodes",
        {
            "CHILD": e_child,
            "DECOM": to_text(ep.start[e_idx]),
            "RNE": ep.rne[e_idx],
            "LS": ep.ls[e_idx],
            "CIN": per.need[ep.period[e_idx]],
            "PLACE": ep.place[e_idx],
            "PLACE_PROVIDER": _txt(d.ep_provider[e_idx]),
            "DEC": to_text(np.where(closed, ep.end[e_idx], NO_DATE)),
            "REC": np.where(closed, ep.rec[e_idx], None),
            "REASON_PLACE_CHANGE": np.where(closed, _txt(ep.reason_change[e_idx]), None),
            "HOME_POST": d.home_post[e_child],
            "PL_POST": d.ep_pl_post[e_idx],
            "URN": _txt(d.ep_urn[e_idx]),
        },
        ids,
    )
    looked_after = np.zeros(ch.dob.size, bool)
    looked_after[e_child] = True

    # OC3: former relevant children whose 17th-21st birthday falls in the year, not in care then.
    oc3_rows = _oc3(cal, rng, pool, d.oc3_leavers, ys, ye, seed)
    in_header = looked_after.copy()
    in_header[oc3_rows[0]] = True
    h_idx = np.flatnonzero(in_header)
    male_code, female_code = sex_codes(codes, year)
    age_end = age_at(ch.dob[h_idx], np.full(h_idx.size, ye))
    upn = d.upn[h_idx].copy()
    unknown = d.upn_unknown[h_idx] != ""
    upn[unknown] = d.upn_unknown[h_idx][unknown]
    upn[age_end < 5] = "UN1"
    upn[ch.uasc[h_idx]] = d.upn_unknown[h_idx][ch.uasc[h_idx]]
    # Mothers: girls aged 11+ looked after in the year say whether they have a child; care leavers not
    # looked after this year leave it blank (rule 628, which the pack's rule 165 contradicts).
    babies = np.flatnonzero(ch.mother >= 0)
    first_baby = np.full(ch.dob.size, OPEN)
    np.minimum.at(first_baby, ch.mother[babies], ch.dob[babies])
    girl = ~ch.male[h_idx] & (age_end >= 11) & looked_after[h_idx]
    is_mother = girl & (first_baby[h_idx] <= ye)
    mother = np.where(girl, np.where(is_mother, "1", "0"), None)
    header = _frame(
        "header",
        {
            "CHILD": h_idx,
            "SEX": np.where(ch.male[h_idx], male_code, female_code),
            "DOB": dob_txt[h_idx],
            "ETHNIC": ch.ethnic[h_idx],
            "UPN": upn,
            "MOTHER": mother,
            "MC_DOB": to_text(np.where(is_mother, first_baby[h_idx], NO_DATE)),
        },
        ids,
    )

    r = np.flatnonzero((d.rv_date >= ys) & (d.rv_date <= ye))
    reviews = _frame(
        "reviews",
        {
            "CHILD": d.rv_child[r],
            "DOB": dob_txt[d.rv_child[r]],
            "REVIEW": to_text(d.rv_date[r]),
            "REVIEW_CODE": d.rv_code[r],
        },
        ids,
    )
    m = np.flatnonzero((d.ms_start <= ye) & (d.ms_end >= ys))
    missing = _frame(
        "missing",
        {
            "CHILD": d.ms_child[m],
            "DOB": dob_txt[d.ms_child[m]],
            "MISSING": d.ms_kind[m],
            "MIS_START": to_text(d.ms_start[m]),
            "MIS_END": to_text(np.where(d.ms_end[m] <= ye, d.ms_end[m], NO_DATE)),
        },
        ids,
    )
    # UASC children looked after in the year (rule 1014 forbids a UASC row for other care leavers).
    u_idx = np.flatnonzero(looked_after & ch.uasc)
    eighteenth = add_years(ch.dob[u_idx], 18)
    uasc = _frame(
        "uasc",
        {
            "CHILD": u_idx,
            "SEX": np.where(ch.male[u_idx], male_code, female_code),
            "DOB": dob_txt[u_idx],
            "DUC": to_text(np.where(eighteenth <= ye, eighteenth, NO_DATE)),
        },
        ids,
    )
    tables = {
        "header": header,
        "episodes": episodes,
        "reviews": reviews,
        "uasc": uasc,
        "oc2": _oc2(cal, rng, pool, ids, dob_txt, ys, ye),
        "oc3": _oc3_frame(ids, dob_txt, oc3_rows),
        "ad1": _ad1(cal, rng, pool, ids, dob_txt, ys, ye),
        "placedadoption": _placed(pool, ids, dob_txt, ys, ye, rng),
        "prevperm": _prevperm(cal, rng, pool, ids, dob_txt, ys, ye, la_code),
        "missing": missing,
    }
    if year >= codes.swepisodes_from:
        s = np.flatnonzero((d.sw_start <= ye) & (d.sw_end > ys) & looked_after[d.sw_child])
        tables["swepisodes"] = _frame(
            "swepisodes",
            {
                "CHILD": d.sw_child[s],
                "DOB": dob_txt[d.sw_child[s]],
                "SW_ID": d.sw_id[s],
                "SW_DECOM": to_text(np.maximum(d.sw_start[s], ys)),
                "SW_DEC": to_text(np.where(d.sw_end[s] <= ye, d.sw_end[s], NO_DATE)),
                "SW_REASON": d.sw_reason[s],
            },
            ids,
        )
    return tables


def _oc2(cal, rng, pool: Pool, ids, dob_txt, ys: int, ye: int) -> pl.DataFrame:
    per, ch = pool.periods, pool.children
    # Looked after for the whole year: the period began by 1 April and is open at 31 March (rule 191).
    cont = (per.start <= ys) & (per.end > ye)
    kids = np.unique(per.child[cont])
    n = kids.size
    # Age on 1 April: rule 189 blanks the SDQ from 17 on that day (rule 197B, reading the day before,
    # contradicts it for a 17th birthday on 1 April; 189 is followed).
    a_start = age_at(ch.dob[kids], np.full(n, ys))
    a_end = age_at(ch.dob[kids], np.full(n, ye))
    score = rng.integers(0, 41, n).astype(str).astype(object)
    sdq_ok = rng.random(n) < cal.oc2.sdq_completion
    reason = choice(rng, {"SDQ2": 0.2, "SDQ3": 0.2, "SDQ4": 0.5, "SDQ5": 0.1}, n)
    score = np.where(sdq_ok, score, None)
    reason = np.where(sdq_ok, None, reason)
    edge = (a_start < 4) | (a_end >= 17)
    score[edge] = None
    reason[edge] = "SDQ1"
    none = (a_end < 4) | (a_start >= 17)
    score[none] = None
    reason[none] = None

    def flag(p: float) -> np.ndarray:
        return np.where(rng.random(n) < p, "1", "0").astype(object)

    substance = flag(cal.oc2.substance_misuse)
    received = np.where(substance == "1", flag(cal.oc2.intervention_received), None)
    # Offered is asked only when no intervention was received (rule 158).
    offered = np.where((substance == "1") & (received != "1"), flag(0.5), None)
    convicted = np.where(a_end >= 10, flag(cal.oc2.convicted_10_plus), None)
    return _frame(
        "oc2",
        {
            "CHILD": kids,
            "DOB": dob_txt[kids],
            "SDQ_SCORE": score,
            "SDQ_REASON": reason,
            "CONVICTED": convicted,
            # Development checks are for under-fives only (rule 546).
            "HEALTH_CHECK": np.where(a_end < 5, flag(cal.oc2.health_check), None),
            "IMMUNISATIONS": flag(cal.oc2.immunisations),
            "TEETH_CHECK": flag(cal.oc2.teeth_check),
            "HEALTH_ASSESSMENT": flag(cal.oc2.health_assessment),
            "SUBSTANCE_MISUSE": substance,
            "INTERVENTION_RECEIVED": received,
            "INTERVENTION_OFFERED": offered,
        },
        ids,
    )


_NOT_CARE_LEAVER = {"E11", "E12", "E2", "E3", "E15", "E16"}


def former_relevant(pool: Pool) -> np.ndarray:
    """Periods after which the child is a former relevant child (owed OC3 rows): looked after 13 weeks
    from 14, leaving at 16 or over for a reason that keeps care leaver status, and the child's latest
    period (a later period supersedes an earlier one).  The same every year, so worked out once."""
    per, ch = pool.periods, pool.children
    dob = ch.dob[per.child]
    fourteenth = add_years(dob, 14)
    sixteenth = add_years(dob, 16)
    eligible = (per.end >= sixteenth) & (per.end - np.maximum(per.start, fourteenth) >= 91)
    eligible &= ~is_in(per.rec, _NOT_CARE_LEAVER)
    eligible &= np.r_[per.child[1:] != per.child[:-1], True]
    return eligible


def _oc3(
    cal, rng, pool: Pool, leavers: np.ndarray, ys: int, ye: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Children owed an OC3 row this year, with the birthday age and their in-touch/activity/accommodation."""
    per, ch = pool.periods, pool.children
    left_at = per.end
    dob = ch.dob[per.child]
    idx = np.flatnonzero(leavers & (left_at <= ye))
    kids, left, kdob = per.child[idx], left_at[idx], dob[idx]
    out_child, out_age = [], []
    for age in (17, 18, 19, 20, 21):
        bday = add_years(kdob, age)
        due = (bday >= ys) & (bday <= ye) & (left <= bday)
        out_child.append(kids[due])
        out_age.append(np.full(int(due.sum()), age))
    oc_child = np.concatenate(out_child)
    oc_age = np.concatenate(out_age)
    o = np.argsort(oc_child, kind="stable")
    oc_child, oc_age = oc_child[o], oc_age[o]
    n = oc_child.size
    alive = {k: v for k, v in cal.oc3.in_touch.items() if k != "DIED"}
    touch = choice(rng, alive, n)
    # A death is reported again in every later year (rule 348): each child has one fixed age of death,
    # drawn from a stream of its own so that every year's return agrees.
    p_died = cal.oc3.in_touch.get("DIED", 0.0) / sum(cal.oc3.in_touch.values())
    u = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 348]))).random(ch.dob.size)
    died_age = 17 + np.floor(u / max(p_died, 1e-12)).astype(np.int64)
    touch[oc_age >= died_age[oc_child]] = "DIED"
    activ = choice(rng, cal.oc3.activity_in_touch, n)
    accom = choice(rng, cal.oc3.accommodation_in_touch, n)
    # Under 18 on 1 April: not with former foster carers (staying put) nor in a foyer (rule 347).
    young = add_years(ch.dob[oc_child], 18) > ys
    accom[young & np.isin(accom, ["Z1", "T1", "T2"])] = "D1"
    out = touch != "YES"
    activ[out] = "0"
    accom[out] = "0"
    return oc_child, touch, activ, accom


def _oc3_frame(ids, dob_txt, rows) -> pl.DataFrame:
    kids, touch, activ, accom = rows
    return _frame(
        "oc3",
        {"CHILD": kids, "DOB": dob_txt[kids], "IN_TOUCH": touch, "ACTIV": activ, "ACCOM": accom},
        ids,
    )


def _ad1(cal, rng, pool: Pool, ids, dob_txt, ys: int, ye: int) -> pl.DataFrame:
    per = pool.periods
    adopted = is_in(per.rec, ["E11", "E12"]) & (per.end >= ys) & (per.end <= ye)
    idx = np.flatnonzero(adopted)
    n = idx.size
    couple = rng.random(n) < cal.adopters.couple_share
    sex = np.where(couple, choice(rng, cal.adopters.couple_sex, n), choice(rng, cal.adopters.single_sex, n))
    ls = np.where(
        sex == "MF",
        choice(rng, {"L11": 0.7, "L3": 0.3}, n),
        choice(rng, {"L12": 0.4, "L2": 0.3, "L4": 0.3}, n),
    )
    ls[~couple] = "L0"
    return _frame(
        "ad1",
        {
            "CHILD": per.child[idx],
            "DOB": dob_txt[per.child[idx]],
            "DATE_INT": to_text(per.decision[idx]),
            "DATE_MATCH": to_text(per.match[idx]),
            "FOSTER_CARE": np.where(per.adoption_with_carer[idx], "1", "0"),
            "NB_ADOPTR": np.where(couple, "2", "1"),
            "SEX_ADOPTR": sex,
            "LS_ADOPTR": ls,
        },
        ids,
    )


def _placed(pool: Pool, ids, dob_txt, ys: int, ye: int, rng) -> pl.DataFrame:
    per = pool.periods
    has = (per.decision < OPEN) & (per.decision <= ye) & (per.end >= ys)
    has &= ~(per.decision_ceased < ys)
    idx = np.flatnonzero(has)
    ceased = per.decision_ceased[idx]
    ceased_now = ceased <= ye
    reason = np.where(
        ceased_now, choice(rng, {"RD1": 0.35, "RD2": 0.1, "RD3": 0.25, "RD4": 0.3}, idx.size), None
    )
    return _frame(
        "placedadoption",
        {
            "CHILD": per.child[idx],
            "DOB": dob_txt[per.child[idx]],
            "DATE_PLACED": to_text(per.decision[idx]),
            "DATE_PLACED_CEASED": to_text(np.where(ceased_now, ceased, NO_DATE)),
            "REASON_PLACED_CEASED": reason,
        },
        ids,
    )


def _prevperm(cal, rng, pool: Pool, ids, dob_txt, ys: int, ye: int, la_code: str) -> pl.DataFrame:
    per, ch = pool.periods, pool.children
    started = (per.start >= ys) & (per.start <= ye)
    idx = np.flatnonzero(started)
    idx = idx[np.r_[True, per.child[idx][1:] != per.child[idx][:-1]]] if idx.size else idx
    n = idx.size
    code = choice(rng, cal.prev_perm.codes, n)
    has_order = np.isin(code, ["P1", "P2", "P3"])
    kdob = ch.dob[per.child[idx]]
    when = kdob + (rng.random(n) * np.maximum(per.start[idx] - kdob - 1, 1)).astype(np.int64)
    la = np.where(
        rng.random(n) < 0.6, la_code, choice(rng, {"SCO": 0.2, "WAL": 0.3, "NIR": 0.1, "999": 0.4}, n)
    )
    return _frame(
        "prevperm",
        {
            "CHILD": per.child[idx],
            "DOB": dob_txt[per.child[idx]],
            "PREV_PERM": code,
            "LA_PERM": np.where(has_order, la, None),
            "DATE_PERM": to_text(np.where(has_order, when, NO_DATE)),
        },
        ids,
    )
