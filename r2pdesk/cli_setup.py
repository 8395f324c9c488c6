"""The CLI's set-up commands: the committee's name and its lists (members, areas, groups, sources,
institutions), each listed (`--search`, `--all`, `--json`), added, edited, retired, restored and
merged, an entry named by its name, code or id.

An informant's identity is read from a file (`--identity-file`), never from the command line
itself, where other users of the machine and the shell history would see it.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from r2pdesk.cli_values import as_uuid, choice, codes, day, emit, pick, read_text_file
from r2pdesk.context.queries import AreaRow, GroupRow, find_area, list_areas, list_groups
from r2pdesk.context.service import (
    AreaSpec,
    GroupSpec,
    add_area,
    add_group,
    edit_area,
    edit_group,
    merge_areas,
    merge_groups,
    restore_area,
    restore_group,
    retire_area,
    retire_group,
)
from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.institutions.models import InstitutionKind
from r2pdesk.institutions.service import (
    InstitutionInput,
    InstitutionRow,
    delete_institution,
    find_institution,
    institution_detail,
    list_institutions,
    save_institution,
)
from r2pdesk.members.models import Constituency, Role
from r2pdesk.members.queries import MemberRow, list_members
from r2pdesk.members.service import (
    MemberSpec,
    add_member,
    committee,
    edit_member,
    merge_members,
    restore_member,
    retire_member,
    set_committee,
)
from r2pdesk.sources.models import Confidentiality, SourceId, SourceKind
from r2pdesk.sources.queries import SourceRow, list_sources
from r2pdesk.sources.service import (
    SourceSpec,
    add_source,
    clear_identity,
    edit_source,
    merge_sources,
    restore_source,
    retire_source,
)
from r2pdesk.store import Store

AddCommon = Callable[..., None]
ACTIONS = ("list", "add", "edit", "retire", "restore", "merge")


def _institution_id(session: Session, name: str | None) -> uuid.UUID | None:
    if not name:
        return None
    found = find_institution(session, name)
    if found is None:
        raise InputError(tr("institution: no institution is named {name}").format(
            name=repr(name)), field="institution")
    return found.id


def _given(value: Any, current: Any) -> Any:
    """An option's value when it was given, else what the entry holds now."""
    return current if value is None else value


# --- what each list needs ------------------------------------------------------------------


def _member_spec(session: Session, args: argparse.Namespace, row: MemberRow | None) -> MemberSpec:
    institution = (_institution_id(session, args.institution) if args.institution is not None
                   else row.institution_id if row else None)
    return MemberSpec(
        name=_given(args.name, row.name if row else ""),
        constituency=_given(choice(Constituency, args.constituency, "constituency"),
                            row.constituency if row else Constituency.OTHER),
        role=_given(choice(Role, args.role, "role"), row.role if row else Role.MEMBER),
        institution_id=institution,
        term_start=_given(day(args.term_start, "term start"), row.term_start if row else None),
        term_end=_given(day(args.term_end, "term end"), row.term_end if row else None),
        active=_given(args.active, row.active if row else True),
        email=_given(args.email, row.email if row else ""),
        affiliation=_given(args.affiliation, row.affiliation if row else ""),
    )


def _parent(session: Session, within: str | None, row: AreaRow | None) -> uuid.UUID | None:
    if within is None:
        return row.parent_id if row else None
    if not within.strip():
        return None  # `--within ""`: the area lies within none
    return find_area(session, within).id


def _area_spec(session: Session, args: argparse.Namespace, row: AreaRow | None) -> AreaSpec:
    return AreaSpec(
        name=_given(args.name, row.name if row else ""),
        level=_given(args.level, row.level if row else ""),
        code=_given(args.code, row.code if row else ""),
        parent_id=_parent(session, args.within, row),
        notes=_given(args.notes, row.notes if row else ""),
    )


