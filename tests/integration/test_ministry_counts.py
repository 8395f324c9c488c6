"""The three figures a secretariat sees for one institution agree, each saying what it counts:
the Exchange page's choice of institution, the result of exporting its focal-point workbook, and
its ministry brief. Every institution of the demo is checked against the database read here
directly, then again with a confidential recommendation and warning."""

from __future__ import annotations

import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.earlywarning.models import (
    EarlyWarning,
    ResponseKind,
    WarningResponse,
    WarningStatus,
    warning_addressee,
)
from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import Recommendation, RecStatus, recommendation_supporter
from r2pdesk.reports import generate
from r2pdesk.reports.data.briefs import ministry_brief_data
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY
from tests.helpers.qt import shown
from ui.exchange_page import ExchangePage

CLOSED = {RecStatus.IMPLEMENTED, RecStatus.NOT_APPLICABLE}
OPEN_WARNING = {WarningStatus.ISSUED, WarningStatus.ACKNOWLEDGED, WarningStatus.RESPONSE_UNDER_WAY}
CLOSED_LABELS = {"Implemented", "Not applicable"}  # the workbook's Status column

COMBO = re.compile(r"(?P<name>.+) — (?P<led>\d+) recommendations? it leads "
                   r"\((?P<open>\d+) open\), (?P<warnings>\d+) open warnings?")
RESULT = re.compile(
    r"Wrote (?P<rows>\d+) rows? to (?P<path>.+): (?P<led>\d+) recommendations? it leads "
    r"\((?P<open>\d+) open(, (?P<closed>\d+) implemented or not applicable)?\) and "
    r"(?P<warnings>\d+) open warnings? addressed to it\.(?: Left out as confidential: "
    r"(?P<left>.+)\.)?")
