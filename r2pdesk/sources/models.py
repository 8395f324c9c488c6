"""Sources of information, graded and classified, and evidence files attached to records."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import NewType

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from r2pdesk.orm import Base, LongText, Name, Retirable, ShortText, Tracked, str_enum

SourceId = NewType("SourceId", uuid.UUID)
AttachmentId = NewType("AttachmentId", uuid.UUID)


class SourceKind(enum.StrEnum):
    """Where a piece of information comes from."""

    OPEN_MEDIA = "open_media"
    CIVIL_SOCIETY_REPORT = "civil_society_report"
    OFFICIAL = "official"
    FIELD_MISSION = "field_mission"
    CONFIDENTIAL_INFORMANT = "confidential_informant"


class Confidentiality(enum.StrEnum):
    """Who may see a record or field: only `public` goes into a ministry export by default."""

    PUBLIC = "public"
    RESTRICTED = "restricted"
    CONFIDENTIAL = "confidential"


class Source(Retirable, Tracked, Base):
    """A source, graded for reliability (A-F) and credibility of its information (1-6)."""

    __tablename__ = "source"

    title: Mapped[Name]
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind), default=SourceKind.OPEN_MEDIA)
    reference: Mapped[LongText]  # citation or address of a public source
    reliability: Mapped[str] = mapped_column(String(1), default="F")  # F: cannot be judged
    credibility: Mapped[int] = mapped_column(default=6)  # 6: cannot be judged
    confidentiality: Mapped[Confidentiality] = mapped_column(
        str_enum(Confidentiality), default=Confidentiality.RESTRICTED
    )
    identity: Mapped[LongText]  # who the informant is: never shown in lists, exports or reports
    obtained_on: Mapped[date | None]
    notes: Mapped[LongText]


class Attachment(Tracked, Base):
    """An evidence file copied into the store under a generated name; the original name is text."""

    __tablename__ = "attachment"

    original_name: Mapped[ShortText]
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    media_type: Mapped[ShortText]
    description: Mapped[LongText]


class AttachmentContent(Base):
    """The bytes of an attachment, kept inside the database.

    Inside, evidence is saved in the same transaction as the record that cites it, goes into every
    backup, and is encrypted with the database; a folder of loose files would be none of these.
    """

    __tablename__ = "attachment_content"

    attachment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attachment.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