def _group_spec(_session: Session, args: argparse.Namespace, row: GroupRow | None) -> GroupSpec:
    return GroupSpec(name=_given(args.name, row.name if row else ""),
                     kind=_given(args.kind, row.kind if row else ""),
                     notes=_given(args.notes, row.notes if row else ""))


def _credibility(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit():
        raise InputError(tr("credibility: {value} is not a grade from 1 to 6").format(
            value=repr(text)), field="credibility")
    return int(text)


def _source_spec(_session: Session, args: argparse.Namespace, row: SourceRow | None) -> SourceSpec:
    level = (Confidentiality.CONFIDENTIAL if args.confidential else
             Confidentiality.PUBLIC if args.public else
             row.confidentiality if row else Confidentiality.RESTRICTED)
    identity = "" if args.identity_file is None else read_text_file(args.identity_file,
                                                                    "identity file")
    return SourceSpec(
        name=_given(args.name, row.name if row else ""),
        kind=_given(choice(SourceKind, args.kind, "kind"),
                    row.kind if row else SourceKind.OPEN_MEDIA),
        reliability=_given(args.reliability and args.reliability.strip().upper(),
                           row.reliability if row else "F"),
        credibility=_given(_credibility(args.credibility), row.credibility if row else 6),
        confidentiality=level,
        identity=identity,
        reference=_given(args.reference, row.reference if row else ""),
        obtained_on=_given(day(args.obtained, "obtained on"), row.obtained_on if row else None),
        notes=_given(args.notes, row.notes if row else ""),
    )


@dataclass(frozen=True)
class Roster:
    """One of the committee's lists as the command line reaches it."""

    what: str  # the entry's kind, marked with N_: "member"
    rows: Callable[..., Sequence[Any]]  # (session, search=, include_retired=)
    names: Callable[[Any], Iterable[str]]  # what an entry can be called by on the command line
    spec: Callable[[Session, argparse.Namespace, Any], Any]
    add: Callable[[Session, Any], uuid.UUID]
    edit: Callable[[Session, Any, Any], None]
    retire: Callable[[Session, Any], None]
    restore: Callable[[Session, Any], None]
    merge: Callable[[Session, Any, Any], int]
    line: Callable[[Any], str]  # an entry as one line of a listing
    # How a command names an entry when the list has its own lookup (session, text, retired).
    find: Callable[[Session, str, bool], Any] | None = None


def _member_line(r: MemberRow) -> str:
    return f"{r.name}  {r.constituency_label}  {r.role_label}" + (
        f"  {r.institution}" if r.institution else "")


def _source_line(r: SourceRow) -> str:
    return f"{r.name}  {r.kind_label}  {r.grade}" + (
        "  " + tr("confidential") if r.confidentiality is Confidentiality.CONFIDENTIAL else "")


ROSTERS: dict[str, Roster] = {
    "members": Roster(N_("member"), list_members, lambda r: (r.name,), _member_spec, add_member,
                      edit_member, retire_member, restore_member, merge_members, _member_line),
    "areas": Roster(N_("area"), list_areas, lambda r: (r.code, r.path, r.name), _area_spec,
                    add_area, edit_area, retire_area, restore_area, merge_areas,
                    lambda r: r.path + (f"  ({r.level})" if r.level else "")
                    + (f"  {r.code}" if r.code else ""),
                    lambda session, text, retired: find_area(session, text, retired=retired)),
    "groups": Roster(N_("group"), list_groups, lambda r: (r.name,), _group_spec, add_group,
                     edit_group, retire_group, restore_group, merge_groups,
                     lambda r: r.name + (f"  ({r.kind_label})" if r.kind else "")),
    "sources": Roster(N_("source"), list_sources, lambda r: (r.name,), _source_spec, add_source,
                      edit_source, retire_source, restore_source, merge_sources, _source_line),
}


# --- parsers ---------------------------------------------------------------------------------


def _member_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the member's name")
    parser.add_argument("--constituency", metavar="CODE", help=codes(Constituency))
    parser.add_argument("--role", metavar="CODE", help=codes(Role))
    parser.add_argument("--institution", metavar="NAME",
                        help="the institution they come from (name or acronym)")
    parser.add_argument("--term-start", metavar="YYYY-MM-DD")
    parser.add_argument("--term-end", metavar="YYYY-MM-DD")
    parser.add_argument("--active", action=argparse.BooleanOptionalAction, default=None,
                        help="serving now (--no-active: a past member)")
    parser.add_argument("--email")
    parser.add_argument("--affiliation")


def _area_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the area's name")
    parser.add_argument("--within", metavar="AREA",
                        help="the area it lies within (name, code or path; \"\" for none)")
    parser.add_argument("--level", help="the country's word for it: region, district ...")
    parser.add_argument("--code", help="an optional code, e.g. an official one")
    parser.add_argument("--notes")


def _group_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the group's name")
    parser.add_argument("--kind", metavar="CODE",
                        help="a code of the taxonomy's kinds of group (see `groups kinds`)")
    parser.add_argument("--notes")


def _source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the source's name")
    parser.add_argument("--kind", metavar="CODE", help=codes(SourceKind))
    parser.add_argument("--reliability", metavar="A-F", help="how reliable the source is")
    parser.add_argument("--credibility", metavar="1-6", help="how credible its information is")
    secrecy = parser.add_mutually_exclusive_group()
    secrecy.add_argument("--confidential", action="store_true", default=False)
    secrecy.add_argument("--public", action="store_true", default=False)
    parser.add_argument("--identity-file", metavar="FILE",
                        help="a file holding who the informant is (never on the command line)")
    parser.add_argument("--reference", help="citation or address")
    parser.add_argument("--obtained", metavar="YYYY-MM-DD")
    parser.add_argument("--notes")


OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "members": _member_options, "areas": _area_options, "groups": _group_options,
    "sources": _source_options,
}
HELP = {"members": "the committee's members", "areas": "areas: country > region > district",
        "groups": "population groups at risk", "sources": "sources of information"}


