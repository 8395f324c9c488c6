"""Early warnings: what is seen where and who is at risk, addressed to institutions, and the
responses logged against them."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import NewType

from sqlalchemy import ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2pdesk.i18n import N_, tr
from r2pdesk.orm import Base, LongText, Name, ShortText, Tracked, link_table, str_enum

WarningId = NewType("WarningId", uuid.UUID)


class Severity(enum.StrEnum):
    """Four levels, lowest first."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    CRITICAL = "critical"


class Likelihood(enum.StrEnum):
    """How likely the feared outcome is."""

    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    LIKELY = "likely"
    VERY_LIKELY = "very_likely"


class Horizon(enum.StrEnum):
    """When the feared outcome could happen."""

    IMMINENT = "imminent"
    WEEKS = "weeks"
    MONTHS = "months"


class WarningStatus(enum.StrEnum):
    """The life of a warning."""

    DRAFT = "draft"
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    RESPONSE_UNDER_WAY = "response_under_way"
    CLOSED = "closed"


class Resolution(enum.StrEnum):
    """How a closed warning ended."""

    RESOLVED = "resolved"
    ESCALATED = "escalated"
    NO_ACTION_TAKEN = "no_action_taken"
    OVERTAKEN_BY_EVENTS = "overtaken_by_events"


class ResponseKind(enum.StrEnum):
    """An acknowledgement of receipt, or an action taken."""

    ACKNOWLEDGEMENT = "acknowledgement"
    ACTION = "action"


# How people read the values (English, marked for the catalogue; `tr` them where shown, or use
# the functions below, which also tell apart words whose translation agrees with the noun).
SEVERITY_LABELS: dict[Severity, str] = {
    Severity.LOW: N_("Low"), Severity.MODERATE: N_("Moderate"), Severity.HIGH: N_("High"),
    Severity.CRITICAL: N_("Critical"),
}
WARNING_STATUS_LABELS: dict[WarningStatus, str] = {
    WarningStatus.DRAFT: N_("Draft"), WarningStatus.ISSUED: N_("Issued"),
    WarningStatus.ACKNOWLEDGED: N_("Acknowledged"),
    WarningStatus.RESPONSE_UNDER_WAY: N_("Response under way"), WarningStatus.CLOSED: N_("Closed"),
}
LIKELIHOOD_LABELS: dict[Likelihood, str] = {
    Likelihood.UNLIKELY: N_("Unlikely"), Likelihood.POSSIBLE: N_("Possible"),
    Likelihood.LIKELY: N_("Likely"), Likelihood.VERY_LIKELY: N_("Very likely"),
}
HORIZON_LABELS: dict[Horizon, str] = {
    Horizon.IMMINENT: N_("Imminent"), Horizon.WEEKS: N_("Within weeks"),
    Horizon.MONTHS: N_("Within months"),
}
RESOLUTION_LABELS: dict[Resolution, str] = {
    Resolution.RESOLVED: N_("Resolved"), Resolution.ESCALATED: N_("Escalated"),
    Resolution.NO_ACTION_TAKEN: N_("No action taken"),
    Resolution.OVERTAKEN_BY_EVENTS: N_("Overtaken by events"),
}
RESPONSE_KIND_LABELS: dict[ResponseKind, str] = {
    ResponseKind.ACKNOWLEDGEMENT: N_("Acknowledgement of receipt"),
    ResponseKind.ACTION: N_("Action"),
}


def severity_label(severity: Severity) -> str:
    """A severity as people read it, in the language in use ("High")."""
    return {
        Severity.LOW: tr("Low", context="severity"),
        Severity.MODERATE: tr("Moderate", context="severity"),
        Severity.HIGH: tr("High", context="severity"),
        Severity.CRITICAL: tr("Critical", context="severity"),
    }[severity]


def warning_status_label(status: WarningStatus) -> str:
    """A warning's status as people read it, in the language in use ("Response under way")."""
    return tr(WARNING_STATUS_LABELS[status])


def likelihood_label(likelihood: Likelihood) -> str:
    """A likelihood as people read it, in the language in use."""
    return tr(LIKELIHOOD_LABELS[likelihood])


def horizon_label(horizon: Horizon) -> str:
    """A horizon as people read it, in the language in use."""
    return tr(HORIZON_LABELS[horizon])


def resolution_label(resolution: Resolution) -> str:
    """How a closed warning ended, as people read it, in the language in use."""
    return tr(RESOLUTION_LABELS[resolution])


def response_kind_label(kind: ResponseKind) -> str:
    """The kind of a response, as people read it, in the language in use."""
    return tr(RESPONSE_KIND_LABELS[kind])


def _link(name: str, column: str, target: str) -> Table:
    return link_table(name, ("warning_id", "early_warning"), (column, target))


warning_area = _link("warning_area", "area_id", "area")
warning_group = _link("warning_group", "group_id", "population_group")
warning_indicator = _link("warning_indicator", "indicator_id", "indicator")
warning_risk_factor = _link("warning_risk_factor", "risk_factor_id", "risk_factor")
warning_addressee = _link("warning_addressee", "institution_id", "institution")
warning_source = _link("warning_source", "source_id", "source")


class EarlyWarning(Tracked, Base):
    """A dated alert about a situation, with its severity and the response it asks for."""

    __tablename__ = "early_warning"

    reference: Mapped[str] = mapped_column(String(32), unique=True)  # EW-2026-014, never reused
    title: Mapped[Name]
    observed_on: Mapped[date | None]
    issued_on: Mapped[date | None] = mapped_column(index=True)
    description: Mapped[LongText]
    severity: Mapped[Severity | None] = mapped_column(str_enum(Severity), index=True)
    likelihood: Mapped[Likelihood | None] = mapped_column(str_enum(Likelihood))
    horizon: Mapped[Horizon | None] = mapped_column(str_enum(Horizon))
    status: Mapped[WarningStatus] = mapped_column(
        str_enum(WarningStatus), default=WarningStatus.DRAFT, index=True
    )
    response_due: Mapped[date | None] = mapped_column(index=True)
    closed_on: Mapped[date | None]
    resolution: Mapped[Resolution | None] = mapped_column(str_enum(Resolution))
    resolution_note: Mapped[LongText]
    recommended_actions: Mapped[LongText]
    confidential: Mapped[bool] = mapped_column(default=False)

    responses: Mapped[list[WarningResponse]] = relationship(
        back_populates="warning", cascade="all, delete-orphan", order_by="WarningResponse.on"
    )
    events: Mapped[list[WarningEvent]] = relationship(
        back_populates="warning", cascade="all, delete-orphan", order_by="WarningEvent.at"
    )


class WarningResponse(Tracked, Base):
    """Who did what about a warning, when, with what outcome."""

    __tablename__ = "warning_response"

    warning_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("early_warning.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL")
    )
    on: Mapped[date]
    kind: Mapped[ResponseKind] = mapped_column(str_enum(ResponseKind))
    action_taken: Mapped[LongText]
    outcome: Mapped[LongText]

    warning: Mapped[EarlyWarning] = relationship(back_populates="responses")


class WarningEvent(Tracked, Base):
    """A change in a warning's life: issued, escalated, closed, with the reason given."""

    __tablename__ = "warning_event"

    warning_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("early_warning.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    kind: Mapped[ShortText]  # status, escalation
    from_value: Mapped[ShortText]
    to_value: Mapped[ShortText]
    reason: Mapped[LongText]

    warning: Mapped[EarlyWarning] = relationship(back_populates="events")
