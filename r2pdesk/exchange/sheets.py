"""The sheets of the exchange workbooks: their columns, which a person may edit, and how a record's
fields read in plain form.

A focal point's workbook has the recommendations its institution leads and the warnings addressed
to it; a full workbook has every record of five kinds. Columns are found by their header on
import, so a person may reorder them; a column that is not a field of the record ("New progress
note") is what the person types in for the import to act on.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from r2pdesk.earlywarning.models import (
    Horizon,
    Likelihood,
    Resolution,
    ResponseKind,
    Severity,
    WarningStatus,
)
from r2pdesk.exchange.models import ExportKind
from r2pdesk.exchange.values import Plain, labels_of, plain
from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.institutions.models import InstitutionKind
from r2pdesk.institutions.service import KIND_LABELS
from r2pdesk.recommendations.models import Priority, RecSource, RecStatus
from r2pdesk.recommendations.service import PRIORITY_LABELS, SOURCE_LABELS, STATUS_LABELS

META_SHEET = "_r2pdesk"
INSTRUCTIONS_SHEET = "Instructions"
FORMAT = "r2pdesk-exchange/1"


class Kind(enum.Enum):
    """How a column's cells are written and read."""

    TEXT = "text"  # one line
    LONG = "long"  # wrapped paragraphs
    DATE = "date"
    CHOICE = "choice"
    FLAG = "flag"  # yes or no
    ID = "id"


@dataclass(frozen=True)
class Column:
    """A column of a sheet. `field`: a field of the record, kept in the hidden base and merged or
    checked on import; otherwise shown for people, or typed in for the import to act on."""

    key: str
    header: str
    width: int
    kind: Kind = Kind.TEXT
    editable: bool = False
    field: bool = True
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)
    required: bool = False
    limit: int = 300


@dataclass(frozen=True)
class Sheet:
    """A sheet of records of one table."""

    title: str
    table: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        """The column of a key."""
        return next(c for c in self.columns if c.key == key)

    @property
    def fields(self) -> tuple[Column, ...]:
        """The columns that are fields of the record."""
        return tuple(c for c in self.columns if c.field)


STATUS = labels_of(RecStatus, STATUS_LABELS)
SOURCE = labels_of(RecSource, SOURCE_LABELS)
PRIORITY = labels_of(Priority, PRIORITY_LABELS)
INSTITUTION_KIND = labels_of(InstitutionKind, KIND_LABELS)
SEVERITY = labels_of(Severity)
LIKELIHOOD = labels_of(Likelihood)
HORIZON = labels_of(Horizon)
WARNING_STATUS = labels_of(WarningStatus)
RESOLUTION = labels_of(Resolution)
RESPONSE_KIND = labels_of(ResponseKind,
                          {ResponseKind.ACKNOWLEDGEMENT: N_("Acknowledgement of receipt"),
                           ResponseKind.ACTION: N_("Action taken")})
# The labels above that `labels_of` makes from the values, marked for the catalogue: workbooks
# write and read every label in English (a file format); the app shows them with `tr`.
SHOWN_LABELS = (
    N_("Low"), N_("Moderate"), N_("High"), N_("Critical"),
    N_("Unlikely"), N_("Possible"), N_("Likely"), N_("Very likely"),
    N_("Imminent"), N_("Weeks"), N_("Months"),
    N_("Draft"), N_("Issued"), N_("Acknowledged"), N_("Response under way"), N_("Closed"),
    N_("Resolved"), N_("Escalated"), N_("No action taken"), N_("Overtaken by events"),
)

LONG = 32_000
ID = Column("id", "r2pdesk ID", 38, Kind.ID, field=False)
TRACKING = (
    Column("created_at", "Created", 22),
    Column("author", "Author", 16),
    Column("origin_device", "Device", 18),
)

# --- a focal point's workbook ---------------------------------------------------------------

FP_RECOMMENDATIONS = Sheet("Recommendations", "recommendation", (
    Column("ref", "Reference", 16),
    Column("text", "Recommendation", 60, Kind.LONG, limit=LONG),
    Column("due_on", "Due", 12, Kind.DATE),
    Column("status", "Status", 22, Kind.CHOICE, editable=True, labels=STATUS),
    Column("note", "New progress note", 48, Kind.LONG, editable=True, field=False, limit=LONG),
    Column("progress_on", "Progress date", 14, Kind.DATE, editable=True, field=False),
    Column("evidence", "Evidence reference", 28, editable=True, field=False),
    Column("last_update", "Last progress recorded", 14, Kind.DATE, field=False),
    ID,
))
FP_WARNINGS = Sheet("Warnings", "early_warning", (
    Column("reference", "Reference", 14),
    Column("title", "Warning", 48, Kind.LONG),
    Column("severity", "Severity", 11, Kind.CHOICE, labels=SEVERITY),
    Column("response_due", "Response due", 13, Kind.DATE),
    Column("response_on", "Response date", 14, Kind.DATE, editable=True, field=False),
    Column("response_kind", "Response", 26, Kind.CHOICE, editable=True, field=False,
           labels=RESPONSE_KIND),
    Column("action_taken", "Action taken", 44, Kind.LONG, editable=True, field=False, limit=LONG),
    Column("outcome", "Outcome", 36, Kind.LONG, editable=True, field=False, limit=LONG),
    ID,
))

# --- the full workbook ----------------------------------------------------------------------

