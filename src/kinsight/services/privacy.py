"""Privacy use cases: keys, pseudonymisation, risk measurement and reports, enforcement, safe
tables, profiled exports, re-identification and the effect of de-identification on an indicator.

Key design (rotation and re-identification).  Kinsight keeps **no token-to-identifier vault**.  A
token is ``HMAC(key, identifier)``, and the store already holds the identifiers in its raw and typed
tables, so whoever holds both the key (outside the home) and the store can recompute any token; no
one holding only one of them can.  Re-identifying a token therefore means recomputing the tokens of
the store's distinct child identifiers and finding the match: an information-governance-only,
audited action.  Rotating the key writes a new key, records a crosswalk ``old token → new token``
for every identifier in the store (table ``privacy_token_crosswalk``: tokens only, no identifiers)
so extracts already issued can be re-keyed, and retires the old key file beside the new one with
owner-only permissions so it can be destroyed once the crosswalk has been used.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from kinsight.errors import (
    DataFileError,
    Location,
    NotFoundError,
    PermissionDeniedError,
)
from kinsight.privacy import effect as effect_mod
from kinsight.privacy import keys as keymod
from kinsight.privacy.enforce import make_k_anonymous
from kinsight.privacy.profiles import apply_profile, describe, load_profile, profile_names
from kinsight.privacy.publish import publish_table
from kinsight.privacy.report import risk_report_dict, write_report
from kinsight.privacy.risk import DEFAULT_K, measure_risk
from kinsight.privacy.tokens import pseudonymise, token_map
from kinsight.settings import Settings
from kinsight.storage.analytical import file_order, open_store

REIDENTIFY_ROLE = "information_governance"
CHILD_ID_COLUMNS = ("CHILD", "LAchildID")
CROSSWALK_TABLE = "privacy_token_crosswalk"


# --- keys ---------------------------------------------------------------------------------------


def key_path(settings: Settings, key_file: Path | None = None) -> Path:
    return Path(key_file) if key_file is not None else settings.resolved_key_file


def load_key(settings: Settings, key_file: Path | None = None) -> bytes:
    """The key from ``--key-file``, else ``KINSIGHT_PSEUDONYMISATION_KEY`` (hex), else the default file."""
    if key_file is None and os.environ.get(keymod.ENV_VAR):
        return keymod.key_from_text(os.environ[keymod.ENV_VAR])
    return keymod.read_key_file(key_path(settings, key_file))


def create_key(settings: Settings, key_file: Path | None = None) -> dict[str, Any]:
    path = keymod.create_key_file(key_path(settings, key_file))
    return {
        "key_file": str(path),
        "fingerprint": keymod.fingerprint(keymod.read_key_file(path)),
        "bytes": keymod.KEY_BYTES,
    }


def rotate_key(settings: Settings, key_file: Path | None = None, *, actor: str = "cli") -> dict[str, Any]:
    """Replace the key, record the old → new token crosswalk in the store, retire the old key file."""
    path = key_path(settings, key_file)
    old = keymod.read_key_file(path)
    new = secrets.token_bytes(keymod.KEY_BYTES)
    rekeyed = 0
    if settings.store_path.exists():
        with _store(settings, read_only=False) as con:
            ids = _store_identifiers(con)
            old_tokens, new_tokens = token_map(old, ids), token_map(new, ids)
            crosswalk = pl.DataFrame(
                {"old_token": [old_tokens[i] for i in ids], "new_token": [new_tokens[i] for i in ids]},
                schema={"old_token": pl.String, "new_token": pl.String},
            ).unique()
            if con.sql(
                f"SELECT count(*) FROM information_schema.tables WHERE table_name = '{CROSSWALK_TABLE}'"
            ).fetchall()[0][0]:
                # chain earlier rotations so the oldest tokens still reach the newest ones
                earlier = con.sql(f"SELECT old_token, new_token FROM {CROSSWALK_TABLE}").pl()
                chained = earlier.join(
                    crosswalk, left_on="new_token", right_on="old_token", how="inner"
                ).select(pl.col("old_token"), pl.col("new_token_right").alias("new_token"))
                crosswalk = pl.concat([crosswalk, chained]).unique()
            con.register("_crosswalk", crosswalk.to_arrow())
            con.execute(f"CREATE OR REPLACE TABLE {CROSSWALK_TABLE} AS SELECT * FROM _crosswalk")
            con.unregister("_crosswalk")
            rekeyed = crosswalk.height
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    retired = path.with_name(f"{path.name}.retired-{stamp}")
    os.replace(path, retired)
    keymod.write_key(path, new)
    _audit(
        settings,
        actor=actor,
        action="privacy.keys.rotate",
        target=str(path),
        details={"old": keymod.fingerprint(old), "new": keymod.fingerprint(new), "crosswalk_rows": rekeyed},
    )
    return {
        "key_file": str(path),
        "retired_key_file": str(retired),
        "old_fingerprint": keymod.fingerprint(old),
        "new_fingerprint": keymod.fingerprint(new),
        "crosswalk_table": CROSSWALK_TABLE if rekeyed else None,
        "tokens_rekeyed": rekeyed,
    }


# --- files --------------------------------------------------------------------------------------


def read_csv_text(path: Path) -> pl.DataFrame:
    """Read a CSV with every value as text, exactly as written; blank cells are missing."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError("file not found", location=Location(str(path)), hint="Check the path.")
    try:
        return pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"not a readable CSV file ({error})", location=Location(str(path))) from error


