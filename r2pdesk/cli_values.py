"""What the CLI's writing commands share: typed values read from options, refused in one line
naming the option, and the record printed as JSON or as a short line."""

from __future__ import annotations

import argparse
import enum
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
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


def sign_as(store: Store, who: str) -> None:
    """Sign every later write of this run with the member named; refused when there is none."""
    try:
        act_as(store, who)
    except InputError as exc:
        raise InputError(tr("--as: {reason}").format(reason=exc), field="member") from None


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
