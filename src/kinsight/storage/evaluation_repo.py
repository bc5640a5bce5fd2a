"""Queries for the evaluation area: the model registry, shadow runs, decision records, shadow outputs.

App-database functions take a session from :func:`session` (the service owns the transaction).  Shadow
outputs (one score per child) are child-level data, so they live in the analytical store, in
``_shadow_outputs``; those functions take an open DuckDB connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from kinsight.storage.appdb import session_scope
from kinsight.storage.models_evaluation import EvalDecision, EvalModel, EvalShadowRun

session = session_scope  # the shared unit of work (storage.appdb)


SHADOW_OUTPUTS = "_shadow_outputs"
SHADOW_COLUMNS: dict[str, str] = {
    "run_id": "INTEGER",
    "model": "VARCHAR",
    "version": "VARCHAR",
    "subject": "VARCHAR",
    "placement_start": "DATE",
    "score": "DOUBLE",
    "outcome": "INTEGER",
    "grp": "VARCHAR",
    "scored_at": "TIMESTAMP",
}


# --- model registry -----------------------------------------------------------------------------------


def find_model(s: Session, name: str, version: str | None = None) -> EvalModel | None:
    """The named model (the given version, or the newest registered)."""
    query = select(EvalModel).where(EvalModel.name == name)
    if version is not None:
        query = query.where(EvalModel.version == version)
    return s.scalars(query.order_by(EvalModel.id.desc()).limit(1)).first()


def models(s: Session) -> Sequence[EvalModel]:
    return s.scalars(select(EvalModel).order_by(EvalModel.name, EvalModel.id)).all()


def models_by_id(s: Session, ids: Sequence[int]) -> dict[int, EvalModel]:
    if not ids:
        return {}
    return {m.id: m for m in s.scalars(select(EvalModel).where(EvalModel.id.in_(list(ids)))).all()}


def add_model(s: Session, **values: Any) -> EvalModel:
    row = EvalModel(**values)
    s.add(row)
    s.flush()
    return row


# --- shadow runs --------------------------------------------------------------------------------------


def add_shadow_run(
    s: Session, *, model_id: int, scored: int, data_as_at: str, comparison: dict[str, Any]
) -> EvalShadowRun:
    row = EvalShadowRun(model_id=model_id, scored=scored, data_as_at=data_as_at, comparison=comparison)
    s.add(row)
    s.flush()
    return row


def latest_run(s: Session, model_ids: Sequence[int]) -> EvalShadowRun | None:
    if not model_ids:
        return None
    query = select(EvalShadowRun).where(EvalShadowRun.model_id.in_(list(model_ids)))
    return s.scalars(query.order_by(EvalShadowRun.id.desc()).limit(1)).first()


def set_comparison(s: Session, run_id: int, comparison: dict[str, Any]) -> None:
    row = s.get(EvalShadowRun, run_id)
    if row is not None:
        row.comparison = comparison


# --- decisions ----------------------------------------------------------------------------------------


def add_decision(s: Session, **values: Any) -> EvalDecision:
    row = EvalDecision(**values)
    s.add(row)
    s.flush()
    return row


def latest_decisions(s: Session, model_ids: Sequence[int]) -> dict[str, EvalDecision]:
    """The newest decision per child for these models (a changed decision is a new record)."""
    if not model_ids:
        return {}
    query = (
        select(EvalDecision)
        .where(EvalDecision.model_id.in_(list(model_ids)))
        .order_by(EvalDecision.decided_at, EvalDecision.id)
    )
    latest: dict[str, EvalDecision] = {}
    for row in s.scalars(query):
        latest[row.subject] = row
    return latest


# --- shadow outputs (analytical store) ----------------------------------------------------------------


def ensure_shadow_table(con: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in SHADOW_COLUMNS.items())
    con.sql(f"create table if not exists {SHADOW_OUTPUTS} ({columns})")


def write_shadow_outputs(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> int:
    """Append one run's outputs; ``frame`` has exactly :data:`SHADOW_COLUMNS`."""
    ensure_shadow_table(con)
    ordered = frame.select(list(SHADOW_COLUMNS))  # noqa: F841 - read by DuckDB's replacement scan
    con.sql(f"insert into {SHADOW_OUTPUTS} select * from ordered")
    return frame.height


def has_shadow_table(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.sql(
        "select count(*) from information_schema.tables where table_name = $name",
        params={"name": SHADOW_OUTPUTS},
    ).fetchall()
    return bool(found[0][0])


def run_outputs(con: duckdb.DuckDBPyConnection, run_id: int) -> pl.DataFrame:
    """One run's outputs, sorted by child."""
    if not has_shadow_table(con):
        return pl.DataFrame(schema={name: pl.String for name in SHADOW_COLUMNS})
    return con.sql(
        f"select * from {SHADOW_OUTPUTS} where run_id = $run order by subject, placement_start",
        params={"run": run_id},
    ).pl()


def outputs_for_subject(con: duckdb.DuckDBPyConnection, subject: str, run_ids: Sequence[int]) -> pl.DataFrame:
    """The outputs of the given runs for one child, newest run first."""
    if not run_ids or not has_shadow_table(con):
        return pl.DataFrame()
    return con.sql(
        f"select * from {SHADOW_OUTPUTS} where subject = $subject and list_contains($runs, run_id) "
        "order by run_id desc",
        params={"subject": subject, "runs": list(run_ids)},
    ).pl()


def runs_of(s: Session, model_ids: Sequence[int]) -> list[int]:
    if not model_ids:
        return []
    query = select(EvalShadowRun.id).where(EvalShadowRun.model_id.in_(list(model_ids)))
    return list(s.scalars(query.order_by(EvalShadowRun.id)))
