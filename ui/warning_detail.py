"""The detail pane of an early warning: its severity banner, what is seen where and who is at
risk, the evidence it rests on, whom it asks to act, and its timeline.

Everything a person wrote is escaped before it becomes HTML. Sources are told by title, kind,
grade and confidentiality: the query behind this pane never reads an informant's identity.
"""

from __future__ import annotations

import uuid
from datetime import date
from html import escape

from r2pdesk.earlywarning.models import ResponseKind, WarningStatus
from r2pdesk.earlywarning.queries import (
    EventEntry,
    Linked,
    ResponseEntry,
    SourceRef,
    WarningDetail,
)
from r2pdesk.earlywarning.timing import Reply, Timeline, Timing, timing
from ui.warning_models import (
    CONFIDENTIALITY_LABELS,
    HORIZON_LABELS,
    LIKELIHOOD_LABELS,
    OVERDUE_MARK,
    RESOLUTION_LABELS,
    SEVERITY_LABELS,
    SEVERITY_MARKS,
    SOURCE_KIND_LABELS,
    STATUS_LABELS,
)

RECOMMENDATION_CHARS = 220
_NO_SEVERITY = ("○", "#555555", "#eeeeee")


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n") if part.strip())


def _section(title: str, body: str, empty: str = "none recorded") -> str:
    return f"<h4>{escape(title)}</h4>{body or f'<p><i>{escape(empty)}</i></p>'}"


