"""Evidence files for the demo: one-page PDFs marked fictional, attached to the progress updates
that report a recommendation implemented, so that the history shows what evidence looks like."""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import insert
from sqlalchemy.orm import Session

from r2pdesk.recommendations.models import (
    ProgressUpdate,
    Recommendation,
    RecStatus,
    progress_attachment,
)
from r2pdesk.sources.attachments import EvidenceFile, save_attachment

NOTICE = "FICTIONAL DEMO DOCUMENT - Republic of Lorvania does not exist"


def evidence_pdf(title: str, lines: Iterable[str]) -> bytes:
    """A one-page PDF, the same bytes every time (ReportLab's invariant mode)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=0)
    width, height = A4
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawCentredString(width / 2, height - 40, NOTICE)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(60, height - 90, title)
    canvas.setFont("Helvetica", 11)
    y = height - 120
    for line in lines:
        canvas.drawString(60, y, line)
        y -= 16
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def attach_evidence(session: Session, recommendations: Iterable[Recommendation]) -> int:
    """Attach a fictional PDF to every update reporting implementation; the number attached."""
    count = 0
    for rec in recommendations:
        done: list[ProgressUpdate] = [u for u in rec.updates if u.status is RecStatus.IMPLEMENTED]
        for update in done:
            name = f"evidence-{rec.catalogue_id or 'committee'}-{update.on.isoformat()}.pdf"
            data = evidence_pdf(
                "Record of implementation",
                [f"Date: {update.on.isoformat()}", f"Reported by: {update.reported_by}",
                 *_wrap(update.narrative, 80), "", "Recommendation:", *_wrap(rec.text, 80)],
            )
            attachment = save_attachment(
                session, EvidenceFile(original_name=name, data=data, media_type="application/pdf")
            )
            session.flush()
            session.execute(
                insert(progress_attachment).values(update_id=update.id, attachment_id=attachment.id)
            )
            count += 1
    return count


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines
