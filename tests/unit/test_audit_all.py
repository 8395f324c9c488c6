"""The audit trail misses no write: orphans deleted by the flush, links written with INSERT and
DELETE statements, bulk updates and deletes; it names who wrote; tampering still shows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, event, insert, select, text, update

from r2pdesk.assessments.models import Level
from r2pdesk.assessments.service import AssessmentInput, RatingInput, create_assessment, save_rating
from r2pdesk.audit import (
    REDACTED,
    Actor,
    AuditEntry,
    AuditFilter,
    AuditRow,
    entry_page,
    entry_tables,
    list_entries,
    verify_chain,
)
from r2pdesk.audit_words import describe_all, find_records
from r2pdesk.cli import main as cli_main
from r2pdesk.context.models import Area
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    ResponseKind,
    Severity,
    WarningStatus,
    warning_area,
)
from r2pdesk.earlywarning.service import (
    WarningDraft,
    create_warning,
    issue_warning,
    record_response,
    update_warning,
)
from r2pdesk.i18n import speaking
from r2pdesk.institutions.models import Institution
from r2pdesk.members.service import set_committee
from r2pdesk.recommendations.models import ProgressUpdate, RecStatus
from r2pdesk.recommendations.service import (
    Adoption,
    ProgressInput,
    RecommendationInput,
    add_progress,
    adopt,
    create_recommendation,
    current_input,
    remove_progress,
    update_recommendation,
)
from r2pdesk.reference.service import default_framework_version
from r2pdesk.sources.attachments import EvidenceFile
from r2pdesk.startup import open_store
from r2pdesk.store import Store, write_setting

TODAY = date(2026, 5, 4)
EVIDENCE = EvidenceFile("letter.pdf", b"%PDF-1.4 a letter", "application/pdf")


def _entries(store: Store, after: int = 0) -> list[AuditRow]:
    with store.reader() as session:
        return [row for row in list_entries(session) if row.seq > after]


def _last_seq(store: Store) -> int:
    entries = _entries(store)
    return entries[-1].seq if entries else 0


def _said(entries: list[AuditRow]) -> list[tuple[str, str]]:
    return [(e.action, e.table) for e in entries]


def _recommendation(store: Store, *, confidential: bool = False) -> object:
    with store.session() as session:
        return create_recommendation(session, RecommendationInput(
            text="Train the border police.", made_on=date(2026, 1, 5),
            confidential=confidential))


def _progress(store: Store, rec_id: object) -> object:
    with store.session() as session:
        return add_progress(session, rec_id, ProgressInput(  # type: ignore[arg-type]
            on=date(2026, 3, 1), status=RecStatus.IN_PROGRESS, narrative="Two courses held.",
            evidence=(EVIDENCE,)), today=TODAY)


def test_undoing_a_progress_update_writes_its_delete(store: Store) -> None:
    rec_id = _recommendation(store)
    update_id = _progress(store, rec_id)
    made = _entries(store)
    assert ("create", "progress_update") in _said(made)
    assert ("link", "progress_attachment") in _said(made)
    before = made[-1].seq

    with store.session() as session:  # what the undo of "Record progress" runs
        remove_progress(session, update_id)  # type: ignore[arg-type]

    undone = _entries(store, before)
    assert ("delete", "progress_update") in _said(undone)
    assert ("unlink", "progress_attachment") in _said(undone)
    assert ("delete", "attachment") in _said(undone)
    gone = next(e for e in undone if e.table == "progress_update")
    assert gone.record_id == str(update_id)
    assert gone.changes["status"] == "in_progress"  # what it was, for the words
    assert {e.actor for e in undone} == {"tester"}
    with store.reader() as session:
        assert session.get(ProgressUpdate, update_id) is None
        assert verify_chain(session) is None


def test_a_confidential_recommendations_progress_stays_redacted_when_undone(
    store: Store,
) -> None:
    rec_id = _recommendation(store, confidential=True)
    update_id = _progress(store, rec_id)
    before = _last_seq(store)
    with store.session() as session:
        remove_progress(session, update_id)  # type: ignore[arg-type]
    gone = next(e for e in _entries(store, before) if e.table == "progress_update")
    assert gone.changes["narrative"] == REDACTED
    assert "Two courses" not in json.dumps(gone.changes)


def test_links_made_and_undone_are_audited_and_rewriting_the_same_ones_says_nothing(
    store: Store,
) -> None:
    with store.session() as session:
        north, south = Area(name="North Region"), Area(name="South Region")
        session.add_all([north, south])
        session.flush()
        draft = WarningDraft(title="Patrols at the market", area_ids=(north.id,))
        warning_id = create_warning(session, draft, TODAY).id
        north_id, south_id = north.id, south.id
    created = _entries(store)
    link = next(e for e in created if e.table == "warning_area")
    assert link.action == "link"
    assert link.record_id == str(warning_id)
    assert link.changes == {"warning_id": str(warning_id), "area_id": str(north_id)}

    before = _last_seq(store)
    with store.session() as session:  # the same links written again: no link entry
        update_warning(session, warning_id, WarningDraft(
            title="Patrols at the market", area_ids=(north_id,), description="At dawn."))
    assert [e.table for e in _entries(store, before)] == ["early_warning"]

    before = _last_seq(store)
    with store.session() as session:
        update_warning(session, warning_id, WarningDraft(
            title="Patrols at the market", area_ids=(south_id,), description="At dawn."))
    changed = {(e.action, e.changes["area_id"])
               for e in _entries(store, before) if e.table == "warning_area"}
    assert changed == {("unlink", str(north_id)), ("link", str(south_id))}


def test_recommendation_links_are_audited(store: Store) -> None:
    rec_id = _recommendation(store)
    with store.session() as session:
        ministry = Institution(name="Ministry of Justice")
        session.add(ministry)
        session.flush()
        ministry_id = ministry.id
    before = _last_seq(store)
    with store.session() as session:
        data = current_input(session, rec_id)  # type: ignore[arg-type]
        update_recommendation(session, rec_id,  # type: ignore[arg-type]
                              replace(data, supporter_ids=(ministry_id,)))
    assert ("link", "recommendation_supporter") in _said(_entries(store, before))
    before = _last_seq(store)
    with store.session() as session:
        update_recommendation(session, rec_id,  # type: ignore[arg-type]
                              replace(data, supporter_ids=()))
    assert ("unlink", "recommendation_supporter") in _said(_entries(store, before))


def test_deleting_a_record_audits_the_links_the_database_drops_with_it(store: Store) -> None:
    with store.session() as session:
        area = Area(name="North Region")
        session.add(area)
        session.flush()
        warning_id = create_warning(session, WarningDraft(title="Patrols", area_ids=(area.id,)),
                                    TODAY).id
    before = _last_seq(store)
    with store.session() as session:
        session.delete(session.get(EarlyWarning, warning_id))
    assert sorted(_said(_entries(store, before))) == [
        ("delete", "early_warning"), ("unlink", "warning_area")]


def test_bulk_statements_on_records_and_links_are_audited(store: Store) -> None:
    with store.session() as session:
        area = Area(name="North Region")
        session.add(area)
        session.flush()
        warning_id = create_warning(session, WarningDraft(title="Patrols", area_ids=(area.id,)),
                                    TODAY).id
        area_id = area.id
    before = _last_seq(store)
    with store.session() as session:
        session.execute(update(Area).where(Area.id == area_id).values(name="North"))
    renamed = _entries(store, before)
    assert _said(renamed) == [("update", "area")]
    assert renamed[0].changes == {"name": ["North Region", "North"]}
    with store.reader() as session:
        assert session.get(Area, area_id).revision == 2  # type: ignore[union-attr]

    before = _last_seq(store)
    with store.session() as session:
        session.execute(delete(warning_area).where(warning_area.c.warning_id == warning_id))
        session.execute(delete(EarlyWarning).where(EarlyWarning.id == warning_id))
    assert set(_said(_entries(store, before))) == {
        ("unlink", "warning_area"), ("delete", "early_warning")}
    with store.reader() as session:
        assert verify_chain(session) is None


def test_the_trail_names_the_member_who_wrote(store: Store) -> None:
    store.actor = Actor(name="Amina K.", device=store.actor.device)
    rec_id = _recommendation(store)
    assert {e.actor for e in _entries(store)} == {"Amina K."}
    assert rec_id is not None


def test_editing_or_deleting_an_audit_row_is_still_detected(store: Store) -> None:
    rec_id = _recommendation(store)
    update_id = _progress(store, rec_id)
    with store.session() as session:
        remove_progress(session, update_id)  # type: ignore[arg-type]
    entries = _entries(store)
    with store.reader() as session:
        assert verify_chain(session) is None
    edited = next(e for e in entries if e.action == "delete")
    with store.reader() as session:
        stored = session.scalar(select(AuditEntry.changes).where(AuditEntry.seq == edited.seq))
    with store.session() as session:
        session.execute(text("UPDATE audit_entry SET changes = '{}' WHERE seq = :seq"),
                        {"seq": edited.seq})
    with store.reader() as session:
        assert verify_chain(session) == edited.seq
    with store.session() as session:
        session.execute(text("UPDATE audit_entry SET changes = :c WHERE seq = :seq"),
                        {"c": stored, "seq": edited.seq})
        session.execute(text("DELETE FROM audit_entry WHERE seq = :seq"),
                        {"seq": entries[2].seq})
    with store.reader() as session:
        assert verify_chain(session) == entries[3].seq


# --- the trail in words -----------------------------------------------------------------------


def _sentences(store: Store, after: int = 0) -> list[str]:
    with store.reader() as session:
        rows = [row for row in list_entries(session) if row.seq > after]
        return describe_all(session, rows)


def test_entries_read_as_sentences_naming_the_records(store: Store) -> None:
    store.actor = Actor(name="Amina K.", device=store.actor.device)
    with store.session() as session:
        (rec_id,) = adopt(session, ["2015-MS-03"], Adoption(made_on=date(2026, 1, 5)))
        justice = Institution(name="Ministry of Justice")
        north = Area(name="North Region")
        session.add_all([justice, north])
        session.flush()
        warning_id = create_warning(session, WarningDraft(
            title="Patrols", area_ids=(north.id,), recommendation_ids=(rec_id,)), TODAY).id
    update_id = _progress(store, rec_id)
    with store.session() as session:
        session.get(Institution, justice.id).name = (  # type: ignore[union-attr]
            "Ministry of Justice and Human Rights")
    with store.session() as session:
        remove_progress(session, update_id)  # type: ignore[arg-type]
    with store.reader() as session:
        reference = session.get(EarlyWarning, warning_id).reference  # type: ignore[union-attr]
    said = _sentences(store)
    assert "Amina K. added recommendation 2015-MS-03" in said
    assert "Amina K. added area North Region" in said
    assert f"Amina K. added warning {reference}" in said
    assert f"Amina K. linked warning {reference} to area North Region" in said
    assert f"Amina K. linked recommendation 2015-MS-03 to warning {reference}" in said
    assert "Amina K. recorded progress on recommendation 2015-MS-03: In progress" in said
    assert ("Amina K. renamed institution Ministry of Justice to Ministry of Justice and "
            "Human Rights") in said
    assert ("Amina K. removed the progress recorded on recommendation 2015-MS-03: "
            "In progress") in said
    assert ("Amina K. linked progress update on recommendation 2015-MS-03 to evidence file "
            "letter.pdf") in said
    with speaking("fr"):
        french = _sentences(store)
    assert "Amina K. a ajouté la zone North Region" in french


def test_a_warnings_status_change_reads_with_the_status_in_words(store: Store) -> None:
    # (the step itself, "issued warning ...", is said by the warning's event: see below)
    with store.session() as session:
        warning_id = create_warning(session, WarningDraft(title="Patrols"), TODAY).id
        warning = session.get(EarlyWarning, warning_id)
        assert warning is not None
        warning.status = WarningStatus.ISSUED
        reference = warning.reference
    assert _sentences(store)[-1] == (
        f"tester changed warning {reference}: status (Draft → Issued)")


def test_sentences_keep_confidential_values_out(store: Store) -> None:
    rec_id = _recommendation(store, confidential=True)
    update_id = _progress(store, rec_id)
    with store.session() as session:
        remove_progress(session, update_id)  # type: ignore[arg-type]
    said = "\n".join(_sentences(store))
    assert "Train the border police" not in said
    assert "Two courses" not in said
    assert "tester recorded progress on recommendation" in said


def test_a_page_of_sentences_reads_each_table_once(store: Store) -> None:
    for number in range(12):
        with store.session() as session:
            session.add(Institution(name=f"Ministry {number}"))
            session.add(Area(name=f"Area {number}"))
    statements: list[str] = []

    def note(*args: object) -> None:
        statements.append(str(args[2]))

    with store.reader() as session:
        rows = list_entries(session)
        assert len(rows) == 24
        event.listen(store.engine, "before_cursor_execute", note)
        try:
            said = describe_all(session, rows)
        finally:
            event.remove(store.engine, "before_cursor_execute", note)
    assert "tester added institution Ministry 11" in said
    assert len(statements) == 2  # the institutions' names, the areas' names


def test_searching_the_trail_by_a_records_name(store: Store) -> None:
    with store.session() as session:
        north = Area(name="North Region")
        session.add(north)
        session.flush()
        create_warning(session, WarningDraft(title="Patrols", area_ids=(north.id,)), TODAY)
    with store.reader() as session:
        records = find_records(session, "north reg")
        found = entry_page(session, AuditFilter(text="north reg", records=records))
    assert {(row.action, row.table) for row in found} == {
        ("create", "area"), ("link", "warning_area")}


def test_the_cli_lists_sentences_and_json_keeps_the_fields(
    db_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    store = open_store(db_path, member="Amina K.")
    with store.session() as session:
        session.add(Area(name="North Region"))
    store.close()
    assert cli_main(["--db", str(db_path), "audit"]) == 0
    assert "Amina K. added area North Region" in capsys.readouterr().out
    assert cli_main(["--db", str(db_path), "audit", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["text"] == "Amina K. added area North Region"
    assert (entry["action"], entry["table"], entry["changes"]["name"]) == (
        "create", "area", "North Region")
    assert cli_main(["--db", str(db_path), "audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out


def test_bulk_inserts_of_records_are_audited_each(store: Store) -> None:
    with store.session() as session:
        session.execute(insert(Institution), [{"name": "Ministry of Justice"},
                                              {"name": "National Police"}])
        session.execute(insert(Area).values(name="North Region"))
    made = _entries(store)
    assert sorted((e.action, e.table, e.changes["name"]) for e in made) == [
        ("create", "area", "North Region"), ("create", "institution", "Ministry of Justice"),
        ("create", "institution", "National Police")]
    with store.reader() as session:
        assert set(session.scalars(select(Institution.author))) == {"tester"}
        assert {str(i) for i in session.scalars(select(Institution.id))} == {
            e.record_id for e in made if e.table == "institution"}


def test_the_committees_name_and_country_are_audited_in_words(store: Store) -> None:
    store.actor = Actor(name="Amina K.", device=store.actor.device)
    before = _last_seq(store)
    with store.session() as session:
        set_committee(session, "National Committee of Lorvania", "Lorvania")
    with store.session() as session:
        set_committee(session, "National Committee for Prevention", "Lorvania")
    with store.session() as session:  # the same again: nothing changed, nothing said
        set_committee(session, "National Committee for Prevention", "Lorvania")
    with store.session() as session:
        write_setting(session, "device_id_note", "not the committee's")  # not audited
    entries = _entries(store, before)
    assert [(e.action, e.table, e.actor) for e in entries] == [
        ("update", "committee", "Amina K.")] * 3
    assert entries[2].changes == {
        "name": ["National Committee of Lorvania", "National Committee for Prevention"]}
    assert _sentences(store, before) == [
        "Amina K. named the committee National Committee of Lorvania",
        "Amina K. set the committee's country to Lorvania",
        "Amina K. renamed the committee to National Committee for Prevention"]
    with store.reader() as session:
        assert verify_chain(session) is None
        assert "committee" in entry_tables(session)
    with store.session() as session:
        session.execute(text("UPDATE audit_entry SET changes = :c WHERE seq = :seq"),
                        {"c": json.dumps({"name": ["", "Someone else's committee"]}),
                         "seq": entries[0].seq})
    with store.reader() as session:
        assert verify_chain(session) == entries[0].seq


# --- what a rating, a warning's steps and a response read as ------------------------------------


def _issued_warning(store: Store) -> tuple[object, str, object]:
    """A warning addressed to the Ministry of Justice and issued: its id, reference, the
    ministry's id."""
    with store.session() as session:
        justice = Institution(name="Ministry of Justice")
        session.add(justice)
        session.flush()
        warning = create_warning(session, WarningDraft(
            title="Patrols", severity=Severity.HIGH, addressee_ids=(justice.id,)), TODAY)
        issue_warning(session, warning.id, TODAY)
        reference = session.get(EarlyWarning, warning.id).reference  # type: ignore[union-attr]
        return warning.id, reference, justice.id


