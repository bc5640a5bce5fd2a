"""Use cases for dataset specs: list them, and show the spec in force for a year."""

from __future__ import annotations

from typing import Any

from kinsight.domain.years import parse_year
from kinsight.specs import dataset_names, load_spec


def list_specs() -> list[dict[str, Any]]:
    out = []
    for name in dataset_names():
        spec = load_spec(name)
        out.append(
            {
                "dataset": name,
                "title": spec.title,
                "statutory": spec.statutory,
                "tables": list(spec.tables),
                "codesets": len(spec.codesets),
            }
        )
    return out


def show_spec(dataset: str, year: str) -> dict[str, Any]:
    """The spec of ``dataset`` in force in collection year ``year``, as plain data."""
    parse_year(year)
    spec = load_spec(dataset).in_force(year)
    used = {f.codeset for t in spec.tables.values() for f in t.fields.values() if f.codeset}
    return {
        "dataset": spec.name,
        "title": spec.title,
        "year": year,
        "description": spec.description,
        "tables": [
            {
                "table": t.name,
                "dfe_name": t.dfe_name,
                "description": t.description,
                "keys": list(t.keys),
                "fields": [
                    {
                        "name": f.name,
                        "type": str(f.type),
                        "required": f.required,
                        "codeset": f.codeset,
                        "privacy": str(f.privacy),
                        "description": f.description,
                        "optional_column": f.optional_column,
                    }
                    for f in t.fields.values()
                ],
            }
            for t in spec.tables.values()
        ],
        "codesets": {
            name: {
                "description": cs.description,
                "codes": [{"code": c.code, "meaning": c.meaning} for c in cs.codes],
            }
            for name, cs in spec.codesets.items()
            if name in used
        },
    }
