"""Local member profiles and settings kept in the database file itself."""

from __future__ import annotations

import enum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from r2pdesk.orm import Base, Name, ShortText, Tracked, str_enum


class Role(enum.StrEnum):
    """What a person does in the mechanism."""

    MEMBER = "member"
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    OBSERVER = "observer"


class Member(Tracked, Base):
    """A person who works with this database on this or another laptop."""

    __tablename__ = "member"

    name: Mapped[Name]
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.MEMBER)
    affiliation: Mapped[ShortText]
    email: Mapped[ShortText]
    active: Mapped[bool] = mapped_column(default=True)


class Setting(Base):
    """A setting that travels with the database: committee name, this device's id, demo flag."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
