"""Counts of what a database holds, for `stats` and the status bar."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import Assessment
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.institutions.models import FocalPoint, Institution
from r2pdesk.recommendations.models import Recommendation
from r2pdesk.recommendations.queries import count_by_status
from r2pdesk.reference.models import CatalogueRecommendation, RiskFactor, SgReport
from r2pdesk.reference.service import default_framework_version
from r2pdesk.store import read_setting


def _count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def collect(session: Session, schema_revision: str) -> dict[str, Any]:
    """Everything `stats --json` prints."""
    version = default_framework_version(session)
    risk_factors = 0
    if version is not None:
        risk_factors = int(
            session.scalar(
                select(func.count()).select_from(RiskFactor).where(
                    RiskFactor.version_id == version.id
                )
            )
            or 0
        )
    rows = session.execute(
        select(CatalogueRecommendation.report_year, func.count())
        .group_by(CatalogueRecommendation.report_year)
        .order_by(CatalogueRecommendation.report_year)
    )
    by_year = {year: int(n) for year, n in rows}
    return {
        "reports": _count(session, SgReport),
        "catalogue_recommendations": _count(session, CatalogueRecommendation),
        "catalogue_recommendations_2009_2024": sum(
            n for year, n in by_year.items() if 2009 <= year <= 2024
        ),
        "catalogue_by_year": {str(year): n for year, n in by_year.items()},
        "risk_factors": risk_factors,
        "institutions": _count(session, Institution),
        "focal_points": _count(session, FocalPoint),
        "areas": _count(session, Area),
        "groups": _count(session, PopulationGroup),
        "recommendations": _count(session, Recommendation),
        "recommendations_by_status": count_by_status(session),
        "warnings": _count(session, EarlyWarning),
        "assessments": _count(session, Assessment),
        "demo": bool(read_setting(session, "demo")),
        "schema_revision": schema_revision,
    }
