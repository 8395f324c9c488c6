"""Evidence files: read and checked before anything is saved, then kept inside the database.

A file is stored under a generated name (the original name is kept as text only, so a name never
decides where anything is written) with its SHA-256, checked again whenever it is read back.
Files larger than `MAX_ATTACHMENT_BYTES` (25 MiB) are refused: evidence is a scanned letter or a
report, and every byte is carried by every backup and exchange.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError, KnownError
from r2pdesk.i18n import format_number, tr
from r2pdesk.sources.models import Attachment, AttachmentContent, AttachmentId

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_NAME = 300
STORED_NAME = re.compile(r"^[0-9a-f]{32}(\.[a-z0-9]{1,9})?$")


@dataclass(frozen=True)
class EvidenceFile:
    """A file read into memory and checked, ready to be saved with the record citing it."""

    original_name: str
    data: bytes
    media_type: str

    @property
    def sha256(self) -> str:
        """The file's SHA-256, as hex."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return len(self.data)


@dataclass(frozen=True)
class AttachmentInfo:
    """What a list or a timeline shows of an attachment."""

    id: AttachmentId
    original_name: str
    size: int
    sha256: str
    media_type: str


def describe_size(size: int) -> str:
    """A size as a person reads it: 980 bytes, 14.2 KB, 3.1 MB."""
    if size < 1024:
        return tr("{size} bytes").format(size=format_number(size))
    if size < 1024 * 1024:
        return tr("{size} KB").format(size=format_number(size / 1024, 1))
    return tr("{size} MB").format(size=format_number(size / (1024 * 1024), 1))


def clean_name(name: str) -> str:
    """An original file name as text to show: no control characters, at most `MAX_NAME` long.

    It is only ever shown, never used as a path, so nothing else is taken out of it.
    """
    shown = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return shown[:MAX_NAME] or "unnamed"


def stored_name(attachment_id: uuid.UUID, original_name: str) -> str:
    """The generated name of an attachment: its id, and the original's suffix when it is plain."""
    suffix = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
    if not (suffix.isascii() and suffix.isalnum() and len(suffix) <= 9):
        suffix = ""
    name = f"{attachment_id.hex}.{suffix}" if suffix else attachment_id.hex
    if not STORED_NAME.match(name):  # pragma: no cover - the rules above make it so
        raise ValueError(f"unsafe stored name {name!r}")
    return name


def read_evidence(path: Path) -> EvidenceFile:
    """Read a file the user chose; refuse one that cannot be read, is empty or too large."""
    name = path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(tr("evidence {name}: not a file").format(name=name))
        if size > MAX_ATTACHMENT_BYTES:
            raise InputError(
                tr("evidence {name}: {size} is larger than the limit of {limit}").format(
                    name=name, size=describe_size(size),
                    limit=describe_size(MAX_ATTACHMENT_BYTES))
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(tr("evidence {name}: cannot be read ({problem})").format(
            name=name, problem=exc.strerror or exc)) from exc
    if not data:
        raise InputError(tr("evidence {name}: the file is empty").format(name=name))
    if len(data) > MAX_ATTACHMENT_BYTES:  # it grew between stat and read
        raise InputError(tr("evidence {name}: larger than the limit of {limit}").format(
            name=name, limit=describe_size(MAX_ATTACHMENT_BYTES)))
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return EvidenceFile(original_name=clean_name(name), data=data, media_type=media_type)


def save_attachment(
    session: Session, evidence: EvidenceFile, attachment_id: uuid.UUID | None = None
) -> Attachment:
    """Store a checked file under a generated name; the caller links it to its record."""
    new_id = attachment_id or uuid.uuid4()
    attachment = Attachment(
        id=new_id,
        original_name=clean_name(evidence.original_name),
        stored_name=stored_name(new_id, evidence.original_name),
        sha256=evidence.sha256,
        size=evidence.size,
        media_type=evidence.media_type,
    )
    session.add(attachment)
    session.flush()
    session.add(AttachmentContent(attachment_id=new_id, data=evidence.data))
    return attachment


def load_attachment(session: Session, attachment_id: uuid.UUID) -> tuple[Attachment, bytes]:
    """An attachment and its bytes, checked against the SHA-256 recorded when it was saved."""
    attachment = session.get(Attachment, attachment_id)
    data = session.scalar(
        select(AttachmentContent.data).where(AttachmentContent.attachment_id == attachment_id)
    )
    if attachment is None or data is None:
        raise KnownError(tr("that evidence file is not in the database"))
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise KnownError(
            tr("evidence {name} does not match the checksum recorded when it was saved; the "
               "database may be damaged").format(name=attachment.original_name)
        )
    return attachment, data


def export_attachment(session: Session, attachment_id: uuid.UUID, target: Path) -> Path:
    """Write an attachment's bytes to a file the user chose."""
    _, data = load_attachment(session, attachment_id)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise KnownError(tr("cannot write {path}: {problem}").format(
            path=target, problem=exc.strerror or exc)) from exc
    return target


def delete_attachments(session: Session, ids: list[uuid.UUID]) -> None:
    """Remove attachments (their bytes go with them)."""
    if ids:
        session.execute(delete(AttachmentContent).where(AttachmentContent.attachment_id.in_(ids)))
        for attachment in session.scalars(select(Attachment).where(Attachment.id.in_(ids))):
            session.delete(attachment)
