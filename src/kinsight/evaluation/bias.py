"""Data bias audit: is each group present in the data in proportion, is data missing more for some groups,
and does any field stand in for a protected characteristic?

Three parts, answering the guidance's design-stage questions:

1. **Representation**: each group's share of distinct children, with a Wilson 95% interval, beside the
   reference population's share; a chi-squared goodness-of-fit test over the groups the reference covers
   (children whose value is missing or not known are counted and shown but left out of the test).
2. **Missingness by group**: for each field, the share of blank values in each group; a difference of
   ``flag_difference_points`` or more between groups (each of at least ``min_group_size`` rows) is flagged.
3. **Proxies**: each field's association with each characteristic, as Cramér's V and mutual information.
   Numbers and dates are cut into quantile bins, text codes keep their most common categories.  V of at
   least ``likely_proxy_cramers_v`` is flagged "likely proxy", at least ``some_association_cramers_v``
   "some association".  Fields that look like identifiers (mostly distinct values) are skipped and listed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from kinsight.evaluation.characteristics import (
    MISSING,
    PREFIX,
    UNRECOGNISED,
    Characteristic,
    ProtectedConfig,
    ReferencePopulation,
    protected_config,
)

META_COLUMNS = {"collection_year", "_row", "_file", "_sha256"}
NOT_KNOWN = {MISSING, UNRECOGNISED, "unknown", "Not known"}


def representation(
    groups: pl.Series, reference: dict[str, float] | None, *, confidence: float = 0.95
) -> dict[str, Any]:
    """Group counts and shares with Wilson intervals, against reference shares where given."""
    # Imported here: scipy.stats and statsmodels take seconds to import and only the audit needs them.
    from scipy.stats import chisquare
    from statsmodels.stats.proportion import proportion_confint

    counts = groups.value_counts(sort=False).sort(groups.name)
    total = int(counts["count"].sum())
    rows = []
    for value, count in zip(counts[groups.name].to_list(), counts["count"].to_list(), strict=True):
        low, high = proportion_confint(count, total, alpha=1 - confidence, method="wilson")
        ref = (reference or {}).get(value)
        share = count / total
        rows.append(
            {
                "group": value,
                "n": int(count),
                "share": share,
                "ci": [float(low), float(high)],
                "reference_share": ref,
                "ratio_to_reference": (share / ref) if ref else None,
                "below_reference": bool(ref is not None and high < ref),
                "above_reference": bool(ref is not None and low > ref),
            }
        )
    for value in sorted(set(reference or {}) - set(counts[groups.name].to_list())):
        rows.append(
            {
                "group": value,
                "n": 0,
                "share": 0.0,
                "ci": [0.0, 0.0],
                "reference_share": reference[value],  # type: ignore[index]
                "ratio_to_reference": 0.0,
                "below_reference": True,
                "above_reference": False,
            }
        )
    test = None
    if reference:
        known = {r["group"]: r["n"] for r in rows if r["group"] in reference}
        n_known = sum(known.values())
        if n_known > 0 and len(reference) > 1:
            ref_total = sum(reference.values())
            observed = np.array([known.get(g, 0) for g in reference])
            expected = np.array([reference[g] / ref_total * n_known for g in reference])
            stat, p = chisquare(observed, expected)
            test = {
                "method": "chi-squared goodness of fit",
                "statistic": float(stat),
                "p_value": float(p),
                "degrees_of_freedom": len(reference) - 1,
                "children_tested": int(n_known),
                "children_left_out": int(total - n_known),
            }
    return {"total": total, "groups": rows, "test": test}


def _category_codes(values: pl.Series, settings: Any) -> tuple[np.ndarray, int] | None:
    """Integer category codes for a field (bins for numbers and dates), or None for identifier-like fields."""
    n = values.len()
    dtype = values.dtype
    if dtype.is_numeric() or dtype.is_temporal():
        numeric = values.to_physical().cast(pl.Float64)
        valid = numeric.drop_nulls()
        if valid.n_unique() > settings.numeric_bins:
            edges = np.unique(
                np.quantile(valid.to_numpy(), np.linspace(0, 1, settings.numeric_bins + 1)[1:-1])
            )
            codes = np.searchsorted(edges, numeric.fill_null(np.nan).to_numpy(), side="right")
        else:
            _, codes = np.unique(numeric.fill_null(np.nan).to_numpy(), return_inverse=True)
        codes = np.where(numeric.is_null().to_numpy(), codes.max(initial=0) + 1, codes)
        return codes.astype(np.int64), int(codes.max(initial=0)) + 1
    text = values.cast(pl.String)
    distinct = text.n_unique()
    if n > 0 and distinct / n > settings.identifier_distinct_share and distinct > settings.max_categories:
        return None
    top = text.drop_nulls().value_counts(sort=True).head(settings.max_categories - 1)[text.name].to_list()
    mapping = {v: i for i, v in enumerate(sorted(top))}
    other = len(mapping)
    codes = np.array(
        [mapping.get(v, other) if v is not None else other + 1 for v in text.to_list()], dtype=np.int64
    )
    return codes, other + 2


def _strength(v: float, settings: Any) -> str:
    if v >= settings.likely_proxy_cramers_v:
        return "likely proxy"
    if v >= settings.some_association_cramers_v:
        return "some association"
    return "little or none"


def proxies(
    frame: pl.DataFrame, fields: list[str], characteristics: list[Characteristic], config: ProtectedConfig
) -> dict[str, Any]:
    # Imported here: scipy.stats and scikit-learn take seconds to import and only the audit needs them.
    from scipy.stats.contingency import association
    from sklearn.metrics import mutual_info_score, normalized_mutual_info_score

    settings = config.proxy_thresholds
    results: list[dict[str, Any]] = []
    skipped: list[str] = []
    for field in fields:
        coded = _category_codes(frame[field], settings)
        if coded is None:
            skipped.append(field)
            continue
        codes, _ = coded
        for characteristic in characteristics:
            groups = frame[PREFIX + characteristic.value].cast(pl.String).to_numpy()
            _, group_codes = np.unique(groups.astype(str), return_inverse=True)
            table = _crosstab(codes, group_codes)
            if table.shape[0] < 2 or table.shape[1] < 2:
                v = 0.0
            else:
                v = float(association(table, method="cramer"))
            results.append(
                {
                    "field": field,
                    "characteristic": characteristic.value,
                    "cramers_v": v,
                    "mutual_information": float(mutual_info_score(group_codes, codes)),
                    "normalised_mutual_information": float(normalized_mutual_info_score(group_codes, codes)),
                    "strength": _strength(v, settings),
                }
            )
    results.sort(key=lambda r: (-r["cramers_v"], r["field"], r["characteristic"]))
    return {
        "thresholds": {
            "likely_proxy": settings.likely_proxy_cramers_v,
            "some_association": settings.some_association_cramers_v,
        },
        "associations": results,
        "likely_proxies": [
            f"{r['field']} ~ {r['characteristic']}" for r in results if r["strength"] == "likely proxy"
        ],
        "skipped_as_identifiers": skipped,
    }


def _crosstab(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Contingency table of two code arrays, dropping empty rows and columns."""
    rows, cols = int(a.max(initial=0)) + 1, int(b.max(initial=0)) + 1
    table = np.bincount(a * cols + b, minlength=rows * cols).reshape(rows, cols)
    return table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]


