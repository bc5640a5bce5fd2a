"""The Alembic history builds exactly the schema the models declare, on SQLite and PostgreSQL.

Every area keeps its models in ``storage/models_<area>.py``; a model changed without a migration
would work in tests that call ``create_all`` and fail on a real installation.  This catches it.
"""

from __future__ import annotations

import importlib
import pkgutil

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import kinsight.storage as storage_package
from kinsight.storage.appdb import Base, alembic_config, engine_for, init_db


def _all_models() -> None:
    for module in pkgutil.iter_modules(storage_package.__path__):
        if module.name.startswith("models_"):
            importlib.import_module(f"kinsight.storage.{module.name}")


def test_upgrade_builds_the_declared_schema(app_db_url: str) -> None:
    _all_models()
    init_db(app_db_url)
    with engine_for(app_db_url).connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert drift == [], f"models and migrations disagree: {drift}"
    tables = set(inspect(engine_for(app_db_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_base_removes_every_table(app_db_url: str) -> None:
    init_db(app_db_url)
    command.downgrade(alembic_config(app_db_url), "base")
    left = set(inspect(engine_for(app_db_url)).get_table_names()) - {"alembic_version"}
    assert left == set()