INSTITUTIONS = Sheet("Institutions", "institution", (
    Column("name", "Name", 40, editable=True, required=True),
    Column("acronym", "Acronym", 10, editable=True),
    Column("kind", "Kind", 22, Kind.CHOICE, editable=True, labels=INSTITUTION_KIND, required=True),
    Column("parent_id", "Parent ID", 38, Kind.ID),
    Column("email", "E-mail", 26, editable=True),
    Column("phone", "Phone", 16, editable=True),
    Column("notes", "Notes", 40, Kind.LONG, editable=True, limit=LONG),
    *TRACKING,
    ID,
))
RECOMMENDATIONS = Sheet("Recommendations", "recommendation", (
    Column("text", "Text", 60, Kind.LONG, editable=True, required=True, limit=20_000),
    Column("source", "Source", 14, Kind.CHOICE, labels=SOURCE, required=True),
    Column("source_reference", "Source reference", 18, editable=True),
    Column("catalogue_id", "Catalogue ID", 12),
    Column("lead", "Lead institution", 28, field=False),
    Column("lead_institution_id", "Lead institution ID", 38, Kind.ID, editable=True),
    Column("priority", "Priority", 10, Kind.CHOICE, editable=True, labels=PRIORITY,
           required=True),
    Column("made_on", "Made on", 12, Kind.DATE, editable=True, required=True),
    Column("due_on", "Due", 12, Kind.DATE, editable=True),
    Column("status", "Status", 20, Kind.CHOICE, labels=STATUS),
    Column("confidential", "Confidential", 12, Kind.FLAG, editable=True),
    *TRACKING,
    ID,
))
PROGRESS = Sheet("Progress updates", "progress_update", (
    Column("recommendation", "Recommendation", 40, Kind.LONG, field=False),
    Column("recommendation_id", "Recommendation ID", 38, Kind.ID, required=True),
    Column("on", "Date", 12, Kind.DATE, required=True),
    Column("status", "Status", 20, Kind.CHOICE, labels=STATUS, required=True),
    Column("narrative", "Narrative", 60, Kind.LONG, editable=True, limit=LONG),
    Column("reported_by", "Reported by", 20, editable=True),
    *TRACKING,
    ID,
))
WARNINGS = Sheet("Warnings", "early_warning", (
    Column("reference", "Reference", 14, required=True),
    Column("title", "Title", 40, Kind.LONG, editable=True, required=True),
    Column("observed_on", "Observed on", 12, Kind.DATE, editable=True),
    Column("issued_on", "Issued on", 12, Kind.DATE),
    Column("description", "Description", 60, Kind.LONG, editable=True, limit=LONG),
    Column("severity", "Severity", 11, Kind.CHOICE, labels=SEVERITY),
    Column("likelihood", "Likelihood", 12, Kind.CHOICE, editable=True, labels=LIKELIHOOD),
    Column("horizon", "Horizon", 10, Kind.CHOICE, editable=True, labels=HORIZON),
    Column("status", "Status", 18, Kind.CHOICE, labels=WARNING_STATUS, required=True),
    Column("response_due", "Response due", 12, Kind.DATE),
    Column("closed_on", "Closed on", 12, Kind.DATE),
    Column("resolution", "Resolution", 18, Kind.CHOICE, labels=RESOLUTION),
    Column("resolution_note", "Resolution note", 40, Kind.LONG, editable=True, limit=LONG),
    Column("recommended_actions", "Recommended actions", 40, Kind.LONG, editable=True,
           limit=LONG),
    Column("confidential", "Confidential", 12, Kind.FLAG, editable=True),
    *TRACKING,
    ID,
))
RESPONSES = Sheet("Responses", "warning_response", (
    Column("warning", "Warning", 14, field=False),
    Column("warning_id", "Warning ID", 38, Kind.ID, required=True),
    Column("institution", "Institution", 28, field=False),
    Column("institution_id", "Institution ID", 38, Kind.ID),
    Column("on", "Date", 12, Kind.DATE, editable=True, required=True),
    Column("kind", "Kind", 24, Kind.CHOICE, editable=True, labels=RESPONSE_KIND, required=True),
    Column("action_taken", "Action taken", 44, Kind.LONG, editable=True, limit=LONG),
    Column("outcome", "Outcome", 36, Kind.LONG, editable=True, limit=LONG),
    *TRACKING,
    ID,
))

SHEETS: Mapping[ExportKind, tuple[Sheet, ...]] = {
    ExportKind.FOCAL_POINT: (FP_RECOMMENDATIONS, FP_WARNINGS),
    # Institutions first and warnings before responses: a record is created before those that
    # refer to it.
    ExportKind.FULL: (INSTITUTIONS, RECOMMENDATIONS, PROGRESS, WARNINGS, RESPONSES),
}


# How many records of a sheet, as people read it: the sheet titles and headers above are part of
# the file format and stay in English whatever the language; these phrases are translated.
_COUNTS: Mapping[str, tuple[str, str]] = {
    "Institutions": (N_("1 institution"), N_("{count} institutions")),
    "Recommendations": (N_("1 recommendation"), N_("{count} recommendations")),
    "Progress updates": (N_("1 progress update"), N_("{count} progress updates")),
    "Warnings": (N_("1 warning"), N_("{count} warnings")),
    "Responses": (N_("1 response"), N_("{count} responses")),
}


def count_of(sheet_title: str, count: int) -> str:
    """A number of records of a sheet, for people: "1 warning", "12 recommendations"."""
    one, many = _COUNTS.get(sheet_title, ("", ""))
    if not one:
        return f"{format_number(count)} {sheet_title.lower()}"
    return tr(one) if count == 1 else tr(many).format(count=format_number(count))


def field_values(sheet: Sheet, record: Any) -> dict[str, Plain]:
    """A record's fields shown in a sheet, in plain form: what the hidden base keeps."""
    values: dict[str, Plain] = {}
    for column in sheet.fields:
        if column.key == "ref":
            values["ref"] = record.catalogue_id or record.source_reference
        else:
            values[column.key] = plain(getattr(record, column.key))
    return values