def missingness(
    frame: pl.DataFrame, fields: list[str], characteristics: list[Characteristic], config: ProtectedConfig
) -> list[dict[str, Any]]:
    settings = config.missingness
    out: list[dict[str, Any]] = []
    for characteristic in characteristics:
        column = PREFIX + characteristic.value
        exprs = [pl.len().alias("__n")] + [pl.col(f).is_null().mean().alias(f) for f in fields]
        by_group = frame.group_by(column).agg(exprs).sort(column)
        for field in fields:
            shares = {
                str(g): float(s)
                for g, s, n in zip(by_group[column], by_group[field], by_group["__n"], strict=True)
                if n >= settings.min_group_size and g not in NOT_KNOWN
            }
            if not shares:
                continue
            spread = (max(shares.values()) - min(shares.values())) * 100
            if max(shares.values()) == 0:
                continue
            out.append(
                {
                    "field": field,
                    "characteristic": characteristic.value,
                    "missing_share_by_group": shares,
                    "difference_points": spread,
                    "flagged": spread >= settings.flag_difference_points,
                }
            )
    out.sort(key=lambda r: (-r["difference_points"], r["field"]))
    return out


def audit(
    frame: pl.DataFrame,
    *,
    key: str | None,
    derived_from: dict[Characteristic, str],
    reference: ReferencePopulation,
    config: ProtectedConfig | None = None,
) -> dict[str, Any]:
    """The whole audit for a frame that already carries ``pc_<characteristic>`` columns."""
    config = config or protected_config()
    characteristics = [c for c in Characteristic if PREFIX + c.value in frame.columns]
    source_fields = {f.split(".")[-1] for f in derived_from.values()}
    fields = [c for c in frame.columns if not c.startswith(PREFIX) and c not in META_COLUMNS and c != key]
    per_child = frame
    if key and key in frame.columns:
        order = [key] + (["collection_year"] if "collection_year" in frame.columns else [])
        per_child = frame.sort(order, descending=[False] + [True] * (len(order) - 1)).unique(
            subset=[key], keep="first", maintain_order=True
        )
    rep = {}
    for characteristic in characteristics:
        shares = reference.characteristics.get(characteristic)
        block = representation(per_child[PREFIX + characteristic.value], shares.shares if shares else None)
        block["derived_from"] = derived_from.get(characteristic)
        if shares:
            block["reference"] = {
                "source": shares.source,
                "source_date": shares.source_date,
                "status": shares.status,
                "url": list(shares.url),
                "note": shares.note,
            }
        rep[characteristic.value] = block
    return {
        "rows": frame.height,
        "children": per_child.height,
        "characteristics": [c.value for c in characteristics],
        "missing_characteristics": [c.value for c in Characteristic if c not in characteristics],
        "representation": rep,
        "missingness": missingness(frame, fields, characteristics, config),
        "proxies": proxies(frame, [f for f in fields if f not in source_fields], characteristics, config),
    }
