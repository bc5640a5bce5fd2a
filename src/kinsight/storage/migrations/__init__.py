"""Alembic migrations of the app database (one history; each area adds its own version files)."""
