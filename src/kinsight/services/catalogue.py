"""The dataset catalogue: what is held, for which years, who owns it, and how complete each field is."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kinsight.domain.years import parse_year
from kinsight.errors import NotFoundError, UsageError
from kinsight.ingest.profile import profile_table
from kinsight.services import audit
from kinsight.settings import Settings
from kinsight.specs import dataset_names, load_spec
from kinsight.storage.analytical import open_store


def _profiles_cache(settings: Settings, files: list[tuple[Any, ...]]) -> Path:
    """Where the field profiles of this exact set of loaded files are kept.

    Profiling counts missing and distinct values of every field of every table, which takes seconds
    on a ten-year authority; the answer changes only when a file is loaded or replaced, so it is
    keyed by the loaded files themselves.
    """
    key = hashlib.sha256(json.dumps(sorted(map(repr, files))).encode()).hexdigest()[:24]
    return settings.home / "cache" / "catalogue" / f"profiles-{key}.json"


def _field_profiles(con: Any, settings: Settings, files: list[tuple[Any, ...]]) -> dict[str, Any]:
    """``{"dataset/table/year": {"rows": n, "fields": [...]}}``, computed once per set of loaded files."""
    cache = _profiles_cache(settings, files)
    if cache.exists():
        return json.loads(cache.read_text())
    profiles: dict[str, Any] = {}
    for dataset in sorted({f[0] for f in files}):
        for table in load_spec(dataset).tables.values():
            for year, profile in profile_table(con, dataset, table).items():
                profiles[f"{dataset}/{table.name}/{year}"] = {
                    "rows": profile.rows,
                    "fields": [
                        {"name": f.name, "type": f.type, "missing_pct": f.missing_pct, "distinct": f.distinct}
                        for f in profile.fields
                    ],
                }
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps(profiles))
        tmp.replace(cache)
    except OSError:  # a read-only home still gets its catalogue, only slower
        pass
    return profiles


def catalogue_entries(settings: Settings) -> list[dict[str, Any]]:
    """One entry per dataset table and year held, sorted by dataset, table (spec order) and year.

    Each entry: ``dataset, table, year, rows, owner, source, loaded_at, file, fields`` where ``fields``
    lists ``name, type, missing_pct, distinct`` for the fields in force that year.
    """
    if not settings.store_path.exists():
        return []
    entries: list[dict[str, Any]] = []
    with open_store(settings.store_path, read_only=True) as con:
        meta = {
            r[0]: (r[1], r[2])
            for r in con.execute("SELECT dataset, owner, source FROM _catalogue_meta").fetchall()
        }
        files = con.execute(
            "SELECT dataset, \"table\", year, max(loaded_at), string_agg(DISTINCT file, ', ' ORDER BY file), "
            "string_agg(DISTINCT sha256, ',' ORDER BY sha256) FROM _files "
            "WHERE status = 'loaded' GROUP BY dataset, \"table\", year"
        ).fetchall()
        loaded = {(d, t, y): (at, f) for d, t, y, at, f, _ in files}
        profiles = _field_profiles(con, settings, files)
        for dataset in sorted({d for d, _, _ in loaded}):
            spec = load_spec(dataset)
            owner, source = meta.get(dataset, (None, None))
            for table in spec.tables.values():
                for year in sorted(
                    {y for d, t, y in loaded if d == dataset and t == table.name}, key=parse_year
                ):
                    at, file = loaded[(dataset, table.name, year)]
                    profile = profiles.get(f"{dataset}/{table.name}/{year}")
                    fields = (
                        profile["fields"]
                        if profile
                        # a table loaded with no rows: nothing is missing and nothing is distinct
                        else [
                            {"name": f.name, "type": str(f.type), "missing_pct": 0.0, "distinct": 0}
                            for f in table.in_force(year).fields.values()
                        ]
                    )
                    entries.append(
                        {
                            "dataset": dataset,
                            "table": table.name,
                            "year": year,
                            "rows": profile["rows"] if profile else 0,
                            "owner": owner,
                            "source": source,
                            "loaded_at": at.isoformat(timespec="seconds") if at else None,
                            "file": file,
                            "fields": fields,
                        }
                    )
    return entries


def set_owner(
    settings: Settings, dataset: str, owner: str, source: str | None = None, *, actor: str = "system"
) -> dict[str, Any]:
    """Record who owns a dataset (and, optionally, where it comes from) for the catalogue."""
    if dataset not in dataset_names():
        raise NotFoundError(f"no dataset named '{dataset}'", hint="Datasets: " + ", ".join(dataset_names()))
    owner = owner.strip()
    if not owner:
        raise UsageError(
            "the owner cannot be blank", hint="Give a team or a person, e.g. --owner 'CSC data team'."
        )
    with open_store(settings.store_path) as con:
        current = con.execute("SELECT source FROM _catalogue_meta WHERE dataset = ?", [dataset]).fetchall()
        new_source = source if source is not None else (current[0][0] if current else None)
        con.execute(
            "INSERT OR REPLACE INTO _catalogue_meta VALUES (?, ?, ?, ?)",
            [dataset, owner, new_source, datetime.now(UTC).replace(tzinfo=None)],
        )
    result = {"dataset": dataset, "owner": owner, "source": new_source}
    audit.record(settings, actor=actor, action="catalogue.set_owner", target=dataset, details=result)
    return result
