"""Institutions the committee addresses (ministries, parliament, regional bodies ...) and their
focal points."""

from __future__ import annotations

import enum
import uuid
from typing import NewType

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2pdesk.orm import Base, LongText, Name, ShortText, Tracked, str_enum

InstitutionId = NewType("InstitutionId", uuid.UUID)


class InstitutionKind(enum.StrEnum):
    """The kinds of institution a national mechanism works with."""

    MINISTRY = "ministry"
    AGENCY = "agency"
    PARLIAMENT = "parliament"
    JUDICIARY = "judiciary"
    NHRI = "nhri"
    REGIONAL_BODY = "regional_body"
    SUBREGIONAL_BODY = "subregional_body"
    UN_ENTITY = "un_entity"
    CIVIL_SOCIETY = "civil_society"
    OTHER = "other"


class Institution(Tracked, Base):
    """A ministry, agency, court, parliament, regional body, UN entity or organization."""

    __tablename__ = "institution"

    name: Mapped[Name] = mapped_column(index=True)
    acronym: Mapped[ShortText]
    kind: Mapped[InstitutionKind] = mapped_column(
        str_enum(InstitutionKind), default=InstitutionKind.OTHER, index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("institution.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[ShortText]
    phone: Mapped[ShortText]
    notes: Mapped[LongText]

    focal_points: Mapped[list[FocalPoint]] = relationship(
        back_populates="institution", cascade="all, delete-orphan"
    )


class FocalPoint(Tracked, Base):
    """A named contact person in an institution."""

    __tablename__ = "focal_point"

    institution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[Name]
    title: Mapped[ShortText]
    email: Mapped[ShortText]
    phone: Mapped[ShortText]
    notes: Mapped[LongText]

    institution: Mapped[Institution] = relationship(back_populates="focal_points")
