"""The detail pane of an early warning: its severity banner, what is seen where and who is at
risk, the evidence it rests on, whom it asks to act, and its timeline.

Everything a person wrote is escaped before it becomes HTML. Sources are told by title, kind,
grade and confidentiality: the query behind this pane never reads an informant's identity.
"""

from __future__ import annotations

import uuid
from datetime import date
from html import escape

from r2pdesk.earlywarning.models import ResponseKind, Severity, WarningStatus, severity_label
from r2pdesk.earlywarning.queries import (
    EventEntry,
    Linked,
    ResponseEntry,
    SourceRef,
    WarningDetail,
)
from r2pdesk.earlywarning.timing import Reply, Timeline, Timing, timing
from r2pdesk.i18n import format_date, format_number, is_right_to_left, tr
from ui.warning_models import (
    CONFIDENTIALITY_LABELS,
    HORIZON_LABELS,
    LIKELIHOOD_LABELS,
    OVERDUE_MARK,
    RESOLUTION_LABELS,
    SEVERITY_MARKS,
    SOURCE_KIND_LABELS,
    STATUS_LABELS,
)

RECOMMENDATION_CHARS = 220
_NO_SEVERITY = ("○", "#555555", "#eeeeee")


def _start() -> str:
    """The side a line starts on, in the language in use (for borders and padding)."""
    return "right" if is_right_to_left() else "left"


def _end() -> str:
    """The side a line ends on, in the language in use."""
    return "left" if is_right_to_left() else "right"


def emphasis(html: str) -> str:
    """Set apart (italics in English): scripts written right to left are not slanted, and many
    fonts have no slanted Arabic letters, so there the words are greyed instead."""
    return f'<span style="color:#555555">{html}</span>' if is_right_to_left() else f"<i>{html}</i>"


def _row(*cells: str) -> str:
    """A table row, its cells in reading order: Qt lays table columns out left to right only."""
    return f"<tr>{''.join(reversed(cells) if is_right_to_left() else cells)}</tr>"


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n") if part.strip())


def _section(title: str, body: str, empty: str | None = None) -> str:
    said = tr("none recorded") if empty is None else empty
    return f"<h4>{escape(title)}</h4>{body or f'<p>{emphasis(escape(said))}</p>'}"