def test_a_rating_reads_as_rated_with_its_indicator_assessment_and_level(store: Store) -> None:
    store.actor = Actor(name="Amina K.", device=store.actor.device)
    with store.session() as session:
        version = default_framework_version(session)
        assert version is not None
        indicator = next(i for f in version.risk_factors for i in f.indicators
                         if i.code == "7.4")
        assessment_id = create_assessment(session, AssessmentInput(
            title="North region, second half of 2026",
            period_start=date(2026, 7, 1), period_end=date(2026, 12, 31)))
        factor_id, factor_code = indicator.risk_factor_id, indicator.risk_factor.code
    before = _last_seq(store)
    with store.session() as session:
        save_rating(session, assessment_id, RatingInput(
            risk_factor_id=factor_id, indicator_id=indicator.id, level=Level.HIGH))
    made = [e for e in _entries(store, before) if e.table == "rating"]
    assert {e.changes["assessment_id"] for e in made} == {str(assessment_id)}
    said = _sentences(store, before)
    assert ("Amina K. rated indicator 7.4 of assessment North region, second half of 2026: "
            "High") in said
    assert (f"Amina K. rated risk factor {factor_code} of assessment North region, second half "
            "of 2026: High") in said
    assert not any("added assessment" in sentence for sentence in said)
    with speaking("fr"):
        french = _sentences(store, before)
    assert ("Amina K. a noté l'indicateur 7.4 dans l'évaluation North region, second half of "
            "2026 : Élevé") in french
    assert ("Amina K. a modifié l'évaluation North region, second half of 2026 : niveau "
            "global") in french

    before = _last_seq(store)
    with store.session() as session:
        save_rating(session, assessment_id, RatingInput(
            risk_factor_id=factor_id, indicator_id=indicator.id, level=Level.HIGH,
            evidence="Two attacks on the market."))
    assert _sentences(store, before) == [(
        "Amina K. changed the rating of indicator 7.4 of assessment North region, second half "
        "of 2026: evidence")]


