"""The dataset catalogue: what is held, for which years, who owns it, and how complete each field is."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kinsight.domain.years import parse_year
from kinsight.errors import NotFoundError, UsageError
from kinsight.ingest.profile import profile_table
from kinsight.services import audit
from kinsight.settings import Settings
from kinsight.specs import dataset_names, load_spec
from kinsight.storage.analytical import open_store


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
            "SELECT dataset, \"table\", year, max(loaded_at), string_agg(DISTINCT file, ', ') FROM _files "
            "WHERE status = 'loaded' GROUP BY ALL"
        ).fetchall()
        loaded = {(d, t, y): (at, f) for d, t, y, at, f in files}
        for dataset in sorted({d for d, _, _ in loaded}):
            spec = load_spec(dataset)
            owner, source = meta.get(dataset, (None, None))
            for table in spec.tables.values():
                profiles = profile_table(con, dataset, table)
                for year in sorted(
                    {y for d, t, y in loaded if d == dataset and t == table.name}, key=parse_year
                ):
                    at, file = loaded[(dataset, table.name, year)]
                    profile = profiles.get(year)
                    fields = (
                        [
                            {
                                "name": f.name,
                                "type": f.type,
                                "missing_pct": f.missing_pct,
                                "distinct": f.distinct,
                            }
                            for f in profile.fields
                        ]
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
                            "rows": profile.rows if profile else 0,
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
