"""Members' constituencies and roles as people read them, in the language in use."""

from __future__ import annotations

from r2pdesk.i18n import N_, tr
from r2pdesk.members.models import Constituency, Role

CONSTITUENCY_LABELS: dict[Constituency, str] = {
    Constituency.GOVERNMENT: N_("Government"),
    Constituency.INDEPENDENT_EXPERT: N_("Independent expert"),
    Constituency.CIVIL_SOCIETY: N_("Civil society"),
    Constituency.NHRI: N_("National human rights institution"),
    Constituency.OTHER: N_("Other"),
}

ROLE_LABELS: dict[Role, str] = {
    Role.MEMBER: N_("Member"),
    Role.SECRETARIAT: N_("Secretariat"),
    Role.CHAIR: N_("Chair"),
    Role.OBSERVER: N_("Observer"),
}


def constituency_label(constituency: Constituency) -> str:
    """A constituency as people read it."""
    return tr(CONSTITUENCY_LABELS[constituency])


def role_label(role: Role) -> str:
    """A role as people read it."""
    return tr(ROLE_LABELS[role])