BRIEF = re.compile(r"Of the open recommendations, it leads (?P<leads>\d+) and supports "
                   r"(?P<supports>\d+)\.(?: (?P<closed>\d+) more recommendations? that it leads or "
                   r"supports (?:is|are) implemented or not applicable and (?:is|are) not "
                   r"listed\.)?(?: It has reported action on (?P<acted>\d+) more open warnings?, "
                   r"not listed\.)?")


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path) -> None:
    for format_ in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(format_, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@dataclass(frozen=True)
class Truth:
    """What is assigned to an institution, counted here from the tables themselves."""

    led: int  # recommendations it leads, open or closed, not confidential
    led_open: int
    supported_open: int  # open ones it supports without leading them
    closed: int  # closed ones it leads or supports
    warnings: int  # open warnings addressed to it, not confidential
    acted: int  # of those, the ones on which it reported an action
    secret_led: int  # confidential recommendations it leads
    secret_warnings: int  # confidential open warnings addressed to it


def truth(session: Session, institution_id: uuid.UUID) -> Truth:
    recs = session.scalars(select(Recommendation)).all()
    supported = set(session.scalars(select(recommendation_supporter.c.recommendation_id).where(
        recommendation_supporter.c.institution_id == institution_id)))
    led = [r for r in recs if r.lead_institution_id == institution_id]
    only_supported = [r for r in recs if r.id in supported and r not in led]
    shown_ = [r for r in led + only_supported if not r.confidential]
    addressed = set(session.scalars(select(warning_addressee.c.warning_id).where(
        warning_addressee.c.institution_id == institution_id)))
    warnings = [w for w in session.scalars(select(EarlyWarning))
                if w.id in addressed and w.status in OPEN_WARNING]
    acted = set(session.scalars(select(WarningResponse.warning_id).where(
        WarningResponse.institution_id == institution_id,
        WarningResponse.kind == ResponseKind.ACTION)))
    public = [w for w in warnings if not w.confidential]
    return Truth(
        led=sum(not r.confidential for r in led),
        led_open=sum(not r.confidential and r.status not in CLOSED for r in led),
        supported_open=sum(not r.confidential and r.status not in CLOSED for r in only_supported),
        closed=sum(r.status in CLOSED for r in shown_),
        warnings=len(public), acted=sum(w.id in acted for w in public),
        secret_led=sum(r.confidential for r in led),
        secret_warnings=len(warnings) - len(public),
    )


def pdf_text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return " ".join(text.split())


def left_out(t: Truth) -> str | None:
    """The confidential records the export result names, as it names them."""
    parts = [f"{n} {noun}{'s' * (n != 1)}" for n, noun in (
        (t.secret_led, "recommendation"), (t.secret_warnings, "warning")) if n]
    return ", ".join(parts) or None


def check_every_institution(qtbot: QtBot, store: Store, tmp_path: Path) -> int:
    """The three figures of each institution against the truth; how many institutions."""
    page = shown(qtbot, ExchangePage(store, today=lambda: DEMO_TODAY), 1024, 700)
    with store.reader() as session:
        institutions = session.execute(select(Institution.id, Institution.name,
                                              Institution.acronym)).all()
        truths = {id_: truth(session, id_) for id_, _, _ in institutions}
    for number, (id_, name, acronym) in enumerate(institutions):
        t = truths[id_]
        # 1. The Exchange page's choice: what the workbook would hold.
        assert page.institution.set_value(id_)
        combo = COMBO.fullmatch(page.institution.currentText())
        assert combo is not None, page.institution.currentText()
        assert combo["name"] == (f"{name} ({acronym})" if acronym else name)
        assert (int(combo["led"]), int(combo["open"]), int(combo["warnings"])) == (
            t.led, t.led_open, t.warnings), name

        # 2. The export's result says the same numbers, and the workbook holds them.
        path = tmp_path / f"focal-{number}.xlsx"
        page.exported = None
        page.export_to(path)
        qtbot.waitUntil(lambda: page.exported is not None and not page.busy, timeout=10_000)
        result = RESULT.fullmatch(page.export_status.text())
        assert result is not None, page.export_status.text()
        assert result["path"] == str(path)
        assert (int(result["led"]), int(result["open"]), int(result["warnings"])) == (
            int(combo["led"]), int(combo["open"]), int(combo["warnings"])), name
        assert int(result["closed"] or 0) == t.led - t.led_open
        assert int(result["rows"]) == t.led + t.warnings
        assert result["left"] == left_out(t)
        book = load_workbook(path, read_only=True)
        statuses = [row[3] for row in book["Recommendations"].iter_rows(min_row=2,
                                                                          values_only=True)]
        warning_rows = list(book["Warnings"].iter_rows(min_row=2, values_only=True))
        assert len(statuses) == t.led
        assert sum(s not in CLOSED_LABELS for s in statuses) == t.led_open
        assert len(warning_rows) == t.warnings
        book.close()

        # 3. The brief: what it leads or supports that is open; the rest said, not listed.
        with store.reader() as session:
            brief = ministry_brief_data(session, id_, DEMO_TODAY)
            pdf = generate(session, "ministry-brief", today=DEMO_TODAY, institution=name)
        assert len(brief.recommendations) == t.led_open + t.supported_open, name
        assert sum(r.role == "Lead" for r in brief.recommendations) == t.led_open
        assert len(brief.warnings) == t.warnings - t.acted
        text = pdf_text(pdf, tmp_path / f"brief-{number}.pdf")
        said = BRIEF.search(text)
        assert said is not None, text[:1500]
        assert int(said["leads"]) == int(combo["open"]), name  # the same open ones it leads
        assert int(said["leads"]) + int(said["supports"]) == len(brief.recommendations)
        assert int(said["supports"]) == t.supported_open
        assert int(said["closed"] or 0) == t.closed
        assert int(said["acted"] or 0) + len(brief.warnings) == int(combo["warnings"])
    return len(institutions)


def test_the_three_figures_agree_for_every_demo_institution(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    assert check_every_institution(qtbot, demo_store, tmp_path) == 13


def test_they_agree_with_confidential_records_left_out(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    with demo_store.session() as session:
        justice = session.scalars(select(Institution).where(
            Institution.name == "Ministry of Justice")).one()
        led = session.scalars(select(Recommendation).where(
            Recommendation.lead_institution_id == justice.id,
            Recommendation.status.not_in(CLOSED)).order_by(Recommendation.id)).first()
        assert led is not None
        led.confidential = True
        addressed = select(warning_addressee.c.warning_id).where(
            warning_addressee.c.institution_id == justice.id)
        warning = session.scalars(select(EarlyWarning).where(
            EarlyWarning.id.in_(addressed),
            EarlyWarning.status.in_(OPEN_WARNING)).order_by(EarlyWarning.reference)).first()
        assert warning is not None
        warning.confidential = True
        before = truth(session, justice.id)
    assert (before.secret_led, before.secret_warnings) == (1, 1)
    assert check_every_institution(qtbot, demo_store, tmp_path) == 13
