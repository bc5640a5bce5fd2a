"""Alembic environment: run migrations on the connection or URL that ``init_db`` hands over."""

from __future__ import annotations

import importlib
import pkgutil

from alembic import context
from sqlalchemy import engine_from_config, pool

import kinsight.storage as storage_package
from kinsight.storage.appdb import Base

# Every area's models module is imported so autogenerate sees the whole schema.
for _module in pkgutil.iter_modules(storage_package.__path__):
    if _module.name.startswith("models_"):
        importlib.import_module(f"kinsight.storage.{_module.name}")

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run()