def _split(columns: str | Sequence[str]) -> list[str]:
    items = columns.split(",") if isinstance(columns, str) else list(columns)
    return [c.strip() for c in items if c.strip()]


def _check_columns(frame: pl.DataFrame, columns: Sequence[str], path: Path, option: str) -> None:
    for column in columns:
        if column not in frame.columns:
            raise DataFileError(
                f"column '{column}' named in {option} is not in the file",
                location=Location(str(path), field=column),
                hint=f"Columns in the file: {', '.join(frame.columns)}.",
            )


def risk_of_file(
    path: Path, qis: str | Sequence[str], *, sensitive: str | None = None, k: int = DEFAULT_K
) -> dict[str, Any]:
    frame = read_csv_text(path)
    columns = _split(qis)
    _check_columns(frame, [*columns, *([sensitive] if sensitive else [])], path, "--qi/--sensitive")
    return {"file": str(path), **measure_risk(frame, columns, sensitive=sensitive, k=k).as_dict()}


def pseudonymise_file(
    settings: Settings, path: Path, columns: str | Sequence[str], out: Path, *, key_file: Path | None = None
) -> dict[str, Any]:
    frame = read_csv_text(path)
    names = _split(columns)
    _check_columns(frame, names, path, "--columns")
    key = load_key(settings, key_file)
    result = pseudonymise(frame, names, key)
    _write_csv(result, out)
    return {
        "file": str(path),
        "out": str(out),
        "rows": result.height,
        "columns": names,
        "distinct": {c: frame.get_column(c).n_unique() for c in names},
        "key": keymod.fingerprint(key),
    }


def suppress_file(
    path: Path,
    out: Path,
    *,
    threshold: int | None = None,
    labels: int | None = None,
    round_to: int | None = None,
    suppress_zeros: bool = False,
) -> dict[str, Any]:
    frame = read_csv_text(path)
    label_columns = frame.columns[:labels] if labels else None
    published = publish_table(
        frame,
        label_columns=label_columns,
        threshold=threshold,
        round_to=round_to,
        suppress_zeros=suppress_zeros or None,
        source=str(path),
    )
    _write_csv(published.frame, out)
    return {"file": str(path), "out": str(out), **published.as_dict()}


def enforce_file(
    path: Path,
    qis: str | Sequence[str],
    out: Path,
    *,
    k: int = DEFAULT_K,
    reference: date | None = None,
    max_suppression: float = 0.05,
) -> dict[str, Any]:
    """k-anonymise a CSV extract: date-like columns take the date ladder, postcodes the postcode one."""
    frame = read_csv_text(path)
    columns = _split(qis)
    _check_columns(frame, columns, path, "--qi")
    typed = frame.with_columns(_as_date(frame, c) for c in columns)
    result = make_k_anonymous(
        typed, columns, k=k, reference=reference or date.today(), max_suppression=max_suppression
    )
    _write_csv(result.frame, out)
    return {"file": str(path), "out": str(out), **result.as_dict()}


def _as_date(frame: pl.DataFrame, column: str) -> pl.Expr:
    """Read a column as dates if every filled value is a date (DD/MM/YYYY as the DfE writes, or ISO)."""
    values = frame.get_column(column).drop_nulls()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        parsed = values.str.to_date(fmt, strict=False)
        if values.len() and parsed.null_count() == 0:
            return pl.col(column).str.to_date(fmt, strict=False)
    return pl.col(column)


