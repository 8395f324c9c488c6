"""Use cases over the committee itself: its name and country, its members, and who is writing.

Every change is signed by a member chosen at start (`act_as`), not by the computer's login.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.audit import Actor
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.institutions.models import Institution
from r2pdesk.lists import clean_name, get_entry, merge, name_key, name_taken, restore, retire
from r2pdesk.members.models import Constituency, Member, MemberId, Role
from r2pdesk.store import Store, read_setting, write_setting

COMMITTEE_NAME = "committee_name"  # the key the Settings page has always used
COMMITTEE_COUNTRY = "committee_country"
MAX_COMMITTEE = 200
# Roles that may see who a confidential source is.
SEES_IDENTITIES = frozenset({Role.CHAIR, Role.SECRETARIAT})
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


@dataclass(frozen=True)
class Committee:
    """The committee's name and country, kept in the database."""

    name: str
    country: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "country": self.country}


def committee(session: Session) -> Committee:
    """The committee's name and country ("" where not set yet)."""
    return Committee(read_setting(session, COMMITTEE_NAME),
                     read_setting(session, COMMITTEE_COUNTRY))


def set_committee(session: Session, name: str, country: str) -> Committee:
    """Name the committee and its country; refused when the name is empty or either too long."""
    name = " ".join(name.split())
    country = " ".join(country.split())
    if not name:
        raise InputError(tr("committee name: a name is needed"), field="name")
    for field, value in (("name", name), ("country", country)):
        if len(value) > MAX_COMMITTEE:
            raise InputError(tr("{field}: at most {count} characters").format(
                field=field, count=MAX_COMMITTEE), field=field)
    write_setting(session, COMMITTEE_NAME, name)
    write_setting(session, COMMITTEE_COUNTRY, country)
    return Committee(name, country)


@dataclass(frozen=True)
class MemberSpec:
    """What a member's form holds."""

    name: str
    constituency: Constituency = Constituency.OTHER
    role: Role = Role.MEMBER
    institution_id: uuid.UUID | None = None
    term_start: date | None = None
    term_end: date | None = None
    active: bool = True
    email: str = ""
    affiliation: str = ""


def _check(session: Session, spec: MemberSpec, own: uuid.UUID | None) -> str:
    name = clean_name(spec.name)
    other = name_taken(session, select(Member).where(Member.merged_into.is_(None)), name, own)
    if other is not None:
        raise InputError(tr("name: there is already a member named {name}").format(
            name=other.name), field="name")
    if spec.term_start and spec.term_end and spec.term_end < spec.term_start:
        raise InputError(tr("term end: the term cannot end before it starts"), field="term_end")
    if spec.institution_id is not None and session.get(Institution, spec.institution_id) is None:
        raise InputError(tr("institution: there is no such institution"), field="institution")
    email = spec.email.strip()
    if email and not _EMAIL.fullmatch(email):
        raise InputError(tr("e-mail: {value} is not an e-mail address").format(value=email),
                         field="email")
    return name


def _apply(member: Member, spec: MemberSpec, name: str) -> None:
    member.name = name
    member.constituency = spec.constituency
    member.role = spec.role
    member.institution_id = spec.institution_id
    member.term_start = spec.term_start
    member.term_end = spec.term_end
    member.active = spec.active
    member.email = spec.email.strip()
    member.affiliation = " ".join(spec.affiliation.split())


def add_member(session: Session, spec: MemberSpec) -> MemberId:
    """Add a member; refused (nothing changed) when the name is empty or already taken."""
    name = _check(session, spec, None)
    member = Member(id=uuid.uuid4(), name=name)
    _apply(member, spec, name)
    session.add(member)
    session.flush()
    return MemberId(member.id)


def edit_member(session: Session, member_id: MemberId, spec: MemberSpec) -> None:
    """Change a member's details."""
    member = get_entry(session, Member, member_id, tr("member"))
    _apply(member, spec, _check(session, spec, member.id))


def retire_member(session: Session, member_id: MemberId) -> None:
    """Take a member out of the lists; what they signed stays signed."""
    retire(get_entry(session, Member, member_id, tr("member")))


def restore_member(session: Session, member_id: MemberId) -> None:
    """Bring a retired member back."""
    restore(get_entry(session, Member, member_id, tr("member")))


def merge_members(session: Session, keep: MemberId, drop: MemberId) -> int:
    """Merge a duplicate member into the one kept."""
    return merge(session, Member, get_entry(session, Member, keep, tr("member")),
                 get_entry(session, Member, drop, tr("member")))


def find_member(session: Session, text: str) -> Member | None:
    """The member in use with this name (case and spacing aside) or id."""
    key = name_key(text)
    if not key:
        return None
    try:
        found = session.get(Member, uuid.UUID(text.strip()))
    except ValueError:
        found = None
    if found is not None:
        return found
    for member in session.scalars(select(Member).where(Member.retired.is_(False))):
        if name_key(member.name) == key:
            return member
    return None


def act_as(store: Store, who: str) -> Member:
    """Sign what this store writes from now on with the member named (or with this id)."""
    with store.reader() as session:
        member = find_member(session, who)
        if member is None or member.retired:
            names = ", ".join(session.scalars(
                select(Member.name).where(Member.retired.is_(False)).order_by(Member.name)))
            raise InputError(
                tr("no member is named {name} (members: {names})").format(
                    name=repr(who), names=names or tr("none yet; add one first")),
                field="member")
        session.expunge(member)
    store.actor = Actor(name=member.name, device=store.actor.device)
    return member


def may_see_identities(role: Role | None) -> bool:
    """Whether a member with this role may see who a confidential source is."""
    return role in SEES_IDENTITIES