def _items(labels: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{x}</li>' for x in labels)}</ul>" if labels else ""


def _names(links: tuple[Linked, ...]) -> str:
    return _items([escape(x.label) for x in links])


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= RECOMMENDATION_CHARS else flat[:RECOMMENDATION_CHARS - 1] + "…"


def _banner(detail: WarningDetail) -> str:
    glyph, colour, tint = SEVERITY_MARKS[detail.severity] if detail.severity else _NO_SEVERITY
    severity = (tr("{severity} severity").format(severity=severity_label(detail.severity))
                if detail.severity else tr("Severity not set"))
    more = [tr(LIKELIHOOD_LABELS[detail.likelihood]).lower()] if detail.likelihood else []
    more += [tr(HORIZON_LABELS[detail.horizon]).lower()] if detail.horizon else []
    status = tr(STATUS_LABELS[detail.status])
    secret = f" · <b>{escape(tr('CONFIDENTIAL'))}</b>" if detail.confidential else ""
    return (
        f'<table width="100%" cellpadding="6" style="background-color:{tint}; '
        f'border-{_start()}: 6px solid {colour}"><tr><td>'
        f'<span style="color:{colour}; font-size:x-large">{glyph}</span> '
        f'<span style="font-size:large"><b>{escape(severity)}</b></span>'
        f"{''.join(f' · {escape(m)}' for m in more)}"
        f"<br>{escape(tr('Status:'))} <b>{escape(status)}</b>{secret}</td></tr></table>"
    )


def _framework(detail: WarningDetail, texts: dict[uuid.UUID, str]) -> str:
    indicators = "".join(
        _row(f'<td valign="top" style="padding-{_end()}:10px"><b>{escape(x.label)}</b></td>',
             f"<td>{escape(texts.get(x.id, ''))}</td>")
        for x in detail.indicators
    )
    factors = _items([
        f"<b>{escape(x.label)}</b> {escape(texts.get(x.id, ''))}" for x in detail.risk_factors
    ])
    return (
        _section(tr("Indicators seen"), f"<table>{indicators}</table>" if indicators else "")
        + _section(tr("Risk factors"), factors)
    )


def _source(source: SourceRef) -> str:
    kind = tr(SOURCE_KIND_LABELS[source.kind])
    grade = f"{source.reliability}{source.credibility}"
    secrecy = tr(CONFIDENTIALITY_LABELS[source.confidentiality])
    return tr("{title} — {kind}, graded {grade}, {confidentiality}").format(
        title=escape(source.title), kind=escape(kind), grade=f"<b>{escape(grade)}</b>",
        confidentiality=escape(secrecy))


def _value_label(kind: str, value: str) -> str:
    labels: dict[str, str] = {s.value: tr(t) for s, t in STATUS_LABELS.items()}
    if kind == "escalation":
        labels = {s.value: severity_label(s) for s in Severity}
    return labels.get(value, value) if value else "—"


def _event(event: EventEntry) -> str:
    before, after = (_value_label(event.kind, v) for v in (event.from_value, event.to_value))
    change = f"{before} → {after}"
    what = tr("Escalated:") if event.kind == "escalation" else tr("Status:")
    by = f" {emphasis(f'({escape(event.author)})')}" if event.author else ""
    return f"<b>{escape(what)}</b> {escape(change)}{by}{_lines(event.reason)}"


def _response(response: ResponseEntry) -> str:
    who = escape(response.institution or tr("(institution deleted)"))
    kind = (tr("Acknowledged receipt") if response.kind is ResponseKind.ACKNOWLEDGEMENT
            else tr("Action"))
    outcome = (f"<br>{emphasis(escape(tr('Outcome:')))} {escape(response.outcome)}"
               if response.outcome else "")
    return f"<b>{kind}</b> — {who}{_lines(response.action_taken)}{outcome}"


def _timeline(detail: WarningDetail) -> str:
    issued = WarningStatus.ISSUED.value
    entries: list[tuple[date, int, str]] = [
        (e.at.date(), 0 if e.to_value == issued else 2, _event(e)) for e in detail.events
    ]
    entries += [(r.on, 1, _response(r)) for r in detail.responses]
    rows = "".join(
        _row(f'<td valign="top" style="padding-{_end()}:12px"><b>{format_date(day)}</b></td>',
             f'<td valign="top" style="padding-bottom:6px">{html}</td>')
        for day, _, html in sorted(entries, key=lambda e: (e[0], e[1]))
    )
    return _section(tr("Timeline (oldest first)"), f"<table>{rows}</table>" if rows else "",
                    tr("Nothing has happened yet: the warning is a draft."))


def _response_due(detail: WarningDetail, times: Timing) -> str:
    if detail.response_due is None:
        return f"<p>{emphasis(escape(tr('No deadline until the warning is issued.')))}</p>"
    overdue = (f' <span style="color:#a40000"><b>{escape(tr(OVERDUE_MARK))}</b></span>'
               if times.overdue else "")
    ack = (tr("not acknowledged yet") if times.days_to_ack is None
           else _days(times.days_to_ack))
    act = tr("no action yet") if times.days_to_action is None else _days(times.days_to_action)
    return (
        f"<p><b>{escape(tr('Response due:'))}</b> {format_date(detail.response_due)}{overdue}<br>"
        f"<b>{escape(tr('Time to acknowledgement:'))}</b> {escape(ack)}<br>"
        f"<b>{escape(tr('Time to first action:'))}</b> {escape(act)}</p>"
    )


def _days(count: int) -> str:
    return tr("1 day") if count == 1 else tr("{count} days").format(count=format_number(count))


def _dates(detail: WarningDetail) -> str:
    closed = ""
    if detail.closed_on is not None:
        how = tr(RESOLUTION_LABELS[detail.resolution]) if detail.resolution else ""
        closed = (f"<br><b>{escape(tr('Closed:'))}</b> {format_date(detail.closed_on)}"
                  f" — {escape(how)}")
    observed = format_date(detail.observed, tr("not given"))
    issued = format_date(detail.issued, tr("not yet (draft)"))
    return (
        f"<p><b>{escape(tr('Observed:'))}</b> {escape(observed)} · "
        f"<b>{escape(tr('Issued:'))}</b> {escape(issued)}{closed}</p>"
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
        f"{_section(tr('What is happening'), _paragraphs(detail.description))}"
        f"{_section(tr('Where'), _names(detail.areas))}"
        f"{_section(tr('Who is at risk'), _names(detail.groups))}"
        f"{_framework(detail, texts)}"
        f"{_section(tr('Sources'), sources)}"
    )
    response = (
        f"{_section(tr('Addressed to'), _names(detail.addressees), tr('no addressee yet'))}"
        f"{_section(tr('Recommended actions'), _paragraphs(detail.recommended_actions))}"
        f"{_section(tr('Linked recommendations'), recommendations, tr('none linked'))}"
        f"{_section(tr('Response'), _response_due(detail, times))}"
        f"{_timeline(detail)}"
    )
    html = (
        f"<h2>{escape(detail.reference)}</h2>{_banner(detail)}"
        f"<h3>{escape(detail.title)}</h3>{_dates(detail)}<hr>"
        f'<table width="100%" cellspacing="0">'
        + _row(f'<td width="50%" valign="top" style="padding-{_end()}:16px">{situation}</td>',
               f'<td width="50%" valign="top">{response}</td>')
        + "</table>"
    )
    return f'<div dir="rtl">{html}</div>' if is_right_to_left() else html
