"""The exchange's commands of `r2pdesk-cli`: export-xlsx, import-xlsx and conflicts.

`import-xlsx` exits 0 when the workbook was applied (or, with --dry-run, could be), rows with
problems being listed under `rejected`; a file refused as a whole is an error (exit 1) and
changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from r2pdesk.errors import KnownError
from r2pdesk.exchange.plan import ImportPlan
from r2pdesk.exchange.service import apply, conflicts, preview
from r2pdesk.exchange.workbook import export_focal_point, export_full
from r2pdesk.i18n import tr
from r2pdesk.institutions.service import find_institution
from r2pdesk.store import Store


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text() + "\n")


def add_parsers(commands: Any, add_common: Callable[..., None]) -> None:
    """Add the exchange's commands to the CLI's sub-parsers."""
    export = commands.add_parser("export-xlsx", help="write an exchange workbook")
    export.add_argument("--out", required=True, metavar="FILE", help="the .xlsx file to write")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--institution", metavar="NAME",
                       help="a focal point's workbook for this institution (name or acronym)")
    which.add_argument("--all", action="store_true",
                       help="every record, for the secretariat to merge")
    add_common(export, top=False)

    imported = commands.add_parser("import-xlsx", help="merge an exchange workbook")
    imported.add_argument("file", metavar="FILE", help="the .xlsx file returned")
    imported.add_argument("--dry-run", action="store_true",
                          help="show what would change and write nothing")
    add_common(imported, top=False)

    listed = commands.add_parser("conflicts", help="open conflicts left by imports")
    add_common(listed, top=False)


def cmd_export(args: argparse.Namespace, store: Store) -> None:
    """Write a focal point's workbook, or every record."""
    out = Path(args.out).expanduser()
    with store.session() as session:
        if args.all:
            result = export_full(session, out)
        else:
            found = find_institution(session, args.institution)
            if found is None:
                raise KnownError(tr("no institution is named {name}").format(
                    name=repr(args.institution)))
            result = export_focal_point(session, found.id, out)
    _emit(args, result.as_json(), lambda: "\n".join(filter(None, [
        tr("wrote {file}: {counts}").format(file=out, counts=result.contents()),
        result.left_out()])))


def _text(plan: ImportPlan, applied: bool) -> str:
    summary = plan.summary()
    lines = [tr("applied: {summary}").format(summary=summary) if applied else
             tr("would apply (dry run): {summary}").format(summary=summary)]
    lines += [tr("conflict: {sheet} row {row}, {record}, {field}: database {ours}, workbook "
                 "{theirs}").format(sheet=c.sheet, row=c.row, record=c.label, field=c.field,
                                    ours=repr(c.ours), theirs=repr(c.theirs))
              for c in plan.conflicts]
    lines += [tr("rejected: {problem}").format(problem=issue) for issue in plan.rejected]
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace, store: Store) -> None:
    """Preview a workbook, then apply it unless --dry-run."""
    path = Path(args.file).expanduser()
    if args.dry_run:
        with store.reader() as session:
            plan = preview(session, path, today=date.today())
    else:
        with store.session() as session:
            plan = preview(session, path, today=date.today())
            apply(session, plan)
    applied = not args.dry_run
    _emit(args, {**plan.as_json(), "applied": applied, "dry_run": args.dry_run},
          lambda: _text(plan, applied))


def cmd_conflicts(args: argparse.Namespace, store: Store) -> None:
    """The open conflicts."""
    with store.reader() as session:
        rows = conflicts(session)
    _emit(args, [r.as_json() for r in rows], lambda: "\n".join(
        tr("{id}  {table} {record}: {field}  database {ours}, workbook {theirs} ({file}, {sheet} "
           "row {row})").format(id=r.id, table=r.table, record=r.label, field=r.field,
                                ours=repr(r.ours), theirs=repr(r.theirs), file=r.source_file,
                                sheet=r.sheet, row=r.row)
        for r in rows
    ) or tr("no open conflict"))


COMMANDS = {"export-xlsx": cmd_export, "import-xlsx": cmd_import, "conflicts": cmd_conflicts}
