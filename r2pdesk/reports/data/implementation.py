"""The data of the implementation status report: for each SG report 2009-2026 and each target,
the recommendations the committee follows and their national status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.i18n import tr
from r2pdesk.recommendations.queries import list_recommendations
from r2pdesk.reference.models import CatalogueRecommendation, SgReport
from r2pdesk.reference.service import target_label
from r2pdesk.reports.base import Marking, ReportMeta
from r2pdesk.reports.data.common import (
    RecItem,
    StatusCount,
    by_source,
    rec_items,
    report_meta,
    status_count,
    visible,
)


@dataclass(frozen=True)
class ReportSection:
    """One report of the Secretary-General and the recommendations of it the committee follows."""

    year: int
    symbol: str
    title: str
    in_catalogue: int
    items: tuple[RecItem, ...]  # by target, then by catalogue id


@dataclass(frozen=True)
class ImplementationReport:
    """How far the recommendations are implemented, by report, by target and one by one."""

    meta: ReportMeta
    overall: StatusCount
    by_report: tuple[StatusCount, ...]  # label: the year
    by_target: tuple[StatusCount, ...]
    by_source: tuple[StatusCount, ...]
    catalogue_total: int
    sections: tuple[ReportSection, ...]
    others: tuple[RecItem, ...]  # the committee's own, UPR, treaty bodies
    overdue: tuple[RecItem, ...]  # the most days late first


def build_implementation(
    meta: ReportMeta, items: tuple[RecItem, ...],
    reports: list[tuple[int, str, str, int]], targets: list[tuple[str, int]],
) -> ImplementationReport:
    """Group report items by report and by target; no database here (the benchmark uses it)."""
    adopted = [i for i in items if i.report_year is not None]
    sections = tuple(
        ReportSection(year, symbol, title, n, tuple(sorted(
            (i for i in adopted if i.report_year == year),
            key=lambda i: (target_label(i.target or ""), i.ref))))
        for year, symbol, title, n in reports
    )
    return ImplementationReport(
        meta=meta,
        overall=status_count(tr("All", context="recommendations"), None, items),
        by_report=tuple(status_count(str(s.year), s.in_catalogue, s.items) for s in sections),
        by_target=tuple(
            status_count(target_label(target), n, [i for i in adopted if i.target == target])
            for target, n in targets
        ),
        by_source=by_source(items),
        catalogue_total=sum(n for *_, n in reports),
        sections=sections,
        others=tuple(i for i in items if i.report_year is None),
        overdue=tuple(sorted((i for i in items if i.overdue), key=lambda i: -i.days_late)),
    )


def implementation_data(
    session: Session, today: date, include_confidential: bool = False,
    *, marking: Marking | None = None,
) -> ImplementationReport:
    """The implementation status report."""
    counts = {
        year: int(n) for year, n in session.execute(
            select(CatalogueRecommendation.report_year, func.count())
            .group_by(CatalogueRecommendation.report_year))
    }
    reports = [
        (year, symbol, title, counts.get(year, 0))
        for year, symbol, title in session.execute(
            select(SgReport.year, SgReport.symbol, SgReport.title).order_by(SgReport.year))
    ]
    targets = sorted(
        ((target, int(n)) for target, n in session.execute(
            select(CatalogueRecommendation.target, func.count())
            .group_by(CatalogueRecommendation.target))),
        key=lambda pair: (-pair[1], pair[0]),
    )
    rows = visible(list_recommendations(session, today=today), include_confidential)
    first, last = (reports[0][0], reports[-1][0]) if reports else (0, 0)
    meta = report_meta(
        session, tr("Implementation status report"),
        tr("Implementing the Secretary-General's recommendations, {first}–{last}").format(
            first=first, last=last),
        tr("National status of the recommendations the committee follows"), today=today,
        marking=marking, include_confidential=include_confidential)
    return build_implementation(meta, rec_items(session, rows, today), reports, targets)