def test_an_issued_warning_reads_as_issued_and_its_event_keeps_its_warning(store: Store) -> None:
    before = _last_seq(store)
    warning_id, reference, _justice = _issued_warning(store)
    (event_entry,) = [e for e in _entries(store, before) if e.table == "warning_event"]
    assert event_entry.changes["warning_id"] == str(warning_id)
    said = _sentences(store, before)
    assert said.count(f"tester issued warning {reference}") == 1
    assert said.count(f"tester added warning {reference}") == 1


def test_a_response_reads_with_its_institution_and_warning(store: Store) -> None:
    warning_id, reference, justice_id = _issued_warning(store)
    before = _last_seq(store)
    with store.session() as session:
        record_response(session, warning_id, justice_id, TODAY,  # type: ignore[arg-type]
                        ResponseKind.ACKNOWLEDGEMENT, today=TODAY)
    said = _sentences(store, before)
    assert (f"tester recorded a response of institution Ministry of Justice to warning "
            f"{reference}") in said
    assert f"tester recorded that warning {reference} was acknowledged" in said
    response = next(e for e in _entries(store, before) if e.table == "warning_response")
    assert response.changes["warning_id"] == str(warning_id)


def test_a_warnings_life_reads_added_once_then_issued_then_responded(store: Store) -> None:
    warning_id, reference, justice_id = _issued_warning(store)
    with store.session() as session:
        record_response(session, warning_id, justice_id, TODAY,  # type: ignore[arg-type]
                        ResponseKind.ACKNOWLEDGEMENT, today=TODAY)
    said = [s for s in _sentences(store) if reference in s]
    added = said.index(f"tester added warning {reference}")
    issued = said.index(f"tester issued warning {reference}")
    responded = said.index(
        f"tester recorded a response of institution Ministry of Justice to warning {reference}")
    assert added < issued < responded
    assert [s for s in said if " added " in s] == [f"tester added warning {reference}"]
