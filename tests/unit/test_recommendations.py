"""Recommendation follow-up without Qt: adopt, write, record progress with evidence, overdue."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.audit import AuditEntry
from r2pdesk.errors import InputError, KnownError
from r2pdesk.institutions.models import Institution, InstitutionKind
from r2pdesk.recommendations.models import (
    Priority,
    ProgressUpdate,
    Recommendation,
    RecSource,
    RecStatus,
)
from r2pdesk.recommendations.queries import (
    RecFilter,
    count_by_status,
    count_overdue,
    list_recommendations,
    recommendation_detail,
)
from r2pdesk.recommendations.service import (
    Adoption,
    ProgressInput,
    RecommendationInput,
    add_progress,
    adopt,
    assign_lead,
    create_recommendation,
    current_input,
    delete_recommendation,
    is_overdue,
    remove_progress,
    update_recommendation,
)
from r2pdesk.sources.attachments import (
    MAX_ATTACHMENT_BYTES,
    export_attachment,
    load_attachment,
    read_evidence,
)
from r2pdesk.sources.models import Attachment, AttachmentContent
from r2pdesk.store import Store

TODAY = date(2026, 11, 21)
MADE = date(2026, 3, 1)


def _institution(session: Session, name: str) -> uuid.UUID:
    inst = Institution(name=name, kind=InstitutionKind.MINISTRY)
    session.add(inst)
    session.flush()
    return inst.id


def _count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _pdf(tmp_path: Path, name: str = "letter.pdf", body: bytes = b"%PDF-1.4 letter") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_adopting_keeps_the_link_to_report_target_and_paragraphs(store: Store) -> None:
    with store.session() as session:
        justice = _institution(session, "Ministry of Justice")
        ids = adopt(session, ["2009-MS-01", "2015-MS-03"],
                    Adoption(made_on=MADE, lead_institution_id=justice, due_on=date(2027, 1, 1)))
    with store.reader() as session:
        detail = recommendation_detail(session, ids[0], today=TODAY)
        rec = session.get(Recommendation, ids[0])
        assert rec is not None
        assert (rec.source, rec.catalogue_id, rec.status) == (
            RecSource.CATALOGUE, "2009-MS-01", RecStatus.NOT_STARTED
        )
        reference = rec.source_reference
    assert detail.row.report_year == 2009
    assert detail.row.target == "Member States"
    assert detail.row.lead_institution == "Ministry of Justice"
    assert detail.report_symbol == "A/63/677"
    assert detail.paragraphs
    assert detail.paragraphs in reference


def test_adopting_the_same_item_twice_is_refused_and_changes_nothing(store: Store) -> None:
    with store.session() as session:
        adopt(session, ["2009-MS-01"], Adoption(made_on=MADE))
    refusals = {
        ("2015-MS-03", "2009-MS-01"): r"already adopted.*2009-MS-01 \(adopted on 2026-03-01\)",
        ("2015-MS-03", "2015-MS-03"): "chosen twice",
        ("1999-XX-01",): "not in the catalogue: 1999-XX-01",
    }
    for ids, message in refusals.items():
        with pytest.raises(InputError, match=message), store.session() as session:
            adopt(session, list(ids), Adoption(made_on=MADE))
    with store.reader() as session:
        assert list(session.scalars(select(Recommendation.catalogue_id))) == ["2009-MS-01"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "text: a recommendation needs its text"),
        ({"due_on": MADE - timedelta(1)}, "due date: 2026-02-28 is before the recommendation"),
        ({"source": RecSource.CATALOGUE}, "source: a catalogue recommendation is adopted"),
        ({"lead_institution_id": uuid.uuid4()}, "lead institution: not in the database"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(
    store: Store, change: dict[str, object], message: str
) -> None:
    data = replace(RecommendationInput(text="Train judges", made_on=MADE), **change)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=message), store.session() as session:
        create_recommendation(session, data)
    with store.reader() as session:
        assert _count(session, Recommendation) == 0


def test_the_status_is_the_latest_updates_and_history_is_kept(store: Store) -> None:
    with store.session() as session:
        rec_id = create_recommendation(
            session, RecommendationInput(text="Adopt a national action plan", made_on=MADE)
        )
    steps = [
        (date(2026, 4, 1), RecStatus.IN_PROGRESS),
        (date(2026, 9, 1), RecStatus.PARTIALLY_IMPLEMENTED),
        (date(2026, 6, 1), RecStatus.IN_PROGRESS),  # recorded late: it is not the latest
    ]
    for on, status in steps:
        with store.session() as session:
            add_progress(session, rec_id, ProgressInput(on=on, status=status,
                                                        narrative=f"step {on}"), today=TODAY)
    with store.reader() as session:
        detail = recommendation_detail(session, rec_id, today=TODAY)
    assert detail.row.status is RecStatus.PARTIALLY_IMPLEMENTED
    assert [e.on for e in detail.timeline] == sorted(on for on, _ in steps)
    assert detail.row.last_update == date(2026, 9, 1)


def test_progress_dated_before_the_recommendation_or_in_the_future_is_refused(
    store: Store,
) -> None:
    with store.session() as session:
        rec_id = create_recommendation(session, RecommendationInput(text="x", made_on=MADE))
    for on, message in ((MADE - timedelta(1), "before the recommendation was made"),
                        (TODAY + timedelta(1), "is in the future")):
        with pytest.raises(InputError, match=message), store.session() as session:
            add_progress(session, rec_id, ProgressInput(on=on, status=RecStatus.IMPLEMENTED),
                         today=TODAY)
    with store.reader() as session:
        assert _count(session, ProgressUpdate) == 0
        assert session.get(Recommendation, rec_id).status is RecStatus.NOT_STARTED  # type: ignore[union-attr]


def test_evidence_is_stored_under_a_generated_name_with_its_checksum(
    store: Store, tmp_path: Path
) -> None:
    body = b"%PDF-1.4\n" + bytes(range(256)) * 40
    evidence = read_evidence(_pdf(tmp_path, "Decree of 3 May.pdf", body))
    with store.session() as session:
        rec_id = create_recommendation(session, RecommendationInput(text="x", made_on=MADE))
        add_progress(session, rec_id, ProgressInput(
            on=date(2026, 5, 4), status=RecStatus.IMPLEMENTED, narrative="Decree signed",
            evidence=(evidence,)), today=TODAY)
    with store.reader() as session:
        entry = recommendation_detail(session, rec_id, today=TODAY).timeline[0]
        (info,) = entry.attachments
        attachment, data = load_attachment(session, info.id)
        assert attachment.stored_name == f"{attachment.id.hex}.pdf"
        out = export_attachment(session, info.id, tmp_path / "out.pdf")
    assert info.original_name == "Decree of 3 May.pdf"
    assert info.sha256 == hashlib.sha256(body).hexdigest()
    assert info.media_type == "application/pdf"
    assert data == body
    assert out.read_bytes() == body


def test_a_damaged_attachment_is_reported_not_returned(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        rec_id = create_recommendation(session, RecommendationInput(text="x", made_on=MADE))
        add_progress(session, rec_id, ProgressInput(
            on=MADE, status=RecStatus.IN_PROGRESS, evidence=(read_evidence(_pdf(tmp_path)),)),
            today=TODAY)
    with store.session() as session:
        content = session.scalars(select(AttachmentContent)).one()
        content.data = b"tampered"
    with store.reader() as session, pytest.raises(KnownError, match="checksum"):
        load_attachment(session, content.attachment_id)


def test_unreadable_empty_or_too_large_evidence_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"evidence missing\.pdf: cannot be read"):
        read_evidence(tmp_path / "missing.pdf")
    (tmp_path / "folder").mkdir()
    with pytest.raises(InputError, match="evidence folder: not a file"):
        read_evidence(tmp_path / "folder")
    with pytest.raises(InputError, match="the file is empty"):
        read_evidence(_pdf(tmp_path, "empty.pdf", b""))
    big = tmp_path / "scan.tiff"
    with big.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(InputError, match=r"evidence scan\.tiff: 25\.0 MB is larger than the limit"):
        read_evidence(big)


def test_undoing_progress_restores_the_status_and_drops_its_evidence(
    store: Store, tmp_path: Path
) -> None:
    with store.session() as session:
        rec_id = create_recommendation(session, RecommendationInput(text="x", made_on=MADE))
        add_progress(session, rec_id, ProgressInput(on=MADE, status=RecStatus.IN_PROGRESS),
                     today=TODAY)
        update_id = add_progress(session, rec_id, ProgressInput(
            on=TODAY, status=RecStatus.IMPLEMENTED, evidence=(read_evidence(_pdf(tmp_path)),)),
            today=TODAY)
    with store.session() as session:
        remove_progress(session, update_id)
    with store.reader() as session:
        assert session.get(Recommendation, rec_id).status is RecStatus.IN_PROGRESS  # type: ignore[union-attr]
        assert _count(session, Attachment) == 0
        assert _count(session, AttachmentContent) == 0
    with store.session() as session:
        delete_recommendation(session, rec_id)
    with store.reader() as session:
        assert _count(session, ProgressUpdate) == 0


def test_edits_keep_the_catalogue_link_and_count_as_revisions(store: Store) -> None:
    with store.session() as session:
        justice = _institution(session, "Ministry of Justice")
        interior = _institution(session, "Ministry of Interior")
        (rec_id,) = adopt(session, ["2009-MS-01"], Adoption(made_on=MADE))
    with store.session() as session:
        data = current_input(session, rec_id)
        update_recommendation(session, rec_id, replace(
            data, catalogue_id=None, source=RecSource.COMMITTEE, priority=Priority.HIGH,
            supporter_ids=(interior,)))
        assign_lead(session, [rec_id], interior)
    with store.reader() as session:
        rec = session.get(Recommendation, rec_id)
        after = current_input(session, rec_id)
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.record_id == str(rec_id), AuditEntry.table_name == "recommendation"))
        assert rec is not None
        assert (rec.catalogue_id, rec.source, rec.priority) == (
            "2009-MS-01", RecSource.CATALOGUE, Priority.HIGH
        )
        assert rec.revision == 3
    assert after.lead_institution_id == interior
    assert after.supporter_ids == ()  # the new lead no longer supports
    assert audited == 3
    assert justice != interior


def test_a_new_date_made_cannot_leave_progress_before_it(store: Store) -> None:
    with store.session() as session:
        rec_id = create_recommendation(session, RecommendationInput(text="x", made_on=MADE))
        add_progress(session, rec_id, ProgressInput(on=MADE, status=RecStatus.IN_PROGRESS),
                     today=TODAY)
    with store.reader() as session:
        data = current_input(session, rec_id)
    with (
        pytest.raises(InputError, match="date made: progress was recorded on 2026-03-01"),
        store.session() as session,
    ):
        update_recommendation(session, rec_id, replace(data, made_on=MADE + timedelta(1)))
    with store.reader() as session:
        assert session.get(Recommendation, rec_id).made_on == MADE  # type: ignore[union-attr]


def test_overdue_means_due_date_passed_and_follow_up_not_ended() -> None:
    past, future = TODAY - timedelta(1), TODAY + timedelta(1)
    assert is_overdue(past, RecStatus.IN_PROGRESS, TODAY)
    assert is_overdue(past, RecStatus.NOT_IMPLEMENTED, TODAY)
    assert not is_overdue(past, RecStatus.IMPLEMENTED, TODAY)
    assert not is_overdue(past, RecStatus.NOT_APPLICABLE, TODAY)
    assert not is_overdue(TODAY, RecStatus.NOT_STARTED, TODAY)
    assert not is_overdue(future, RecStatus.NOT_STARTED, TODAY)
    assert not is_overdue(None, RecStatus.NOT_STARTED, TODAY)


def test_the_demo_list_filters_and_counts(demo_store: Store) -> None:
    with demo_store.reader() as session:
        everything = list_recommendations(session, today=TODAY)
        overdue = list_recommendations(session, RecFilter(overdue=True), today=TODAY)
        by_status = count_by_status(session)
        first_lead = everything[0].lead_institution_id
        led = list_recommendations(session, RecFilter(institution_id=first_lead), today=TODAY)
        catalogue = list_recommendations(session, RecFilter(source=RecSource.CATALOGUE),
                                         today=TODAY)
        of_2009 = list_recommendations(session, RecFilter(report_year=2009), today=TODAY)
        member_states = list_recommendations(session, RecFilter(target="member states"),
                                             today=TODAY)
        words = list_recommendations(session, RecFilter(text="MS-01"), today=TODAY)
        assert count_overdue(session, today=TODAY) == len(overdue)
    assert len(everything) == 25
    assert overdue
    assert all(r.overdue for r in overdue)
    assert everything[: len(overdue)] == overdue  # overdue first
    assert set(by_status) == {s.value for s in RecStatus}
    assert sum(by_status.values()) == 25
    assert all(n > 0 for n in by_status.values())
    assert led
    assert all(r.report_year == 2009 for r in of_2009)
    assert of_2009
    assert len(member_states) == len(catalogue)
    assert all(r.catalogue_id and "MS-01" in r.catalogue_id for r in words)
    for status in RecStatus:
        with demo_store.reader() as session:
            rows = list_recommendations(session, RecFilter(status=status), today=TODAY)
        assert len(rows) == by_status[status.value]
