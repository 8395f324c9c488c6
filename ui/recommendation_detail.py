"""The detail pane of a recommendation: its fields, its links, and its history as a timeline.

Everything a person wrote is escaped before it becomes HTML. Evidence files are links
(`evidence:<id>`) that the page answers by offering to save the file.
"""

from __future__ import annotations

from html import escape

from r2pdesk.recommendations.queries import Linked, RecDetail, TimelineEntry
from r2pdesk.recommendations.service import PRIORITY_LABELS, SOURCE_LABELS, STATUS_LABELS
from r2pdesk.reference.service import target_label
from r2pdesk.sources.attachments import describe_size
from ui.recommendation_models import OVERDUE_MARK, reference

EVIDENCE_SCHEME = "evidence"
STATUS_COLOURS = {  # Okabe-Ito hues; the status is always written out beside its dot
    "not_started": "#999999",
    "in_progress": "#56B4E9",
    "partially_implemented": "#E69F00",
    "implemented": "#009E73",
    "not_implemented": "#D55E00",
    "not_applicable": "#CC79A7",
}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n") if part.strip())


def _links(title: str, links: tuple[Linked, ...]) -> str:
    if not links:
        return ""
    items = "".join(f"<li>{escape(link.label)}</li>" for link in links)
    return f"<h4>{escape(title)}</h4><ul>{items}</ul>"


def _status(value: str) -> str:
    label = STATUS_LABELS[next(s for s in STATUS_LABELS if s.value == value)]
    colour = STATUS_COLOURS[value]
    return f'<span style="color:{colour}">●</span> <b>{escape(label)}</b>'


def _entry(entry: TimelineEntry) -> str:
    files = "".join(
        f'<li><a href="{EVIDENCE_SCHEME}:{a.id}">{escape(a.original_name)}</a> '
        f"({describe_size(a.size)}, SHA-256 {a.sha256[:12]}…)</li>"
        for a in entry.attachments
    )
    who = entry.reported_by or entry.author
    by = f" — reported by {escape(who)}" if who else ""
    narrative = "<br>".join(escape(line) for line in entry.narrative.splitlines() if line.strip())
    return (
        f'<tr><td valign="top" style="padding:0 12px 10px 0"><b>{entry.on.isoformat()}</b></td>'
        f'<td valign="top" style="padding-bottom:10px">{_status(entry.status.value)}{by}'
        f"{'<br>' + narrative if narrative else ''}"
        f"{f'<ul>{files}</ul>' if files else ''}</td></tr>"
    )


def detail_html(detail: RecDetail) -> str:
    """The whole detail pane."""
    row = detail.row
    due = row.due_on.isoformat() if row.due_on else "no due date"
    overdue = f' <span style="color:#a40000"><b>{OVERDUE_MARK}</b></span>' if row.overdue else ""
    catalogue = ""
    if row.catalogue_id:
        symbol = detail.report_symbol or "symbol not given in the sources"
        paras = f", paras. {escape(detail.paragraphs)}" if detail.paragraphs else ""
        catalogue = (
            f"<p><b>From the SG catalogue:</b> {escape(row.catalogue_id)} — report of "
            f"{row.report_year} ({escape(symbol)}){paras}; addressed to "
            f"{escape(target_label(row.target or ''))}.<br><i>{escape(detail.report_title)}</i></p>"
        )
    supporters = ", ".join(escape(s.label) for s in detail.supporters) or "none"
    history = "".join(_entry(e) for e in reversed(detail.timeline))
    timeline = (
        f"<table>{history}</table>" if history else "<p><i>No progress recorded yet.</i></p>"
    )
    return (
        f"<h3>{escape(reference(row))}</h3>"
        f"{_paragraphs(row.text)}"
        f"<p>{_status(row.status.value)} · due {due}{overdue} · "
        f"priority {escape(PRIORITY_LABELS[row.priority].lower())}</p>"
        f"<p><b>Lead:</b> {escape(row.lead_institution or 'no lead yet')}<br>"
        f"<b>Supporting:</b> {supporters}<br>"
        f"<b>Source:</b> {escape(SOURCE_LABELS[row.source])}"
        f"{' — ' + escape(row.source_reference) if row.source_reference else ''}<br>"
        f"<b>Made on:</b> {row.made_on.isoformat()}"
        f"{' · <b>confidential</b>' if row.confidential else ''}</p>"
        f"{catalogue}"
        f"{_links('Risk factors it answers', detail.risk_factors)}"
        f"{_links('Early warnings', detail.warnings)}"
        f"{_links('Assessments', detail.assessments)}"
        f"<h4>History (latest first)</h4>{timeline}"
    )
