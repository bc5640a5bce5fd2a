"""Settings, read once by an entry point (CLI or web) and passed down; never imported as a global.

Every setting can come from the environment with the ``KINSIGHT_`` prefix (``KINSIGHT_HOME``,
``KINSIGHT_DATABASE_URL`` ...).  The Kinsight home is a folder that holds everything one
installation keeps: the analytical store, the embedded app database, reports and exports.
Secret keys are kept *outside* the home by default, so that copying a store never copies the key.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KINSIGHT_", extra="forbid")

    home: Path = Field(default=Path("kinsight-home"), description="Folder holding the stores and reports.")
    database_url: str | None = Field(
        default=None,
        description="App database URL (SQLAlchemy). Default: SQLite file app.db in the home folder.",
    )
    la_code: str = Field(default="999", description="Local authority code that owns this installation.")
    la_name: str = Field(default="Synthetic Borough Council", description="Local authority name.")
    secret_key: str | None = Field(
        default=None, description="Secret for signing sessions and tokens. Generated into the home if unset."
    )
    key_file: Path | None = Field(
        default=None, description="Pseudonymisation key file. Default: pseudonymisation.key beside the home."
    )
    session_timeout_minutes: int = Field(
        default=30, description="Idle minutes before a signed-in user must sign in again."
    )
    oidc_discovery_url: str | None = Field(
        default=None, description="OIDC discovery URL, e.g. Microsoft Entra ID."
    )
    oidc_client_id: str | None = Field(default=None, description="OIDC client id.")
    oidc_client_secret: str | None = Field(default=None, description="OIDC client secret.")
    secure_cookies: bool = Field(default=False, description="Mark cookies Secure (set true behind HTTPS).")
    small_cell_threshold: int = Field(
        default=5, description="Counts from 1 to this are suppressed when published."
    )

    @property
    def store_path(self) -> Path:
        """The DuckDB file holding child-level analytical data."""
        return self.home / "store.duckdb"

    @property
    def app_database_url(self) -> str:
        return self.database_url or _sqlite_url(self.home, os.getcwd())

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def resolved_key_file(self) -> Path:
        return self.key_file or self.home.resolve().parent / f"{self.home.name}.pseudonymisation.key"


@lru_cache(maxsize=64)
def _sqlite_url(home: Path, cwd: str) -> str:
    """The embedded app database's URL; remembered because every request asks for it and resolving a
    path walks the file system (``cwd`` is part of the key because a relative home depends on it)."""
    return f"sqlite:///{(Path(cwd) / home / 'app.db').resolve()}"


def load_settings(home: Path | None = None, **overrides: object) -> Settings:
    """Build settings from the environment, with an explicit ``--home`` taking precedence."""
    if home is not None:
        overrides["home"] = home
    return Settings(**overrides)  # type: ignore[arg-type]
