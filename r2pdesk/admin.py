"""The CLI's commands for keeping a database safe: encrypt, passphrase, backup, restore, audit.

A passphrase comes from `--passphrase-file FILE` or the `R2PDESK_PASSPHRASE` variable, never from
the command line itself (where other users of the machine, and the shell history, would see it).
Commands that write take the database's lock; commands that only read do not.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from r2pdesk import backup, crypto, lock
from r2pdesk.audit import AuditEntry, count_entries, list_entries, verify_chain
from r2pdesk.audit_words import describe_all
from r2pdesk.errors import KnownError
from r2pdesk.i18n import format_number, tr
from r2pdesk.store import Store

PASSPHRASE_ENV = "R2PDESK_PASSPHRASE"  # noqa: S105 - the name of a variable
# Commands that only read; every other command (those added later too) takes the lock.
READ_ONLY = frozenset(
    {"stats", "catalogue", "recs", "warnings", "assessments", "report", "conflicts", "audit",
     "backup"}
)


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text() + "\n")


def read_secret_file(path: Path) -> str:
    """A passphrase kept in a file: its text without the line break that ends it."""
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(tr("cannot read the passphrase file {path}: {error}").format(
            path=path, error=exc)) from exc
    return crypto.check_passphrase_text(text.rstrip("\r\n"))


def read_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase given for this run, or None."""
    if getattr(args, "passphrase_file", None) is not None:
        return read_secret_file(args.passphrase_file)
    value = os.environ.get(PASSPHRASE_ENV)
    return crypto.check_passphrase_text(value) if value else None


def key_for(args: argparse.Namespace, path: Path, passphrase: str | None) -> str | None:
    """The passphrase to open or create `path` with for this command."""
    exists = path.is_file() and path.stat().st_size > 0
    if args.command == "init" and getattr(args, "encrypt", False):
        if passphrase is None:
            raise KnownError(
                tr("init --encrypt needs a passphrase: set {variable} or give --passphrase-file")
                .format(variable=PASSPHRASE_ENV))
        if exists and not crypto.is_encrypted(path):
            raise KnownError(
                tr("{path} exists and is not encrypted: use `r2pdesk-cli encrypt`").format(
                    path=path))
        return passphrase
    return passphrase if exists and crypto.is_encrypted(path) else None


@contextmanager
def writer_lock(args: argparse.Namespace, path: Path, member: str) -> Iterator[None]:
    """Hold the database's lock for a writing command; nothing for a reading one."""
    if args.command in READ_ONLY or getattr(args, "dry_run", False):
        yield
        return
    if args.command == "init":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KnownError(tr("cannot create the folder {path}: {reason}").format(
                path=path.parent, reason=exc.strerror)) from exc
    if not path.parent.is_dir():
        yield  # nowhere to put a lock: the command itself will say what is wrong
        return
    with lock.DatabaseLock(path, member):
        yield


def add_parsers(commands: Any, add_common: Callable[..., None]) -> None:
    """Add the commands of this module to the CLI's sub-parsers."""
    encrypt = commands.add_parser("encrypt", help="encrypt an existing database in place")
    add_common(encrypt, top=False)

    change = commands.add_parser("passphrase", help="change an encrypted database's passphrase")
    change.add_argument("--new-file", required=True, type=Path, metavar="FILE",
                        help="a file holding the new passphrase")
    add_common(change, top=False)

    made = commands.add_parser("backup", help="write a backup through SQLite's backup API")
    made.add_argument("--out", required=True, type=Path, metavar="FILE",
                      help="the backup file to write")
    add_common(made, top=False)

    restored = commands.add_parser("restore", help="replace the database by a checked backup")
    restored.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    add_common(restored, top=False)

    audit = commands.add_parser("audit", help="list the audit trail, or verify it")
    audit.add_argument("action", nargs="?", choices=["list", "verify"], default="list",
                       help="list entries (default) or verify the hash chain")
    audit.add_argument("--table", metavar="T", help="only entries about this table")
    audit.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD",
                       help="only entries from this day on")
    add_common(audit, top=False)


