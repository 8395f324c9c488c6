"""The detail pane of a recommendation: its fields, its links, and its history as a timeline.

Everything a person wrote is escaped before it becomes HTML. Evidence files are links
(`evidence:<id>`) that the page answers by offering to save the file.
"""

from __future__ import annotations

from html import escape

from r2pdesk.i18n import SOURCE_LANGUAGE, format_date, is_right_to_left, language, tr
from r2pdesk.recommendations.queries import Linked, RecDetail, TimelineEntry
from r2pdesk.recommendations.service import STATUS_LABELS, priority_label, source_label
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


def emphasis(html: str) -> str:
    """Set apart (italics in English): scripts written right to left are not slanted, and many
    fonts have no slanted Arabic letters, so there the words are greyed instead."""
    return f'<span style="color:#555555">{html}</span>' if is_right_to_left() else f"<i>{html}</i>"


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n") if part.strip())


def _links(title: str, links: tuple[Linked, ...]) -> str:
    if not links:
        return ""
    items = "".join(f"<li>{escape(link.label)}</li>" for link in links)
    return f"<h4>{escape(title)}</h4><ul>{items}</ul>"


def _status(value: str) -> str:
    label = tr(STATUS_LABELS[next(s for s in STATUS_LABELS if s.value == value)])
    colour = STATUS_COLOURS[value]
    return f'<span style="color:{colour}">●</span> <b>{escape(label)}</b>'


def _entry(entry: TimelineEntry) -> str:
    files = "".join(
        f'<li><a href="{EVIDENCE_SCHEME}:{a.id}">{escape(a.original_name)}</a> '
        f"({describe_size(a.size)}, SHA-256 {a.sha256[:12]}…)</li>"
        for a in entry.attachments
    )
    who = entry.reported_by or entry.author
    by = " — " + tr("reported by {name}").format(name=escape(who)) if who else ""
    narrative = "<br>".join(escape(line) for line in entry.narrative.splitlines() if line.strip())
    rtl = is_right_to_left()  # Qt lays table columns out left to right only
    padding = "0 0 10px 12px" if rtl else "0 12px 10px 0"
    cells = [
        f'<td valign="top" style="padding:{padding}"><b>{format_date(entry.on)}</b></td>',
        (f'<td valign="top" style="padding-bottom:10px">{_status(entry.status.value)}{by}'
         f"{'<br>' + narrative if narrative else ''}"
         f"{f'<ul>{files}</ul>' if files else ''}</td>"),
    ]
    return f"<tr>{''.join(reversed(cells) if rtl else cells)}</tr>"


def detail_html(detail: RecDetail) -> str:
    """The whole detail pane."""
    row = detail.row
    due = (tr("due {date}").format(date=format_date(row.due_on)) if row.due_on
           else tr("no due date"))
    overdue = (f' <span style="color:#a40000"><b>{escape(tr(OVERDUE_MARK))}</b></span>'
               if row.overdue else "")
    catalogue = ""
    original = ""
    if row.catalogue_id:
        symbol = detail.report_symbol or tr("symbol not given in the sources")
        fields = {
            "id": escape(row.catalogue_id), "year": row.report_year, "symbol": escape(symbol),
            "paragraphs": escape(detail.paragraphs),
            "target": escape(target_label(row.target or "")),
        }
        source = (
            tr("{id} — report of {year} ({symbol}), paras. {paragraphs}; addressed to {target}.")
            if detail.paragraphs else
            tr("{id} — report of {year} ({symbol}); addressed to {target}.")
        ).format(**fields)
        catalogue = (
            f"<p><b>{tr('From the SG catalogue:')}</b> {source}"
            f"<br><i>{escape(detail.report_title)}</i></p>"
        )
        if language() != SOURCE_LANGUAGE:  # the Secretary-General's words stay in English
            original = f"<p><small>{emphasis(escape(tr('(original English)')))}</small></p>"
    supporters = (", ".join(escape(s.label) for s in detail.supporters)
                  or tr("none", context="institutions"))
    history = "".join(_entry(e) for e in reversed(detail.timeline))
    timeline = (
        f"<table>{history}</table>" if history
        else f"<p>{emphasis(escape(tr('No progress recorded yet.')))}</p>"
    )
    priority = tr("priority {priority}").format(
        priority=escape(priority_label(row.priority).lower()))
    confidential = f" · <b>{tr('confidential')}</b>" if row.confidential else ""
    html = (
        f"<h3>{escape(reference(row))}</h3>"
        f"{_paragraphs(row.text)}{original}"
        f"<p>{_status(row.status.value)} · {due}{overdue} · {priority}</p>"
        f"<p><b>{tr('Lead:')}</b> {escape(row.lead_institution or tr('no lead yet'))}<br>"
        f"<b>{tr('Supporting:')}</b> {supporters}<br>"
        f"<b>{tr('Source:')}</b> {escape(source_label(row.source))}"
        f"{' — ' + escape(row.source_reference) if row.source_reference else ''}<br>"
        f"<b>{tr('Made on:')}</b> {format_date(row.made_on)}{confidential}</p>"
        f"{catalogue}"
        f"{_links(tr('Risk factors it answers'), detail.risk_factors)}"
        f"{_links(tr('Early warnings'), detail.warnings)}"
        f"{_links(tr('Assessments'), detail.assessments)}"
        f"<h4>{tr('History (latest first)')}</h4>{timeline}"
    )
    return f'<div dir="rtl">{html}</div>' if is_right_to_left() else html
