"""What is assigned to an institution: the recommendations it leads or supports, and the open
early warnings addressed to it.

The Exchange page's choice of institution, a focal point's workbook and the ministry brief all
count from here, each showing a part of it and saying which: the workbook holds what the
institution leads (open or closed) and every open warning; the brief, what it leads or supports
that is still open and the warnings on which it has reported no action. Confidential records
are left out unless asked for, and counted apart so that what was left out can be said.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, select, true
from sqlalchemy.orm import Session

from r2pdesk.earlywarning.models import (
    EarlyWarning,
    ResponseKind,
    WarningResponse,
    WarningStatus,
    warning_addressee,
)
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.recommendations.models import Recommendation, RecStatus, recommendation_supporter
from r2pdesk.recommendations.service import CLOSED_STATUSES

# A warning an institution is still asked to answer: issued and not closed.
OPEN_WARNING_STATUSES = frozenset({
    WarningStatus.ISSUED, WarningStatus.ACKNOWLEDGED, WarningStatus.RESPONSE_UNDER_WAY})


@dataclass(frozen=True)
class AssignedRec:
    """A recommendation an institution leads or (when `lead` is false) only supports."""

    id: uuid.UUID
    status: RecStatus
    lead: bool

    @property
    def open(self) -> bool:
        """Not implemented yet, nor set aside as not applicable."""
        return self.status not in CLOSED_STATUSES


@dataclass(frozen=True)
class AssignedWarning:
    """An open warning addressed to an institution; `acted` once it reported an action."""

    id: uuid.UUID
    acted: bool


@dataclass(frozen=True)
class Assigned:
    """What is assigned to one institution, confidential records counted apart."""

    recommendations: tuple[AssignedRec, ...] = ()
    warnings: tuple[AssignedWarning, ...] = ()
    confidential_recommendations: tuple[AssignedRec, ...] = ()  # left out
    confidential_warnings: int = 0  # open ones addressed to it, left out

    @property
    def led(self) -> tuple[AssignedRec, ...]:
        """The recommendations it leads, open or closed: a focal point's workbook."""
        return tuple(r for r in self.recommendations if r.lead)

    @property
    def led_open(self) -> int:
        """How many of those it leads are open."""
        return sum(r.lead and r.open for r in self.recommendations)

    @property
    def supported_open(self) -> int:
        """How many of those it only supports are open."""
        return sum(not r.lead and r.open for r in self.recommendations)

    @property
    def open(self) -> tuple[AssignedRec, ...]:
        """The open recommendations it leads or supports: a ministry brief's."""
        return tuple(r for r in self.recommendations if r.open)

    @property
    def closed(self) -> int:
        """How many it leads or supports are implemented or not applicable."""
        return sum(not r.open for r in self.recommendations)

    @property
    def confidential_led(self) -> int:
        """How many confidential recommendations it leads (left out)."""
        return sum(r.lead for r in self.confidential_recommendations)

    @property
    def awaiting(self) -> tuple[AssignedWarning, ...]:
        """The open warnings on which it has reported no action: a ministry brief's."""
        return tuple(w for w in self.warnings if not w.acted)


@dataclass
class _Found:
    recommendations: dict[uuid.UUID, AssignedRec] = field(default_factory=dict)
    warnings: list[AssignedWarning] = field(default_factory=list)
    confidential_recommendations: dict[uuid.UUID, AssignedRec] = field(default_factory=dict)
    confidential_warnings: int = 0

    def add_rec(self, rec: AssignedRec, confidential: bool, include: bool) -> None:
        if rec.id in self.recommendations or rec.id in self.confidential_recommendations:
            return  # an institution that leads and supports the same one leads it
        if confidential and not include:
            self.confidential_recommendations[rec.id] = rec
        else:
            self.recommendations[rec.id] = rec

    def done(self) -> Assigned:
        return Assigned(tuple(self.recommendations.values()), tuple(self.warnings),
                        tuple(self.confidential_recommendations.values()),
                        self.confidential_warnings)


def _among(column: SQLColumnExpression[Any],
           ids: Collection[uuid.UUID] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(ids)


def assignments(
    session: Session, institution_ids: Collection[uuid.UUID] | None = None, *,
    include_confidential: bool = False,
) -> dict[InstitutionId, Assigned]:
    """What is assigned to each of these institutions (to every institution given none), in a
    few queries whatever their number; one with nothing assigned is absent from the result."""
    found: defaultdict[uuid.UUID, _Found] = defaultdict(_Found)
    r = Recommendation
    led = select(r.lead_institution_id, r.id, r.status, r.confidential).where(
        r.lead_institution_id.is_not(None), _among(r.lead_institution_id, institution_ids))
    link = recommendation_supporter.c
    supported = (select(link.institution_id, r.id, r.status, r.confidential)
                 .join(r, r.id == link.recommendation_id)
                 .where(_among(link.institution_id, institution_ids)))
    for lead, query in ((True, led), (False, supported)):
        for institution, rec_id, status, confidential in session.execute(query):
            found[institution].add_rec(AssignedRec(rec_id, status, lead), confidential,
                                       include_confidential)
    is_open = EarlyWarning.status.in_(OPEN_WARNING_STATUSES)
    acted = {(warning, institution) for warning, institution in session.execute(
        select(WarningResponse.warning_id, WarningResponse.institution_id)
        .join(EarlyWarning, EarlyWarning.id == WarningResponse.warning_id)
        .where(WarningResponse.kind == ResponseKind.ACTION, is_open,
               _among(WarningResponse.institution_id, institution_ids)))}
    to = warning_addressee.c
    addressed = (select(to.institution_id, EarlyWarning.id, EarlyWarning.confidential)
                 .join(EarlyWarning, EarlyWarning.id == to.warning_id)
                 .where(is_open, _among(to.institution_id, institution_ids))
                 .order_by(EarlyWarning.response_due, EarlyWarning.reference))
    for institution, warning_id, confidential in session.execute(addressed):
        if confidential and not include_confidential:
            found[institution].confidential_warnings += 1
        else:
            found[institution].warnings.append(
                AssignedWarning(warning_id, (warning_id, institution) in acted))
    return {InstitutionId(key): value.done() for key, value in found.items()}


def assigned_to(
    session: Session, institution_id: uuid.UUID, *, include_confidential: bool = False,
) -> Assigned:
    """What is assigned to one institution."""
    return assignments(session, [institution_id],
                       include_confidential=include_confidential).get(
        InstitutionId(institution_id), Assigned())
