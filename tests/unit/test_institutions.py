"""Institutions and focal points through the core use cases: search, edit, delete, and the
messages that say which field is wrong."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from r2pdesk.errors import InputError, KnownError
from r2pdesk.institutions.models import FocalPoint, Institution, InstitutionId, InstitutionKind
from r2pdesk.institutions.service import (
    KIND_LABELS,
    FieldError,
    FocalPointId,
    FocalPointInput,
    InstitutionInput,
    delete_focal_point,
    delete_institution,
    find_institution,
    institution_detail,
    institution_names,
    list_institutions,
    name_key,
    parse_kind,
    save_focal_point,
    save_institution,
)
from r2pdesk.store import Store


def add(store: Store, name: str, **fields: Any) -> InstitutionId:
    with store.session() as session:
        return save_institution(session, InstitutionInput(name=name, **fields))


def refused(
    store: Store, data: InstitutionInput, institution_id: InstitutionId | None = None
) -> str:
    with pytest.raises(InputError) as caught, store.session() as session:
        save_institution(session, data, institution_id)
    return str(caught.value)


# --- kinds --------------------------------------------------------------------------------------


def test_every_kind_has_a_label() -> None:
    assert set(KIND_LABELS) == set(InstitutionKind)
    assert KIND_LABELS[InstitutionKind.NHRI] == "National human rights institution"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ministry", InstitutionKind.MINISTRY),
        ("MINISTRY", InstitutionKind.MINISTRY),
        ("nhri", InstitutionKind.NHRI),
        ("National Human Rights Institution", InstitutionKind.NHRI),
        ("  un entity ", InstitutionKind.UN_ENTITY),
        ("un_entity", InstitutionKind.UN_ENTITY),
        ("civil society organization", InstitutionKind.CIVIL_SOCIETY),
        ("Subregional body", InstitutionKind.SUBREGIONAL_BODY),
    ],
)
def test_kinds_are_read_from_value_or_label(text: str, kind: InstitutionKind) -> None:
    assert parse_kind(text) is kind


def test_an_unknown_kind_is_refused_with_the_choices() -> None:
    with pytest.raises(FieldError) as caught:
        parse_kind("Ministy")
    assert caught.value.field == "Kind"
    assert str(caught.value).startswith("Kind: 'Ministy' is not a kind of institution")
    assert "National human rights institution" in str(caught.value)


@given(st.sampled_from(list(InstitutionKind)), st.sampled_from([str.upper, str.lower, str.title]))
def test_every_label_and_value_reads_back_in_any_case(
    kind: InstitutionKind, case: Callable[[str], str]
) -> None:
    assert parse_kind(case(KIND_LABELS[kind])) is kind
    assert parse_kind(case(kind.value)) is kind


# --- adding and changing ------------------------------------------------------------------------


def test_an_institution_is_saved_trimmed_and_listed(store: Store) -> None:
    new_id = add(
        store, "  Ministry of   Justice ", acronym=" MOJ ", kind="Ministry",
        email=" info@justice.example.org ", phone=" +1 555 0100 ", notes=" Leads.\n",
    )
    with store.reader() as session:
        rows = list_institutions(session)
        detail = institution_detail(session, new_id)
    assert [row.name for row in rows] == ["Ministry of Justice"]
    row = rows[0]
    assert (row.id, row.acronym, row.kind, row.email, row.phone) == (
        new_id, "MOJ", InstitutionKind.MINISTRY, "info@justice.example.org", "+1 555 0100"
    )
    assert row.kind_label == "Ministry"
    assert (row.focal_points, row.recommendations, row.open_recommendations) == (0, 0, 0)
    assert detail.notes == "Leads."
    assert detail.parent_id is None
    assert detail.focal_points == ()


def test_changing_an_institution_keeps_its_id_and_counts_a_revision(store: Store) -> None:
    new_id = add(store, "Ministry of Justice", acronym="MOJ")
    with store.session() as session:
        detail = institution_detail(session, new_id)
        data = InstitutionInput(**{**detail.as_input().__dict__, "acronym": "MJ"})
        assert save_institution(session, data, new_id) == new_id
    with store.reader() as session:
        record = session.get(Institution, new_id)
        assert record is not None
        assert (record.acronym, record.revision) == ("MJ", 2)
        # Saving the same values again is no change at all.
        assert save_institution(session, institution_detail(session, new_id).as_input(), new_id)
        session.flush()
        assert record.revision == 2


def test_an_empty_name_is_refused(store: Store) -> None:
    assert refused(store, InstitutionInput(name="   ")) == "Name: an institution needs a name."


def test_a_duplicate_name_is_refused_whatever_its_case_and_spacing(store: Store) -> None:
    add(store, "Ministry of Justice")
    message = refused(store, InstitutionInput(name="  ministry OF  justice "))
    assert message == "Name: there is already an institution named 'Ministry of Justice'."


def test_an_institution_may_keep_its_own_name(store: Store) -> None:
    new_id = add(store, "Ministry of Justice")
    with store.session() as session:
        save_institution(session, InstitutionInput(name="MINISTRY OF JUSTICE"), new_id)
    with store.reader() as session:
        assert institution_names(session) == ["MINISTRY OF JUSTICE"]


@pytest.mark.parametrize("email", ["info", "info@", "@example.org", "a b@example.org",
                                   "info@example", "info@@example.org", "info@example..org"])
def test_a_malformed_email_is_refused(store: Store, email: str) -> None:
    message = refused(store, InstitutionInput(name="Ministry of Justice", email=email))
    assert message.startswith("E-mail: ")
    assert "is not an e-mail address" in message


def test_an_unknown_kind_is_refused_on_saving(store: Store) -> None:
    message = refused(store, InstitutionInput(name="Ministry of Justice", kind="Minstry"))
    assert message.startswith("Kind: 'Minstry' is not a kind of institution")


def test_overlong_fields_are_refused(store: Store) -> None:
    message = refused(store, InstitutionInput(name="x" * 301))
    assert message == "Name: at most 300 characters, not 301."


def test_an_institution_can_be_part_of_another_but_not_of_itself(store: Store) -> None:
    ministry = add(store, "Ministry of Justice")
    office = add(store, "Office of the Prosecutor", parent_id=ministry)
    with store.reader() as session:
        rows = {row.name: row for row in list_institutions(session)}
    assert rows["Office of the Prosecutor"].parent == "Ministry of Justice"
    assert refused(store, InstitutionInput(name="Ministry of Justice", parent_id=ministry),
                   ministry) == "Parent: an institution cannot be part of itself."
    message = refused(store, InstitutionInput(name="Ministry of Justice", parent_id=office),
                      ministry)
    assert message == "Parent: 'Office of the Prosecutor' is itself part of this institution."
    unknown = InstitutionId(uuid.uuid4())
    assert refused(store, InstitutionInput(name="Other", parent_id=unknown)).startswith("Parent:")


def test_changing_a_deleted_institution_says_so(store: Store) -> None:
    with pytest.raises(KnownError, match="no longer exists"), store.session() as session:
        save_institution(session, InstitutionInput(name="X"), InstitutionId(uuid.uuid4()))


# --- focal points -------------------------------------------------------------------------------


def test_focal_points_are_added_changed_and_removed(store: Store) -> None:
    ministry = add(store, "Ministry of Justice")
    with store.session() as session:
        first = save_focal_point(session, ministry, FocalPointInput(
            " Daria Okonel ", "Director", "d.okonel@justice.example.org", "+1 555 0101"))
        save_focal_point(session, ministry, FocalPointInput("Adam Berg"))
    with store.reader() as session:
        detail = institution_detail(session, ministry)
        assert detail.row.focal_points == 2
    assert [p.name for p in detail.focal_points] == ["Adam Berg", "Daria Okonel"]
    daria = detail.focal_points[1]
    assert (daria.id, daria.title) == (first, "Director")
    assert daria.email == "d.okonel@justice.example.org"
    with store.session() as session:
        save_focal_point(session, ministry, FocalPointInput("Daria Okonel", "Minister"), first)
        delete_focal_point(session, detail.focal_points[0].id)
        delete_focal_point(session, FocalPointId(uuid.uuid4()))  # gone already: fine
    with store.reader() as session:
        points = institution_detail(session, ministry).focal_points
    assert [(p.name, p.title, p.email) for p in points] == [("Daria Okonel", "Minister", "")]


def test_focal_point_input_is_checked(store: Store) -> None:
    ministry = add(store, "Ministry of Justice")
    with pytest.raises(FieldError) as caught, store.session() as session:
        save_focal_point(session, ministry, FocalPointInput(" "))
    assert str(caught.value) == "Name: a focal point needs a name."
    with pytest.raises(FieldError) as caught, store.session() as session:
        save_focal_point(session, ministry, FocalPointInput("Daria Okonel", email="daria"))
    assert caught.value.field == "E-mail"


# --- searching and finding ----------------------------------------------------------------------


def test_search_looks_in_names_acronyms_and_focal_points(demo_store: Store) -> None:
    with demo_store.reader() as session:
        def names(text: str = "", kind: InstitutionKind | str | None = None) -> list[str]:
            return [row.name for row in list_institutions(session, text, kind)]

        assert len(names()) == 13
        assert names() == sorted(names(), key=str.casefold)
        assert names("justice") == ["Ministry of Justice"]
        assert names("MINISTRY jus") == ["Ministry of Justice"]
        assert names("lhrc") == ["Lorvania Human Rights Commission"]
        assert names("okonel") == ["Ministry of Justice"]  # a focal point's name
        assert names("ministry", InstitutionKind.MINISTRY) == [
            "Ministry of Defence", "Ministry of Education", "Ministry of Justice",
            "Ministry of the Interior",
        ]
        assert names("", "National human rights institution") == [
            "Lorvania Human Rights Commission"
        ]
        assert names("no such thing") == []


def test_search_ignores_accents(store: Store) -> None:
    add(store, "Ministère de la Justice")
    with store.reader() as session:
        assert [r.name for r in list_institutions(session, "ministere")] == [
            "Ministère de la Justice"
        ]
        assert [r.name for r in list_institutions(session, "MINISTÈRE")] == [
            "Ministère de la Justice"
        ]


def test_rows_count_the_recommendations_an_institution_leads(demo_store: Store) -> None:
    with demo_store.reader() as session:
        row = find_institution(session, "Ministry of Justice")
    assert row is not None
    assert (row.focal_points, row.recommendations, row.open_recommendations) == (2, 9, 7)


def test_find_by_name_or_acronym_in_any_case(demo_store: Store) -> None:
    with demo_store.reader() as session:
        by_name = find_institution(session, "  ministry of JUSTICE ")
        by_acronym = find_institution(session, "moj")
        assert find_institution(session, "Ministry") is None  # exact only
        assert find_institution(session, "") is None
    assert by_name is not None
    assert by_acronym == by_name


def test_a_shared_acronym_asks_for_the_full_name(store: Store) -> None:
    add(store, "Ministry of Justice", acronym="MJ")
    add(store, "Ministry of Youth", acronym="MJ")
    with store.reader() as session, pytest.raises(InputError, match="several institutions"):
        find_institution(session, "mj")


def test_names_are_in_alphabetical_order(store: Store) -> None:
    for name in ("b agency", "Agency", "Commission"):
        add(store, name)
    with store.reader() as session:
        assert institution_names(session) == ["Agency", "b agency", "Commission"]


@given(st.text(max_size=30))
def test_name_keys_ignore_case_and_spacing(text: str) -> None:
    assert name_key(f"  {text.upper()}  ") == name_key(" ".join(text.split()).upper())
    assert name_key(text) == name_key(name_key(text))


# --- deleting -----------------------------------------------------------------------------------


def test_deleting_removes_the_focal_points_too(store: Store) -> None:
    ministry = add(store, "Ministry of Justice")
    with store.session() as session:
        save_focal_point(session, ministry, FocalPointInput("Daria Okonel"))
    with store.session() as session:
        delete_institution(session, ministry)
    with store.reader() as session:
        assert list_institutions(session) == []
        assert session.scalars(select(FocalPoint)).all() == []


def test_deleting_is_refused_while_records_refer_to_the_institution(demo_store: Store) -> None:
    with demo_store.reader() as session:
        row = find_institution(session, "MOJ")
    assert row is not None
    with pytest.raises(InputError) as caught, demo_store.session() as session:
        delete_institution(session, row.id)
    message = str(caught.value)
    assert message.startswith("'Ministry of Justice' cannot be deleted: it leads 9 recommendations")
    assert "early warnings are addressed to it" in message
    with demo_store.reader() as session:
        assert find_institution(session, "MOJ") == row


def test_a_parent_cannot_be_deleted_before_its_parts(store: Store) -> None:
    ministry = add(store, "Ministry of Justice")
    add(store, "Office of the Prosecutor", parent_id=ministry)
    with pytest.raises(InputError, match="1 institution is part of it"), store.session() as s:
        delete_institution(s, ministry)


def test_an_institution_members_come_from_is_not_deleted(store: Store) -> None:
    from r2pdesk.members.service import MemberSpec, add_member

    ministry = add(store, "Ministry of Justice")
    with store.session() as session:
        add_member(session, MemberSpec("Amina K.", institution_id=ministry))
    with pytest.raises(InputError, match="1 committee member comes from it"), \
            store.session() as session:
        delete_institution(session, ministry)
    with store.reader() as session:
        assert session.get(Institution, ministry) is not None
