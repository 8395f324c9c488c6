"""What each report prints, read from the database through the core queries into frozen data.

Redaction happens here, before any renderer sees the data: confidential recommendations, warnings,
ratings and sources are left out unless `include_confidential` is given, and then the marking is
raised to CONFIDENTIAL. No builder ever reads who a source is (`Source.identity`): the core
queries used here read sources column by column, without it.
"""

from r2pdesk.reports.data.assessment import AssessmentReport, assessment_report_data
from r2pdesk.reports.data.briefs import (
    MinistryBrief,
    RegionalBrief,
    ministry_brief_data,
    regional_brief_data,
)
from r2pdesk.reports.data.common import RecItem, StatusCount, WarningItem
from r2pdesk.reports.data.implementation import ImplementationReport, implementation_data
from r2pdesk.reports.data.warning import WarningNote, warning_note_data

__all__ = [
    "AssessmentReport",
    "ImplementationReport",
    "MinistryBrief",
    "RecItem",
    "RegionalBrief",
    "StatusCount",
    "WarningItem",
    "WarningNote",
    "assessment_report_data",
    "implementation_data",
    "ministry_brief_data",
    "regional_brief_data",
    "warning_note_data",
]
