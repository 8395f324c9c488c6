"""What the CLI's writing commands share: typed values read from options, refused in one line
naming the option, and the record printed as JSON or as a short line."""

from __future__ import annotations

import argparse
import enum
import json
import os
import shlex
import string
import sys
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from r2pdesk.audit import Actor
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.lists import name_key
from r2pdesk.members.models import Member
from r2pdesk.members.service import act_as
from r2pdesk.store import Store

MEMBER_ENV = "R2PDESK_MEMBER"
E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


def emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    """Print `data` as JSON with --json, else the short text."""
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text() + "\n")


def member_given(args: argparse.Namespace) -> str | None:
    """Who signs this run's writes: --as, else the R2PDESK_MEMBER variable, else nobody named."""
    given = getattr(args, "member", None) or os.environ.get(MEMBER_ENV, "")
    return given.strip() or None


def sign_as(store: Store, who: str, *, adding: str | None = None) -> None:
    """Sign every later write of this run with the member named; refused when there is none.

    `adding` is the name this run's `members add` gives: a member signs their own addition, which
    is how the first member of an empty database signs the set-up from its first entry."""
    try:
        act_as(store, who)
    except InputError as exc:
        if adding is not None and name_key(adding) and name_key(adding) == name_key(who):
            store.actor = Actor(name=" ".join(adding.split()), device=store.actor.device)
            return
        if _ever_named(store, who):  # retired: adding them again would be refused
            raise InputError(tr("--as: {reason}").format(reason=exc), field="member") from None
        raise InputError(tr("--as: {reason}; a new member signs their own addition first: "
                            "members add --name {name} --as {name}").format(
                                reason=exc, name=shlex.quote(who.strip())),
                         field="member") from None


def _ever_named(store: Store, who: str) -> bool:
    """Whether a member, retired ones included, has this name."""
    with store.reader() as session:
        return any(name_key(name) == name_key(who) for name in session.scalars(
            select(Member.name).where(Member.merged_into.is_(None))))


def day(text: str | None, field: str) -> date | None:
    """A day written YYYY-MM-DD; None when the option was not given."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(tr("{field}: {value} is not a date (write it YYYY-MM-DD)").format(
            field=field, value=repr(text)), field=field) from None


def choice(kind: type[E], text: str | None, field: str) -> E | None:
    """A value of an enumeration by its code ("very_likely"; case and - for _ aside)."""
    if text is None:
        return None
    wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
    for member in kind:
        if member.value == wanted:
            return member
    raise InputError(tr("{field}: {value} is not one of: {choices}").format(
        field=field, value=repr(text), choices=", ".join(str(m.value) for m in kind)),
        field=field)


def codes(kind: type[enum.Enum]) -> str:
    """The codes of an enumeration, for an option's help."""
    return ", ".join(str(m.value) for m in kind)


def read_text_file(path: Path, field: str) -> str:
    """The text of a file given for a value kept off the command line (an identity)."""
    try:
        return Path(path).expanduser().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(tr("{field}: cannot read {path}: {reason}").format(
            field=field, path=path, reason=getattr(exc, "strerror", None) or exc),
            field=field) from exc


def as_uuid(text: str) -> uuid.UUID | None:
    """The id written in `text`, or None when it is no id."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


ID_PREFIX = 8  # the fewest hex digits of an id a command line may give for the whole id


def ids_starting(ids: Iterable[uuid.UUID], text: str) -> list[uuid.UUID]:
    """The ids that begin with `text`: 8 hex digits or more, with or without the dashes."""
    key = text.strip().lower().replace("-", "")
    if len(key) < ID_PREFIX or any(c not in string.hexdigits for c in key):
        return []
    return [i for i in ids if i.hex.startswith(key)]


def pick(rows: Sequence[T], text: str, names: Callable[[T], Iterable[str]],
         row_id: Callable[[T], uuid.UUID], what: str) -> T:
    """The one row named by `text`: its id, else any of its names (case and spacing aside).

    `what` is the field the refusal names (a word marked with N_)."""
    wanted = as_uuid(text)
    for row in rows:
        if wanted is not None and row_id(row) == wanted:
            return row
    key = " ".join(text.split()).casefold()
    found = [row for row in rows
             if key and any(" ".join(n.split()).casefold() == key for n in names(row) if n)]
    if len(found) == 1:
        return found[0]
    if found:
        raise InputError(tr("{field}: several are named {name}; give the id").format(
            field=tr(what), name=repr(text)), field=what)
    raise InputError(tr("{field}: none is named {name}").format(field=tr(what), name=repr(text)),
                     field=what)
