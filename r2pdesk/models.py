"""Every table of the store, imported in one place so that the metadata is complete."""

from r2pdesk.assessments.models import Assessment, Rating, ResilienceRating
from r2pdesk.audit import AuditEntry
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.earlywarning.models import EarlyWarning, WarningEvent, WarningResponse
from r2pdesk.exchange.models import ExchangeConflict, ExchangeExport, ExchangeRow
from r2pdesk.institutions.models import FocalPoint, Institution
from r2pdesk.members.models import Member, Setting
from r2pdesk.orm import Base
from r2pdesk.recommendations.models import ProgressUpdate, Recommendation
from r2pdesk.reference.models import (
    CatalogueRecommendation,
    Framework,
    FrameworkVersion,
    Indicator,
    ReferenceState,
    ResilienceFactor,
    RiskFactor,
    SgReport,
    TaxonomyTerm,
)
from r2pdesk.sources.models import Attachment, AttachmentContent, Source

__all__ = [
    "Area",
    "Assessment",
    "Attachment",
    "AttachmentContent",
    "AuditEntry",
    "Base",
    "CatalogueRecommendation",
    "EarlyWarning",
    "ExchangeConflict",
    "ExchangeExport",
    "ExchangeRow",
    "FocalPoint",
    "Framework",
    "FrameworkVersion",
    "Indicator",
    "Institution",
    "Member",
    "PopulationGroup",
    "ProgressUpdate",
    "Rating",
    "Recommendation",
    "ReferenceState",
    "ResilienceFactor",
    "ResilienceRating",
    "RiskFactor",
    "Setting",
    "SgReport",
    "Source",
    "TaxonomyTerm",
    "WarningEvent",
    "WarningResponse",
]