def _write_csv(frame: pl.DataFrame, out: Path) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(out)


# --- risk report --------------------------------------------------------------------------------


def risk_report(
    settings: Settings,
    data: pl.DataFrame | Path,
    qis: str | Sequence[str],
    *,
    sensitive: str | None = None,
    k: int = DEFAULT_K,
    title: str | None = None,
    out_dir: Path | None = None,
) -> tuple[dict[str, Any], Path]:
    """Measure risk and write the report (JSON and HTML) into ``reports/privacy``.

    Returns the JSON-serialisable report and the path of its JSON file (the HTML sits beside it), so
    governance can attach it to a project's DPIA.
    """
    frame = read_csv_text(data) if isinstance(data, Path) else data
    columns = _split(qis)
    if isinstance(data, Path):
        _check_columns(frame, [*columns, *([sensitive] if sensitive else [])], data, "--qi/--sensitive")
    risk = measure_risk(frame, columns, sensitive=sensitive, k=k)
    label = title or (f"{data.name}" if isinstance(data, Path) else "extract")
    report = risk_report_dict(risk, title=label)
    stem = f"risk-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"
    json_path, html_path = write_report(report, out_dir or settings.reports_dir / "privacy", stem)
    report["files"] = {"json": str(json_path), "html": str(html_path)}
    return report, json_path


# --- profiles, export, effect ---------------------------------------------------------------------


def list_profiles() -> list[dict[str, Any]]:
    return [describe(load_profile(name)) for name in profile_names()]


def export(
    settings: Settings,
    *,
    profile: str,
    dataset: str,
    table: str,
    out: Path,
    actor: str,
    year: str | None = None,
) -> dict[str, Any]:
    """Export one store table through a purpose profile; audited whether or not it succeeds."""
    chosen = load_profile(profile)
    try:
        frame = _read_table(settings, dataset, table, year)
        key = load_key(settings) if chosen.needs_key() else None
        profiled = apply_profile(frame, chosen, key)
        _write_csv(profiled.frame, out)
    except Exception as error:
        _audit(
            settings,
            actor=actor,
            action="privacy.export",
            target=f"{dataset}.{table}",
            outcome="failed",
            details={"profile": profile, "year": year, "error": type(error).__name__},
        )
        raise
    risk = None
    qis = [q for q in chosen.quasi_identifiers if q in profiled.frame.columns]
    if qis:
        risk = measure_risk(profiled.frame, qis, k=chosen.k).as_dict()
    _audit(
        settings,
        actor=actor,
        action="privacy.export",
        target=f"{dataset}.{table}",
        details={
            "profile": profile,
            "year": year,
            "rows": profiled.frame.height,
            "out": str(out),
            "fields": sorted(profiled.treatments),
        },
    )
    return {
        "profile": profile,
        "dataset": dataset,
        "table": table,
        "year": year,
        "out": str(out),
        "rows": profiled.frame.height,
        "treatments": profiled.treatments,
        "dropped": list(profiled.dropped),
        "risk": risk,
    }


def effect(settings: Settings, *, profile: str, year: str | None = None) -> dict[str, Any]:
    """Children looked after at 31 March by age band, on the store's data and through the profile."""
    chosen = load_profile(profile)
    header = _read_table(settings, "ssda903", "header", year)
    episodes = _read_table(settings, "ssda903", "episodes", year)
    key = load_key(settings) if chosen.needs_key() else None
    original = _episodes_with_dob(episodes, header)
    needed = ["CHILD", "DOB", "DECOM", "DEC", "collection_year"]
    refused = [f for f in needed if chosen.fields.get(f, "drop") == "drop"]
    if refused:
        return {
            "profile": profile,
            "indicator": "looked_after_by_age_band",
            "computable": False,
            "reason": f"the profile does not allow {', '.join(refused)}",
        }
    deid = _episodes_with_dob(
        apply_profile(episodes, chosen, key).frame, apply_profile(header, chosen, key).frame
    )
    result = effect_mod.compare(original, deid, effect_mod.looked_after_by_age_band)
    return {"profile": profile, "computable": True, **result.as_dict()}


def _episodes_with_dob(episodes: pl.DataFrame, header: pl.DataFrame) -> pl.DataFrame:
    dob = header.select("CHILD", "collection_year", "DOB").unique(
        subset=["CHILD", "collection_year"], keep="first"
    )
    return episodes.select("CHILD", "collection_year", "DECOM", "DEC").join(
        dob, on=["CHILD", "collection_year"], how="left"
    )