def cmd_encrypt(args: argparse.Namespace, path: Path, passphrase: str | None) -> None:
    """Encrypt the plain database at `path`."""
    if passphrase is None:
        raise KnownError(
            tr("encrypt needs a passphrase: set {variable} or give --passphrase-file").format(
                variable=PASSPHRASE_ENV))
    if not path.is_file():
        raise KnownError(tr("there is no database at {path}").format(path=path))
    crypto.encrypt_database(path, passphrase)
    _emit(args, {"database": str(path), "encrypted": True},
          lambda: tr("{path} is now encrypted; keep the passphrase safe: without it the data "
                     "cannot be recovered").format(path=path))


def cmd_passphrase(args: argparse.Namespace, path: Path, passphrase: str | None) -> None:
    """Change the passphrase of the encrypted database at `path`."""
    if passphrase is None:
        raise KnownError(
            tr("give the current passphrase: set {variable} or give --passphrase-file").format(
                variable=PASSPHRASE_ENV))
    if not path.is_file():
        raise KnownError(tr("there is no database at {path}").format(path=path))
    crypto.rekey(path, passphrase, read_secret_file(args.new_file))
    _emit(args, {"database": str(path), "rekeyed": True},
          lambda: tr("the passphrase of {path} was changed").format(path=path))


def cmd_restore(args: argparse.Namespace, path: Path, passphrase: str | None) -> None:
    """Replace the database at `path` by the backup given."""
    aside = backup.restore(args.file, path, passphrase)
    _emit(args, {"database": str(path), "restored_from": str(args.file),
                 "replaced_file_kept": str(aside)},
          lambda: tr("{path} restored from {backup}; the file it replaced is kept in {kept}")
          .format(path=path, backup=args.file, kept=aside))


def cmd_backup(args: argparse.Namespace, store: Store) -> None:
    """Write a backup of the open database."""
    out = backup.backup(store, args.out)
    _emit(args, {"database": str(store.path), "backup": str(out), "encrypted": store.encrypted},
          lambda: (tr("backup written to {path} (encrypted)") if store.encrypted
                   else tr("backup written to {path}")).format(path=out))


def _broken_message(entry: AuditEntry | None, seq: int) -> str:
    """Where the audit trail breaks, in the language in use (its entry's own words as stored)."""
    if entry is None:
        return tr("audit trail broken at entry {seq}: an entry was changed or removed after it "
                  "was written").format(seq=seq)
    return tr("audit trail broken at entry {seq} ({action} of {table} {record} at {at}): an "
              "entry was changed or removed after it was written").format(
        seq=seq, action=entry.action, table=entry.table_name, record=entry.record_id,
        at=entry.at.isoformat())


def cmd_audit(args: argparse.Namespace, store: Store) -> None:
    """List the audit trail, or verify its hash chain."""
    with store.reader() as session:
        if args.action == "verify":
            broken = verify_chain(session)
            total = count_entries(session)
            if broken is not None:
                raise KnownError(_broken_message(session.get(AuditEntry, broken), broken))
            _emit(args, {"intact": True, "entries": total},
                  lambda: tr("audit trail intact: {count} entries").format(
                      count=format_number(total)))
            return
        since = None if args.since is None else datetime.combine(args.since, time(), UTC)
        rows = list_entries(session, table=args.table, since=since)
        texts = describe_all(session, rows)
    _emit(args, [{**r.as_json(), "text": text} for r, text in zip(rows, texts, strict=True)],
          lambda: "\n".join(f"{r.seq:>6}  {r.at:%Y-%m-%d %H:%M}  {text}"
                            for r, text in zip(rows, texts, strict=True))
          or tr("no audit entry"))


STORELESS: dict[str, Callable[[argparse.Namespace, Path, str | None], None]] = {
    "encrypt": cmd_encrypt, "passphrase": cmd_passphrase, "restore": cmd_restore,
}
COMMANDS: dict[str, Callable[[argparse.Namespace, Store], None]] = {
    "backup": cmd_backup, "audit": cmd_audit,
}
