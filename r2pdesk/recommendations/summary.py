"""How far the recommendations are implemented: by report, by target, by status, by institution.

Answers "how far have we implemented the 2009-2026 recommendations?": for each SG report, how many
of its recommendations the catalogue holds, how many the committee adopted, and the status of
those adopted; percentages are of the adopted ones (a share of nothing is shown as none).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import (
    Recommendation,
    RecSource,
    RecStatus,
    recommendation_supporter,
)
from r2pdesk.recommendations.service import CLOSED_STATUSES, is_overdue
from r2pdesk.reference.models import CatalogueRecommendation, SgReport

DUE_SOON_DAYS = 30


def percent(part: int, whole: int) -> float | None:
    """A share in percent, one decimal; None when there is nothing to share."""
    return None if whole == 0 else round(100 * part / whole, 1)


@dataclass(frozen=True)
class StatusLine:
    """Counts by status for one group of recommendations (a report, a target, a source)."""

    label: str
    in_catalogue: int | None  # None where the group is not a part of the catalogue
    statuses: dict[RecStatus, int] = field(default_factory=dict)

    @property
    def adopted(self) -> int:
        """How many of the group the committee follows."""
        return sum(self.statuses.values())

    @property
    def implemented(self) -> int:
        """How many are implemented."""
        return self.statuses.get(RecStatus.IMPLEMENTED, 0)

    @property
    def implemented_percent(self) -> float | None:
        """Implemented, as a share of those followed."""
        return percent(self.implemented, self.adopted)

    @property
    def under_way_percent(self) -> float | None:
        """Implemented or partially, as a share of those followed."""
        part = self.implemented + self.statuses.get(RecStatus.PARTIALLY_IMPLEMENTED, 0)
        return percent(part, self.adopted)

    @property
    def adopted_percent(self) -> float | None:
        """Followed, as a share of what the catalogue holds for the group."""
        return None if self.in_catalogue is None else percent(self.adopted, self.in_catalogue)

    def as_json(self) -> dict[str, object]:
        """The figures as plain data."""
        return {
            "label": self.label,
            "in_catalogue": self.in_catalogue,
            "followed": self.adopted,
            "by_status": {s.value: self.statuses.get(s, 0) for s in RecStatus},
            "implemented_percent": self.implemented_percent,
            "under_way_percent": self.under_way_percent,
        }


@dataclass(frozen=True)
class ImplementationSummary:
    """The implementation picture, as tables of counts."""

    by_report: tuple[StatusLine, ...]
    by_target: tuple[StatusLine, ...]
    by_source: tuple[StatusLine, ...]
    overall: StatusLine
    catalogue_total: int
    overdue: int


def _catalogue_counts(session: Session) -> tuple[dict[int, tuple[str, int]], Counter[str]]:
    reports = {
        year: (symbol, int(n))
        for year, symbol, n in session.execute(
            select(SgReport.year, SgReport.symbol, func.count(CatalogueRecommendation.id))
            .outerjoin(CatalogueRecommendation)
            .group_by(SgReport.year)
        )
    }
    targets: Counter[str] = Counter(
        {
            target: int(n)
            for target, n in session.execute(
                select(CatalogueRecommendation.target, func.count()).group_by(
                    CatalogueRecommendation.target
                )
            )
        }
    )
    return reports, targets


def implementation_summary(session: Session, *, today: date) -> ImplementationSummary:
    """Counts of the followed recommendations by report, target and source, with percentages."""
    reports, targets = _catalogue_counts(session)
    by_year: defaultdict[int, Counter[RecStatus]] = defaultdict(Counter)
    by_target: defaultdict[str, Counter[RecStatus]] = defaultdict(Counter)
    by_source: defaultdict[RecSource, Counter[RecStatus]] = defaultdict(Counter)
    overall: Counter[RecStatus] = Counter()
    overdue = 0
    rows = session.execute(
        select(Recommendation.status, Recommendation.source, Recommendation.due_on,
               CatalogueRecommendation.report_year, CatalogueRecommendation.target)
        .outerjoin(CatalogueRecommendation)
    )
    for status, source, due_on, year, target in rows:
        overall[status] += 1
        by_source[source][status] += 1
        overdue += is_overdue(due_on, status, today)
        if year is not None:
            by_year[year][status] += 1
            by_target[target][status] += 1
    return ImplementationSummary(
        by_report=tuple(
            StatusLine(f"{year} {symbol}".strip(), n, dict(by_year[year]))
            for year, (symbol, n) in sorted(reports.items())
        ),
        by_target=tuple(
            StatusLine(target, n, dict(by_target[target]))
            for target, n in sorted(targets.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        by_source=tuple(
            StatusLine(source.value, None, dict(by_source[source]))
            for source in RecSource
            if by_source[source]
        ),
        overall=StatusLine("all", None, dict(overall)),
        catalogue_total=sum(n for _, n in reports.values()),
        overdue=overdue,
    )


def is_due_soon(due_on: date | None, status: RecStatus, today: date, horizon: date) -> bool:
    """Due between today and the horizon, and still followed."""
    return due_on is not None and today <= due_on <= horizon and status not in CLOSED_STATUSES


@dataclass(frozen=True)
class InstitutionLoad:
    """What one institution has to do: recommendations it leads and supports, and their state."""

    id: uuid.UUID
    name: str
    leads: dict[RecStatus, int]
    supports: int
    overdue: int
    due_soon: int

    @property
    def led(self) -> int:
        """How many it leads."""
        return sum(self.leads.values())

    @property
    def open(self) -> int:
        """How many it leads that are still being followed."""
        done = self.leads.get(RecStatus.IMPLEMENTED, 0) + self.leads.get(
            RecStatus.NOT_APPLICABLE, 0
        )
        return self.led - done


def by_institution(session: Session, *, today: date) -> list[InstitutionLoad]:
    """Every institution with recommendations, the most overdue first."""
    leads: defaultdict[uuid.UUID, Counter[RecStatus]] = defaultdict(Counter)
    overdue: Counter[uuid.UUID] = Counter()
    soon: Counter[uuid.UUID] = Counter()
    rows = session.execute(
        select(Recommendation.lead_institution_id, Recommendation.status, Recommendation.due_on)
        .where(Recommendation.lead_institution_id.is_not(None))
    )
    horizon = today + timedelta(DUE_SOON_DAYS)
    for lead, status, due_on in rows:
        if lead is None:
            continue
        leads[lead][status] += 1
        overdue[lead] += is_overdue(due_on, status, today)
        soon[lead] += is_due_soon(due_on, status, today, horizon)
    supports = Counter(
        {
            inst: int(n)
            for inst, n in session.execute(
                select(recommendation_supporter.c.institution_id, func.count()).group_by(
                    recommendation_supporter.c.institution_id
                )
            )
        }
    )
    names = {
        row.id: row.name
        for row in session.execute(
            select(Institution.id, Institution.name).where(
                Institution.id.in_(set(leads) | set(supports))
            )
        )
    }
    loads = [
        InstitutionLoad(i, names[i], dict(leads[i]), supports[i], overdue[i], soon[i])
        for i in names
    ]
    loads.sort(key=lambda x: (-x.overdue, -x.open, x.name))
    return loads
