"""What the Excel exchange remembers: the workbooks written or received, the rows already applied,
and the conflicts left for a person to resolve."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import NewType

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from r2pdesk.orm import Base, str_enum, utcnow

ExportId = NewType("ExportId", uuid.UUID)
ConflictId = NewType("ConflictId", uuid.UUID)


class ExportKind(enum.StrEnum):
    """A focal point's workbook for one institution, or every record for the secretariat."""

    FOCAL_POINT = "focal_point"
    FULL = "full"


class ConflictStatus(enum.StrEnum):
    """Whether a person has decided a conflict yet."""

    OPEN = "open"
    RESOLVED = "resolved"


class ExchangeExport(Base):
    """A workbook r2pdesk wrote, here or on another laptop, known by the id in its hidden sheet."""

    __tablename__ = "exchange_export"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[ExportKind] = mapped_column(str_enum(ExportKind))
    institution_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = mapped_column(String(200), default="")
    device: Mapped[str] = mapped_column(String(64), default="")
    # When it first came back here; None while it has only been sent out.
    imported_at: Mapped[datetime | None]


class ExchangeRow(Base):
    """A workbook row already applied, by the digest of its content: importing it again is a
    no-op, whatever happened to the record since."""

    __tablename__ = "exchange_row"

    export_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exchange_export.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    sheet: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID]
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExchangeConflict(Base):
    """A field changed both in the database and in a workbook since its export, to different
    values: both are kept here until a person chooses one or writes another."""

    __tablename__ = "exchange_conflict"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    export_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exchange_export.id", ondelete="CASCADE"), index=True
    )
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(String(64))
    # Values as JSON: the exported base, the database's at import, the workbook's.
    base: Mapped[str] = mapped_column(Text, default="null")
    ours: Mapped[str] = mapped_column(Text, default="null")
    theirs: Mapped[str] = mapped_column(Text, default="null")
    # What else the workbook said with it (JSON), e.g. the date and note of a progress report.
    detail: Mapped[str] = mapped_column(Text, default="{}")
    source_file: Mapped[str] = mapped_column(String(300), default="")
    sheet: Mapped[str] = mapped_column(String(64), default="")
    row: Mapped[int] = mapped_column(default=0)
    status: Mapped[ConflictStatus] = mapped_column(
        str_enum(ConflictStatus), default=ConflictStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolution: Mapped[str | None] = mapped_column(Text)  # the value chosen, as JSON
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str] = mapped_column(String(200), default="")