def _listing_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--search", default="" if top else default,
                        help="words that must all appear")
    parser.add_argument("--all", action="store_true", default=False if top else default,
                        help="retired entries too")


def _roster_parser(commands: Any, add_common: AddCommon, name: str) -> None:
    parser = commands.add_parser(name, help=HELP[name] + " (list, add, edit, retire, merge)")
    _listing_options(parser, top=True)
    add_common(parser, top=False)
    actions = parser.add_subparsers(dest="action", parser_class=type(parser))
    listed = actions.add_parser("list", help="list them (the default)")
    _listing_options(listed, top=False)
    added = actions.add_parser("add", help="add one")
    edited = actions.add_parser("edit", help="change one: only the options given")
    edited.add_argument("entry", metavar="NAME", help="its name, code or id")
    for sub in (added, edited):
        OPTIONS[name](sub)
    if name == "sources":
        edited.add_argument("--clear-identity", action="store_true",
                            help="forget who the informant is")
    for action in ("retire", "restore"):
        sub = actions.add_parser(action, help=f"{action} one")
        sub.add_argument("entry", metavar="NAME", help="its name, code or id")
    merged = actions.add_parser("merge", help="merge a duplicate into the one kept")
    merged.add_argument("keep", metavar="KEEP", help="the entry kept (name, code or id)")
    merged.add_argument("drop", metavar="DROP", help="its duplicate, retired as merged")
    if name == "groups":
        actions.add_parser("kinds", help="the codes of the kinds of group")
    for sub in actions.choices.values():
        add_common(sub, top=False)