# --- re-identification ----------------------------------------------------------------------------


def reidentify(settings: Settings, token_value: str, *, actor: str) -> dict[str, Any]:
    """Find the identifier behind a token: information governance only, always audited."""
    roles = _roles_for(settings, actor)
    if REIDENTIFY_ROLE not in roles:
        _audit(settings, actor=actor, action="privacy.reidentify", target=token_value[:12], outcome="denied")
        raise PermissionDeniedError(
            f"{actor} may not re-identify tokens",
            hint="Only the information governance role may; ask your information governance lead.",
        )
    key = load_key(settings)
    with _store(settings) as con:
        ids = _store_identifiers(con)
    wanted = token_value.strip().lower()
    matches = sorted({i.strip().upper() for i, t in token_map(key, ids).items() if t == wanted})
    _audit(
        settings,
        actor=actor,
        action="privacy.reidentify",
        target=token_value[:12],
        outcome="allowed",
        details={"found": bool(matches)},
    )
    if not matches:
        raise NotFoundError(
            "no identifier in the store has this token under the current key",
            hint="The token may come from an earlier key: see privacy_token_crosswalk.",
        )
    return {"token": wanted, "identifier": matches[0], "key": keymod.fingerprint(key)}


def _roles_for(settings: Settings, actor: str) -> set[str]:
    """The actor's roles from the platform's accounts.  SINGLE CALL SITE for role look-up.

    An unknown or inactive user, or an app database that cannot be read, has no role: deny by default.
    """
    from kinsight.services import accounts

    try:
        users = accounts.list_users(settings)
    except Exception:  # noqa: BLE001 - an unreadable app database must refuse, not crash
        return set()
    return {str(u.role) for u in users if u.username == actor and u.active and u.role is not None}


def _audit(
    settings: Settings,
    *,
    actor: str,
    action: str,
    target: str,
    outcome: str = "allowed",
    details: dict[str, Any] | None = None,
) -> None:
    """SINGLE CALL SITE for the audit log (``kinsight.services.audit.record``).

    If the platform's audit service is not installed, events go to ``privacy-audit.jsonl`` in the
    home so that no export or re-identification is ever unrecorded.
    """
    try:
        audit = importlib.import_module("kinsight.services.audit")
    except ImportError:
        audit = None
    if audit is not None and hasattr(audit, "record"):
        audit.record(settings, actor=actor, action=action, target=target, outcome=outcome, details=details)
        return
    settings.home.mkdir(parents=True, exist_ok=True)
    line = {
        "at": datetime.now(UTC).isoformat(),
        "actor": actor,
        "action": action,
        "target": target,
        "outcome": outcome,
        "details": details or {},
    }
    with (settings.home / "privacy-audit.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, default=str) + "\n")


# --- store access ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _store(settings: Settings, *, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    path = settings.store_path
    if not path.exists():
        raise NotFoundError(f"no analytical store at {path}", hint="Load data first with 'kinsight ingest'.")
    with open_store(path, read_only=read_only) as con:
        yield con


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.sql("SELECT table_name FROM information_schema.tables").fetchall()]


def _read_table(settings: Settings, dataset: str, table: str, year: str | None) -> pl.DataFrame:
    name = f"{dataset}_{table}".lower()
    with _store(settings) as con:
        if name not in _tables(con):
            raise NotFoundError(
                f"the store holds no table {dataset}.{table}",
                hint="Check the dataset and table names, or ingest the returns first.",
            )
        if year is None:
            return con.sql(f'SELECT * FROM "{name}"' + file_order(con, name)).pl()
        query = f'SELECT * FROM "{name}" WHERE collection_year = ?' + file_order(con, name)
        frame = con.sql(query, params=[year]).pl()
    if frame.height == 0:
        raise NotFoundError(f"no rows for {year} in {dataset}.{table}", hint="Check the collection year.")
    return frame


def _store_identifiers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every distinct child identifier in the typed tables (never the raw ones: same values)."""
    found: set[str] = set()
    rows = con.sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE NOT starts_with(table_name, 'raw_') AND NOT starts_with(table_name, '_')"
    ).fetchall()
    for table, column in rows:
        if column in CHILD_ID_COLUMNS:
            values = con.sql(
                f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}" WHERE "{column}" IS NOT NULL'
            )
            found.update(v for (v,) in values.fetchall())
    return sorted(found)
