"""Risk assessments: ratings per risk factor and indicator, resilience, links to evidence."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import NewType

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2pdesk.orm import Base, LongText, Name, ShortText, Tracked, link_table, str_enum

AssessmentId = NewType("AssessmentId", uuid.UUID)


class Level(enum.StrEnum):
    """r2pdesk's risk scale (the framework has no official one); `not_assessed` is not a level."""

    NOT_ASSESSED = "not_assessed"
    NOT_PRESENT = "not_present"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    SEVERE = "severe"


class Confidence(enum.StrEnum):
    """How sure the analyst is of a rating, kept apart from the level itself."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Phase(enum.StrEnum):
    """The continuum of the 2026 report, para. 46."""

    STABILITY = "stability"
    EMERGING_RISK = "emerging_risk"
    ACTIVE_CRISIS = "active_crisis"
    POST_CONFLICT_RECOVERY = "post_conflict_recovery"


class AssessmentStatus(enum.StrEnum):
    """Where an assessment stands in its review."""

    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    VALIDATED = "validated"
    SUPERSEDED = "superseded"


class Strength(enum.StrEnum):
    """How strong an inhibitor is."""

    NOT_ASSESSED = "not_assessed"
    ABSENT = "absent"
    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"


assessment_warning = link_table(
    "assessment_warning", ("assessment_id", "assessment"), ("warning_id", "early_warning")
)
rating_group = link_table("rating_group", ("rating_id", "rating"), ("group_id", "population_group"))
rating_area = link_table("rating_area", ("rating_id", "rating"), ("area_id", "area"))
rating_source = link_table("rating_source", ("rating_id", "rating"), ("source_id", "source"))


class Assessment(Tracked, Base):
    """A risk assessment of a scope (national when no area) over a period."""

    __tablename__ = "assessment"

    title: Mapped[Name]
    area_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("area.id", ondelete="RESTRICT"), index=True
    )
    period_start: Mapped[date]
    period_end: Mapped[date] = mapped_column(index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase), default=Phase.STABILITY)
    status: Mapped[AssessmentStatus] = mapped_column(
        str_enum(AssessmentStatus), default=AssessmentStatus.DRAFT, index=True
    )
    authors: Mapped[ShortText]
    summary: Mapped[LongText]
    framework_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_version.id"))
    overall_level: Mapped[Level] = mapped_column(str_enum(Level), default=Level.NOT_ASSESSED)
    overall_override: Mapped[Level | None] = mapped_column(str_enum(Level))
    override_justification: Mapped[LongText]

    ratings: Mapped[list[Rating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    resilience: Mapped[list[ResilienceRating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class Rating(Tracked, Base):
    """A rating of one risk factor (indicator empty) or one of its indicators."""

    __tablename__ = "rating"

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    risk_factor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("risk_factor.id"), index=True)
    indicator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("indicator.id"))
    level: Mapped[Level] = mapped_column(str_enum(Level), default=Level.NOT_ASSESSED)
    confidence: Mapped[Confidence | None] = mapped_column(str_enum(Confidence))
    evidence: Mapped[LongText]
    override_level: Mapped[Level | None] = mapped_column(str_enum(Level))
    override_justification: Mapped[LongText]
    confidential: Mapped[bool] = mapped_column(default=False)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")


class ResilienceRating(Tracked, Base):
    """The strength of one inhibitor in an assessment."""

    __tablename__ = "resilience_rating"

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    resilience_factor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resilience_factor.id"))
    strength: Mapped[Strength] = mapped_column(str_enum(Strength), default=Strength.NOT_ASSESSED)
    notes: Mapped[LongText]

    assessment: Mapped[Assessment] = relationship(back_populates="resilience")
