"""National recommendations (the committee's own, adopted from the SG catalogue, or from the UPR
and treaty bodies) and their dated history of progress updates."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import NewType

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2pdesk.orm import Base, LongText, ShortText, Tracked, link_table, str_enum

RecommendationId = NewType("RecommendationId", uuid.UUID)


class RecStatus(enum.StrEnum):
    """Implementation status of a recommendation."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    IMPLEMENTED = "implemented"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_APPLICABLE = "not_applicable"


class RecSource(enum.StrEnum):
    """Where a national recommendation comes from."""

    CATALOGUE = "catalogue"
    COMMITTEE = "committee"
    UPR = "upr"
    TREATY_BODY = "treaty_body"
    OTHER = "other"


class Priority(enum.StrEnum):
    """How urgent the committee judges a recommendation."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def _link(name: str, column: str, target: str) -> Table:
    return link_table(name, ("recommendation_id", "recommendation"), (column, target))


recommendation_supporter = _link("recommendation_supporter", "institution_id", "institution")
recommendation_risk_factor = _link("recommendation_risk_factor", "risk_factor_id", "risk_factor")
recommendation_warning = _link("recommendation_warning", "warning_id", "early_warning")
recommendation_assessment = _link("recommendation_assessment", "assessment_id", "assessment")

# Evidence outlives a deleted update only by choice: an attachment in use cannot be deleted.
progress_attachment = Table(
    "progress_attachment",
    Base.metadata,
    Column("update_id", ForeignKey("progress_update.id", ondelete="CASCADE"), primary_key=True),
    Column("attachment_id", ForeignKey("attachment.id", ondelete="RESTRICT"), primary_key=True),
)


class Recommendation(Tracked, Base):
    """A recommendation the committee follows up, with its lead institution and deadline."""

    __tablename__ = "recommendation"

    text: Mapped[str] = mapped_column(Text)
    source: Mapped[RecSource] = mapped_column(str_enum(RecSource), default=RecSource.COMMITTEE)
    source_reference: Mapped[ShortText]
    # Unique: the same catalogue item cannot be adopted twice.
    catalogue_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("catalogue_recommendation.id"), unique=True
    )
    lead_institution_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.MEDIUM)
    made_on: Mapped[date]
    due_on: Mapped[date | None] = mapped_column(index=True)
    # The latest progress update's status, kept here so that lists filter and sort in SQL.
    status: Mapped[RecStatus] = mapped_column(
        str_enum(RecStatus), default=RecStatus.NOT_STARTED, index=True
    )
    confidential: Mapped[bool] = mapped_column(default=False)

    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="recommendation",
        cascade="all, delete-orphan",
        order_by="ProgressUpdate.on",
    )


class ProgressUpdate(Tracked, Base):
    """A dated step in a recommendation's history; the history is never rewritten."""

    __tablename__ = "progress_update"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    on: Mapped[date]
    status: Mapped[RecStatus] = mapped_column(str_enum(RecStatus))
    narrative: Mapped[LongText]
    reported_by: Mapped[ShortText]

    recommendation: Mapped[Recommendation] = relationship(back_populates="updates")