def add_parsers(commands: Any, add_common: AddCommon) -> None:
    """Add the set-up commands to the CLI's sub-parsers."""
    named = commands.add_parser("committee", help="show the committee, or set its name and country")
    named.add_argument("--name", help="the committee's name")
    named.add_argument("--country", help="its country")
    add_common(named, top=False)
    for name in ROSTERS:
        _roster_parser(commands, add_common, name)
    institutions = commands.add_parser("institutions",
                                       help="institutions (list, add, edit, delete)")
    institutions.add_argument("--search", default="", help="words that must all appear")
    add_common(institutions, top=False)
    actions = institutions.add_subparsers(dest="action", parser_class=type(institutions))
    added = actions.add_parser("add", help="add an institution")
    edited = actions.add_parser("edit", help="change one: only the options given")
    edited.add_argument("entry", metavar="NAME", help="its name, acronym or id")
    for sub in (added, edited):
        sub.add_argument("--name")
        sub.add_argument("--acronym")
        sub.add_argument("--kind", metavar="CODE", help=codes(InstitutionKind))
        sub.add_argument("--email")
        sub.add_argument("--phone")
        sub.add_argument("--notes")
    deleted = actions.add_parser(
        "delete", help="delete one that nothing refers to (recommendations, warnings, members)")
    deleted.add_argument("entry", metavar="NAME", help="its name, acronym or id")
    for sub in (added, edited, deleted):
        add_common(sub, top=False)


def writes(args: argparse.Namespace) -> bool:
    """Whether this set-up command changes the database (a listing does not)."""
    if args.command == "committee":
        return args.name is not None or args.country is not None
    return getattr(args, "action", None) not in (None, "list", "kinds")


# --- commands --------------------------------------------------------------------------------


def cmd_committee(args: argparse.Namespace, store: Store) -> None:
    """Show the committee, or set its name and country."""
    if writes(args):
        with store.session() as session:
            now = committee(session)
            result = set_committee(session, _given(args.name, now.name),
                                   _given(args.country, now.country))
    else:
        with store.reader() as session:
            result = committee(session)
    emit(args, result.as_json(), lambda: tr("committee: {name}, {country}").format(
        name=result.name or tr("(no name yet)"), country=result.country or "-"))


def _find(session: Session, roster: Roster, text: str, *, retired: bool = False) -> Any:
    """The entry a command names; `retired` when it is one to restore (areas look among the
    retired ones only then, and among those in use otherwise, as `warnings add --area` does)."""
    if roster.find is not None:
        return roster.find(session, text, retired)
    rows = roster.rows(session, include_retired=True)
    return pick(rows, text, roster.names, lambda r: r.id, roster.what)


def _write(roster: Roster, args: argparse.Namespace, session: Session) -> tuple[uuid.UUID, str]:
    """Do the action asked; the id of the entry it concerns and how to say what was done (a
    text with {line} for the entry)."""
    if args.action == "add":
        new = roster.add(session, roster.spec(session, args, None))
        return new, tr("added: {line}")
    if args.action == "merge":
        keep, drop = _find(session, roster, args.keep), _find(session, roster, args.drop)
        moved = roster.merge(session, keep.id, drop.id)
        return keep.id, tr("merged into {line} ({count} references moved)").replace(
            "{count}", format_number(moved))
    row = _find(session, roster, args.entry, retired=args.action == "restore")
    if args.action == "edit":
        roster.edit(session, row.id, roster.spec(session, args, row))
        if getattr(args, "clear_identity", False):
            clear_identity(session, SourceId(row.id))
        return row.id, tr("changed: {line}")
    if args.action == "retire":
        roster.retire(session, row.id)
        return row.id, tr("retired: {line}")
    roster.restore(session, row.id)
    return row.id, tr("restored: {line}")


def _run_roster(name: str, args: argparse.Namespace, store: Store) -> None:
    roster = ROSTERS[name]
    if args.action == "kinds":
        from r2pdesk.context.queries import group_kinds  # noqa: PLC0415 - only this needs it

        with store.reader() as session:
            kinds = group_kinds(session)
        emit(args, [{"code": c, "label": label} for c, label in kinds],
             lambda: "\n".join(f"{c}  {label}" for c, label in kinds))
        return
    if not writes(args):
        with store.reader() as session:
            rows = roster.rows(session, search=args.search, include_retired=args.all)
        emit(args, [r.as_json() for r in rows], lambda: "\n".join(
            roster.line(r) + ("  " + tr("(retired)") if r.retired else "") for r in rows)
            or tr("none yet"))
        return
    with store.session() as session:
        entry_id, done = _write(roster, args, session)
        session.flush()
        row = next(r for r in roster.rows(session, include_retired=True) if r.id == entry_id)
    emit(args, row.as_json(), lambda: done.format(line=roster.line(row)))


