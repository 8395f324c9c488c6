"""The declarative base, column types and the bookkeeping every user record carries."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Names for every constraint and index, so that batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC, read back as aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def str_enum(enum_cls: type[enum.StrEnum]) -> Enum:
    """A portable string column for a StrEnum: no native enum type, values validated in Python.

    New values then need no DDL, and a file from a newer laptop still opens.
    """
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        validate_strings=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


# Reusable annotated column types.
Name = Annotated[str, mapped_column(String(300))]
ShortText = Annotated[str, mapped_column(String(300), default="")]
LongText = Annotated[str, mapped_column(Text, default="")]
Code = Annotated[str, mapped_column(String(64))]


class Base(DeclarativeBase):
    """The one declarative base of r2pdesk's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it at class creation
        uuid.UUID: Uuid(),
        datetime: UTCDateTime(),
        date: Date(),
        str: String(300),
    }


class Tracked:
    """Bookkeeping of a user record: a UUID so files from several laptops merge without clashes,
    timestamps, who wrote it on which device, and a revision counted up on every change."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = mapped_column(String(200), default="")
    origin_device: Mapped[str] = mapped_column(String(64), default="")
    revision: Mapped[int] = mapped_column(default=1)


class Retirable:
    """A list entry (area, group, source, member) that is retired instead of deleted, because
    records name it; a duplicate merged into another keeps the id of the one it was merged into."""

    retired: Mapped[bool] = mapped_column(default=False, index=True)
    merged_into: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None)


def link_table(name: str, left: tuple[str, str], right: tuple[str, str]) -> Table:
    """A many-to-many table of two records' ids, each side (column, table) deleted with its row."""
    return Table(
        name,
        Base.metadata,
        *(
            Column(column, ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True)
            for column, table in (left, right)
        ),
    )


TRACKING_COLUMNS = frozenset(
    {"id", "created_at", "updated_at", "author", "origin_device", "revision"}
)
