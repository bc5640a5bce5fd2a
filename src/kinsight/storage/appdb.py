"""The app database: users, projects, challenges, audit log, model registry, monitoring runs.

One declarative ``Base`` is shared by every area's models (``models_<area>.py``) so that a single
Alembic history covers the whole schema.  SQLite is the embedded default; PostgreSQL is used in
production and in CI.  Child-level data never goes here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys on and a busy timeout for concurrent web workers."""
    if url.startswith("sqlite"):
        # A web worker runs up to 40 request threads; a pool that small would make them queue for a
        # connection (and time out after 30 s under load), so SQLite gets a pool as wide as the threads.
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=10,
            max_overflow=40,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; saves an fsync per audit append
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


# --- helpers added by the platform area -------------------------------------------------------------

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_ENGINES: dict[str, Engine] = {}
_MIGRATED: set[str] = set()


#: Guards the two dicts above: the first requests of a freshly started server arrive on many threads at
#: once, and Alembic (module-level state) must not run twice side by side in one process.
_SETUP_LOCK = threading.RLock()


def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per database URL per process, shared by every service call."""
    engine = _ENGINES.get(url)
    if engine is None:
        with _SETUP_LOCK:
            engine = _ENGINES.get(url)
            if engine is None:
                engine = _ENGINES[url] = make_engine(url)
    return engine


def dispose_engine(url: str) -> None:
    """Close the pooled connections of ``url`` (tests drop their databases afterwards)."""
    with _SETUP_LOCK:
        engine = _ENGINES.pop(url, None)
        _MIGRATED.discard(url)
    if engine is not None:
        engine.dispose()


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def init_db(url: str) -> None:
    """Bring the app database at ``url`` up to the newest schema (Alembic ``upgrade heads``).

    Safe to call on every start; the SQLite folder is created when missing.
    """
    from alembic import command

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with _SETUP_LOCK:
        engine = engine_for(url)
        config = alembic_config(url)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
        _MIGRATED.add(url)


def ensure_db(url: str) -> Engine:
    """The engine for ``url``, migrated once per process before first use."""
    if url not in _MIGRATED:
        with _SETUP_LOCK:
            if url not in _MIGRATED:
                init_db(url)
    return engine_for(url)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session on the migrated app database that commits on success and rolls back on error.

    Every area's repository uses this one; the migrations create every area's tables.
    """
    with Session(ensure_db(url), expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything in the app database is written in UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