def _institution_row(session: Session, text: str) -> InstitutionRow:
    """The institution a command names by its name, acronym or id."""
    wanted = as_uuid(text)
    found = (find_institution(session, text) if wanted is None else
             next((r for r in list_institutions(session) if r.id == wanted), None))
    if found is None:
        raise InputError(tr("institution: no institution is named {name}").format(
            name=repr(text)), field="institution")
    return found


def _institution_input(session: Session, args: argparse.Namespace,
                       row: InstitutionRow | None) -> InstitutionInput:
    detail = None if row is None else institution_detail(session, row.id)
    return InstitutionInput(
        name=_given(args.name, row.name if row else ""),
        acronym=_given(args.acronym, row.acronym if row else ""),
        kind=_given(args.kind, row.kind if row else InstitutionKind.OTHER),
        parent_id=None if detail is None else detail.parent_id,
        email=_given(args.email, row.email if row else ""),
        phone=_given(args.phone, row.phone if row else ""),
        notes=_given(args.notes, detail.notes if detail else ""))


def _delete_institution(session: Session, row: InstitutionRow) -> None:
    """Delete an institution nothing refers to. The core refuses while recommendations,
    warnings or other institutions refer to it; members would silently lose theirs, so they
    count too."""
    members = [m.name for m in list_members(session, include_retired=True)
               if m.institution_id == row.id]
    if members:
        raise InputError(tr("institution: {name} cannot be deleted: members come from it "
                            "({members}); give them another institution first").format(
                                name=row.name, members=", ".join(members)), field="institution")
    delete_institution(session, row.id)


def _institution_json(row: InstitutionRow) -> dict[str, Any]:
    return {"id": str(row.id), "name": row.name, "acronym": row.acronym, "kind": row.kind.value,
            "email": row.email, "phone": row.phone}


def _write_institution(args: argparse.Namespace, store: Store) -> None:
    """Add, change or delete an institution, and say so."""
    with store.session() as session:
        row = None if args.action == "add" else _institution_row(session, args.entry)
        if args.action == "delete" and row is not None:
            _delete_institution(session, row)
            data = {**_institution_json(row), "deleted": True}
            verb = tr("institution deleted: {name}")
        else:
            saved = save_institution(session, _institution_input(session, args, row),
                                     None if row is None else row.id)
            row = _institution_row(session, str(saved))
            data = _institution_json(row)
            verb = (tr("institution added: {name}") if args.action == "add"
                    else tr("institution changed: {name}"))
    emit(args, data, lambda: verb.format(
        name=row.name + (f" ({row.acronym})" if row.acronym else "")))


def cmd_institutions(args: argparse.Namespace, store: Store) -> None:
    """List the institutions, or add, change or delete one."""
    if args.action is not None:
        _write_institution(args, store)
        return
    with store.reader() as session:
        rows = list_institutions(session, args.search)
    emit(args, [_institution_json(r) for r in rows],
         lambda: "\n".join(r.name + (f" ({r.acronym})" if r.acronym else "") for r in rows)
         or tr("none yet"))


def _roster_command(name: str) -> Callable[[argparse.Namespace, Store], None]:
    def command(args: argparse.Namespace, store: Store) -> None:
        _run_roster(name, args, store)

    command.__doc__ = f"List, add, edit, retire, restore or merge {name}."
    return command


COMMANDS: dict[str, Callable[[argparse.Namespace, Store], None]] = {
    "committee": cmd_committee,
    "institutions": cmd_institutions,
    **{name: _roster_command(name) for name in ROSTERS},
}
