"""Local member profiles and settings kept in the database file itself."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import NewType

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from r2pdesk.orm import Base, Name, Retirable, ShortText, Tracked, str_enum

MemberId = NewType("MemberId", uuid.UUID)


class Role(enum.StrEnum):
    """What a person does in the mechanism."""

    MEMBER = "member"
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    OBSERVER = "observer"


class Constituency(enum.StrEnum):
    """Whom a member sits for: mechanisms "convene government officials and independent experts"
    (2024 report para. 34) and civil society."""

    GOVERNMENT = "government"
    INDEPENDENT_EXPERT = "independent_expert"
    CIVIL_SOCIETY = "civil_society"
    NHRI = "nhri"  # the national human rights institution
    OTHER = "other"


class Member(Retirable, Tracked, Base):
    """A person who works with this database on a laptop, and signs what they write."""

    __tablename__ = "member"

    name: Mapped[Name]
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.MEMBER)
    affiliation: Mapped[ShortText]
    email: Mapped[ShortText]
    active: Mapped[bool] = mapped_column(default=True)  # serving now (a past member stays listed)
    constituency: Mapped[Constituency] = mapped_column(
        str_enum(Constituency), default=Constituency.OTHER
    )
    institution_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True, default=None
    )
    term_start: Mapped[date | None] = mapped_column(default=None)
    term_end: Mapped[date | None] = mapped_column(default=None)


class Setting(Base):
    """A setting that travels with the database: committee name, this device's id, demo flag."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
