"""PDF reports: briefs for ministries and regional bodies, warning notes, assessment and
implementation reports, laid out with ReportLab from frozen data (no Qt here)."""

from r2pdesk.reports.base import Marking, effective_marking
from r2pdesk.reports.registry import REPORTS, ReportRequest, generate

__all__ = ["REPORTS", "Marking", "ReportRequest", "effective_marking", "generate"]
