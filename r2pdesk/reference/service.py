"""Use cases over the reference catalogue: list reports and targets, search recommendations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from r2pdesk.i18n import N_, tr
from r2pdesk.reference.models import (
    CatalogueRecommendation,
    Framework,
    FrameworkVersion,
    SgReport,
)

NOT_SPECIFIED = N_("not specified in the source")
DEFAULT_FRAMEWORK = "foa-2014"


@dataclass(frozen=True)
class ReportSummary:
    """A report of the catalogue with the number of its recommendations."""

    year: int
    number: int
    symbol: str
    title: str
    focus: str
    recommendations: int


@dataclass(frozen=True)
class CatalogueItem:
    """One catalogue recommendation with what a reader needs to cite it."""

    id: str
    year: int
    symbol: str
    title: str
    target: str
    text: str
    paragraphs: str

    def as_json(self) -> dict[str, object]:
        """The object `catalogue --json` prints."""
        return {
            "id": self.id,
            "year": self.year,
            "symbol": self.symbol,
            "title": self.title,
            "target": self.target,
            "text": self.text,
            "paragraphs": self.paragraphs,
        }


@dataclass(frozen=True)
class CatalogueFilter:
    """What to show of the catalogue; empty fields do not filter."""

    year: int | None = None
    target: str | None = None
    text: str = ""


def list_reports(session: Session) -> list[ReportSummary]:
    """Every report, oldest first, with its count of recommendations."""
    count = (
        select(func.count(CatalogueRecommendation.id))
        .where(CatalogueRecommendation.report_year == SgReport.year)
        .scalar_subquery()
    )
    rows = session.execute(select(SgReport, count).order_by(SgReport.year))
    return [
        ReportSummary(r.year, r.number, r.symbol, r.title, r.focus, n) for r, n in rows
    ]


def list_targets(session: Session) -> list[str]:
    """The target names in use, in the catalogue's order of first appearance."""
    first = func.min(CatalogueRecommendation.report_year * 1000 + CatalogueRecommendation.ordinal)
    rows = session.execute(
        select(CatalogueRecommendation.target, first)
        .group_by(CatalogueRecommendation.target)
        .order_by(first)
    )
    return [target for target, _ in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _query(spec: CatalogueFilter) -> Select[CatalogueRecommendation, SgReport]:
    query = select(CatalogueRecommendation, SgReport).join(SgReport)
    if spec.year is not None:
        query = query.where(CatalogueRecommendation.report_year == spec.year)
    if spec.target is not None:
        query = query.where(func.lower(CatalogueRecommendation.target) == spec.target.lower())
    for word in spec.text.split():
        pattern = f"%{_escape_like(word)}%"
        query = query.where(
            or_(
                CatalogueRecommendation.id.ilike(pattern, escape="\\"),
                CatalogueRecommendation.text.ilike(pattern, escape="\\"),
                CatalogueRecommendation.paragraphs.ilike(pattern, escape="\\"),
                SgReport.symbol.ilike(pattern, escape="\\"),
            )
        )
    return query.order_by(CatalogueRecommendation.report_year, CatalogueRecommendation.ordinal)


def search_catalogue(session: Session, spec: CatalogueFilter | None = None) -> list[CatalogueItem]:
    """The catalogue recommendations matching a filter, in report and source order.

    Every word of `spec.text` must appear (in any case) in the id, text, paragraphs or symbol.
    """
    rows = session.execute(_query(spec or CatalogueFilter()))
    return [
        CatalogueItem(
            id=rec.id,
            year=report.year,
            symbol=report.symbol,
            title=report.title,
            target=rec.target,
            text=rec.text,
            paragraphs=rec.paragraphs,
        )
        for rec, report in rows
    ]


def target_label(target: str) -> str:
    """A target as shown to people, in the language in use: an empty one says that the source
    names none. (The targets the source names are reference data and stay as written.)"""
    return target or f"({tr(NOT_SPECIFIED)})"


def default_framework_version(session: Session) -> FrameworkVersion | None:
    """The latest version of the Framework of Analysis 2014 in this database."""
    return session.scalar(
        select(FrameworkVersion)
        .join(Framework)
        .where(Framework.code == DEFAULT_FRAMEWORK)
        .order_by(FrameworkVersion.version.desc())
        .limit(1)
    )
