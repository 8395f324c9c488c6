"""Reading the committee's members for lists, choices and the command line."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.institutions.models import Institution
from r2pdesk.lists import name_key
from r2pdesk.members.labels import constituency_label, role_label
from r2pdesk.members.models import Constituency, Member, Role


@dataclass(frozen=True)
class MemberRow:
    """One member as a list shows it."""

    id: uuid.UUID
    name: str
    constituency: Constituency
    role: Role
    institution_id: uuid.UUID | None
    institution: str
    term_start: date | None
    term_end: date | None
    active: bool
    email: str
    affiliation: str
    retired: bool

    @property
    def constituency_label(self) -> str:
        return constituency_label(self.constituency)

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "name": self.name, "constituency": self.constituency.value,
            "role": self.role.value, "institution": self.institution or None,
            "term_start": self.term_start.isoformat() if self.term_start else None,
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "active": self.active, "email": self.email, "affiliation": self.affiliation,
            "retired": self.retired,
        }


def list_members(session: Session, *, search: str = "",
                 include_retired: bool = False) -> list[MemberRow]:
    """The members by name; those retired only when asked; `search` words in name or institution."""
    query = (select(Member, Institution.name)
             .outerjoin(Institution, Institution.id == Member.institution_id)
             .order_by(Member.name))
    if not include_retired:
        query = query.where(Member.retired.is_(False))
    words = name_key(search).split()
    rows = []
    for member, institution in session.execute(query):
        haystack = name_key(f"{member.name} {institution or ''} {member.affiliation}")
        if all(word in haystack for word in words):
            rows.append(MemberRow(
                id=member.id, name=member.name, constituency=member.constituency,
                role=member.role, institution_id=member.institution_id,
                institution=institution or "", term_start=member.term_start,
                term_end=member.term_end, active=member.active, email=member.email,
                affiliation=member.affiliation, retired=member.retired))
    return rows