def _items(labels: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{x}</li>' for x in labels)}</ul>" if labels else ""


def _names(links: tuple[Linked, ...]) -> str:
    return _items([escape(x.label) for x in links])


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= RECOMMENDATION_CHARS else flat[:RECOMMENDATION_CHARS - 1] + "…"


def _banner(detail: WarningDetail) -> str:
    glyph, colour, tint = SEVERITY_MARKS[detail.severity] if detail.severity else _NO_SEVERITY
    severity = (f"{SEVERITY_LABELS[detail.severity]} severity" if detail.severity
                else "Severity not set")
    more = [LIKELIHOOD_LABELS[detail.likelihood].lower()] if detail.likelihood else []
    more += [HORIZON_LABELS[detail.horizon].lower()] if detail.horizon else []
    status = STATUS_LABELS[detail.status]
    secret = " · <b>CONFIDENTIAL</b>" if detail.confidential else ""
    return (
        f'<table width="100%" cellpadding="6" style="background-color:{tint}; '
        f'border-left: 6px solid {colour}"><tr><td>'
        f'<span style="color:{colour}; font-size:x-large">{glyph}</span> '
        f'<span style="font-size:large"><b>{escape(severity)}</b></span>'
        f"{''.join(f' · {escape(m)}' for m in more)}"
        f"<br>Status: <b>{escape(status)}</b>{secret}</td></tr></table>"
    )


def _framework(detail: WarningDetail, texts: dict[uuid.UUID, str]) -> str:
    indicators = "".join(
        f'<tr><td valign="top" style="padding-right:10px"><b>{escape(x.label)}</b></td>'
        f"<td>{escape(texts.get(x.id, ''))}</td></tr>"
        for x in detail.indicators
    )
    factors = _items([
        f"<b>{escape(x.label)}</b> {escape(texts.get(x.id, ''))}" for x in detail.risk_factors
    ])
    return (
        _section("Indicators seen", f"<table>{indicators}</table>" if indicators else "")
        + _section("Risk factors", factors)
    )


def _source(source: SourceRef) -> str:
    kind = SOURCE_KIND_LABELS[source.kind]
    grade = f"{source.reliability}{source.credibility}"
    secrecy = CONFIDENTIALITY_LABELS[source.confidentiality]
    return f"{escape(source.title)} — {escape(kind)}, graded <b>{escape(grade)}</b>, {secrecy}"


def _value_label(kind: str, value: str) -> str:
    labels: dict[str, str] = {s.value: t for s, t in STATUS_LABELS.items()}
    if kind == "escalation":
        labels = {s.value: t for s, t in SEVERITY_LABELS.items()}
    return labels.get(value, value) if value else "—"


def _event(event: EventEntry) -> str:
    before, after = (_value_label(event.kind, v) for v in (event.from_value, event.to_value))
    change = f"{before} → {after}"
    what = "Escalated" if event.kind == "escalation" else "Status"
    by = f" <i>({escape(event.author)})</i>" if event.author else ""
    return f"<b>{what}:</b> {escape(change)}{by}{_lines(event.reason)}"


def _response(response: ResponseEntry) -> str:
    who = escape(response.institution or "(institution deleted)")
    kind = "Acknowledged receipt" if response.kind is ResponseKind.ACKNOWLEDGEMENT else "Action"
    outcome = f"<br><i>Outcome:</i> {escape(response.outcome)}" if response.outcome else ""
    return f"<b>{kind}</b> — {who}{_lines(response.action_taken)}{outcome}"


def _timeline(detail: WarningDetail) -> str:
    issued = WarningStatus.ISSUED.value
    entries: list[tuple[date, int, str]] = [
        (e.at.date(), 0 if e.to_value == issued else 2, _event(e)) for e in detail.events
    ]
    entries += [(r.on, 1, _response(r)) for r in detail.responses]
    rows = "".join(
        f'<tr><td valign="top" style="padding-right:12px"><b>{day.isoformat()}</b></td>'
        f'<td valign="top" style="padding-bottom:6px">{html}</td></tr>'
        for day, _, html in sorted(entries, key=lambda e: (e[0], e[1]))
    )
    return _section("Timeline (oldest first)", f"<table>{rows}</table>" if rows else "",
                    "Nothing has happened yet: the warning is a draft.")


def _response_due(detail: WarningDetail, times: Timing) -> str:
    if detail.response_due is None:
        return "<p><i>No deadline until the warning is issued.</i></p>"
    overdue = (f' <span style="color:#a40000"><b>{OVERDUE_MARK}</b></span>'
               if times.overdue else "")
    ack = ("not acknowledged yet" if times.days_to_ack is None
           else f"{times.days_to_ack} days")
    act = "no action yet" if times.days_to_action is None else f"{times.days_to_action} days"
    return (
        f"<p><b>Response due:</b> {detail.response_due.isoformat()}{overdue}<br>"
        f"<b>Time to acknowledgement:</b> {ack}<br><b>Time to first action:</b> {act}</p>"
    )


def _dates(detail: WarningDetail) -> str:
    def day(value: date | None, missing: str) -> str:
        return value.isoformat() if value else missing

    closed = ""
    if detail.closed_on is not None:
        how = RESOLUTION_LABELS[detail.resolution] if detail.resolution else ""
        closed = f"<br><b>Closed:</b> {detail.closed_on.isoformat()} — {escape(how)}"
    return (
        f"<p><b>Observed:</b> {day(detail.observed, 'not given')} · "
        f"<b>Issued:</b> {day(detail.issued, 'not yet (draft)')}{closed}</p>"
        f"{_paragraphs(detail.resolution_note)}"
    )


def _lines(text: str) -> str:
    """Text for a table cell: lines joined by breaks, since paragraphs there leave wide gaps."""
    return "".join(f"<br>{escape(part)}" for part in text.split("\n") if part.strip())


def detail_html(detail: WarningDetail, texts: dict[uuid.UUID, str], today: date) -> str:
    """The whole pane; `texts` gives the indicators' texts and risk factors' titles by id.

    Two columns under the banner: the situation on the left, the response on the right.
    """
    replies = tuple(Reply(r.on, r.kind) for r in detail.responses)
    times = timing(Timeline(detail.status, detail.issued, detail.response_due, replies), today)
    sources = _items([_source(s) for s in detail.sources])
    recommendations = _items([escape(_short(x.label)) for x in detail.recommendations])
    situation = (
        f"{_section('What is happening', _paragraphs(detail.description))}"
        f"{_section('Where', _names(detail.areas))}"
        f"{_section('Who is at risk', _names(detail.groups))}"
        f"{_framework(detail, texts)}"
        f"{_section('Sources', sources)}"
    )
    response = (
        f"{_section('Addressed to', _names(detail.addressees), 'no addressee yet')}"
        f"{_section('Recommended actions', _paragraphs(detail.recommended_actions))}"
        f"{_section('Linked recommendations', recommendations, 'none linked')}"
        f"{_section('Response', _response_due(detail, times))}"
        f"{_timeline(detail)}"
    )
    return (
        f"<h2>{escape(detail.reference)}</h2>{_banner(detail)}"
        f"<h3>{escape(detail.title)}</h3>{_dates(detail)}<hr>"
        f'<table width="100%" cellspacing="0"><tr>'
        f'<td width="50%" valign="top" style="padding-right:16px">{situation}</td>'
        f'<td width="50%" valign="top">{response}</td></tr></table>'
    )
