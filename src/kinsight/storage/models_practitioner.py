"""App-database tables of the practitioner view: caseloads and recorded reasons for access.

``caseload_entries``: which practitioner holds which child (open while ``ended_at`` is empty).
``access_grants``: every recorded reason for opening a child's record outside one's caseload,
including break-glass access, with the information-governance review of break-glass grants.
Child IDs are the authority's own identifiers; no other child-level value is kept here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinsight.storage.appdb import Base


class CaseloadEntry(Base):
    __tablename__ = "caseload_entries"
    __table_args__ = (Index("ix_caseload_entries_username_child", "username", "child_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), index=True)
    child_id: Mapped[str] = mapped_column(String(64), index=True)
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ended_by: Mapped[str | None] = mapped_column(String(120), nullable=True)


class AccessGrant(Base):
    """A recorded reason to open one child's record; break-glass ones wait for review."""

    __tablename__ = "access_grants"
    __table_args__ = (Index("ix_access_grants_username_child_at", "username", "child_id", "granted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120))
    child_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    break_glass: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    audit_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    review_outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
