"""Risk assessments: ratings per risk factor and indicator, resilience, links to evidence."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import NewType

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2pdesk.i18n import N_, tr
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


# How people read the values (English, marked for the catalogue): `tr` them where shown, or use
# the functions below, which also tell apart words whose translation agrees with the noun. The
# levels' labels are in `r2pdesk.assessments.scale`, the statuses' in the assessment service.
PHASE_LABELS: dict[Phase, str] = {
    Phase.STABILITY: N_("Stability"),
    Phase.EMERGING_RISK: N_("Emerging risk"),
    Phase.ACTIVE_CRISIS: N_("Active crisis"),
    Phase.POST_CONFLICT_RECOVERY: N_("Post-conflict recovery"),
}
STRENGTH_LABELS: dict[Strength, str] = {
    Strength.NOT_ASSESSED: N_("Not assessed"),
    Strength.ABSENT: N_("Absent"),
    Strength.WEAK: N_("Weak"),
    Strength.MODERATE: N_("Moderate"),
    Strength.STRONG: N_("Strong"),
}
CONFIDENCE_LABELS: dict[Confidence, str] = {
    Confidence.LOW: N_("Low"), Confidence.MEDIUM: N_("Medium"), Confidence.HIGH: N_("High"),
}


def phase_label(phase: Phase) -> str:
    """A phase of the continuum as people read it, in the language in use."""
    return tr(PHASE_LABELS[phase])


def strength_label(strength: Strength) -> str:
    """An inhibitor's strength as people read it, in the language in use."""
    return tr(STRENGTH_LABELS[strength])


def confidence_label(confidence: Confidence) -> str:
    """A confidence as people read it, in the language in use (agreeing with "confidence")."""
    return {
        Confidence.LOW: tr("Low", context="confidence"),
        Confidence.MEDIUM: tr("Medium", context="confidence"),
        Confidence.HIGH: tr("High", context="confidence"),
    }[confidence]


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
