"""`r2pdesk-cli`: the operations a secretariat scripts, with `--json` output.

Any error prints one line on stderr saying what and why, and exits non-zero with nothing changed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from r2pdesk import __version__, admin, cli_records, cli_setup
from r2pdesk.assessments.queries import NATIONAL, list_assessments
from r2pdesk.assessments.scale import level_label
from r2pdesk.assessments.service import status_label as assessment_status
from r2pdesk.cli_values import MEMBER_ENV, member_given, sign_as
from r2pdesk.earlywarning.models import WarningStatus, severity_label, warning_status_label
from r2pdesk.earlywarning.queries import list_warnings
from r2pdesk.errors import KnownError
from r2pdesk.exchange import commands as exchange_commands
from r2pdesk.i18n import (
    LANGUAGES,
    N_,
    SOURCE_LANGUAGE,
    format_date,
    format_number,
    report_language,
    set_language,
    tr,
)
from r2pdesk.institutions.service import find_institution
from r2pdesk.paths import default_db_path, write_crash_log
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.recommendations.queries import RecFilter, list_recommendations
from r2pdesk.recommendations.service import source_label, status_label
from r2pdesk.reference.service import CatalogueFilter, search_catalogue, target_label
from r2pdesk.reports import REPORTS, Marking, effective_marking, generate
from r2pdesk.reports.base import marking_label
from r2pdesk.startup import default_member, open_store
from r2pdesk.stats import collect
from r2pdesk.store import Store

EXIT_ERROR = 1
EXIT_USAGE = 2

# What `stats`, `init --demo` and `init --scale` count, as their text output names it (the JSON
# keys stay as they are); marked for the catalogue, translated where printed.
COUNTED = {
    "reports": N_("reports of the Secretary-General"),
    "catalogue_recommendations": N_("catalogue recommendations"),
    "catalogue_recommendations_2009_2024": N_("catalogue recommendations 2009–2024"),
    "risk_factors": N_("risk factors"),
    "institutions": N_("institutions"),
    "focal_points": N_("focal points"),
    "areas": N_("areas"),
    "groups": N_("population groups"),
    "recommendations": N_("recommendations"),
    "warnings": N_("early warnings"),
    "assessments": N_("risk assessments"),
    "demo": N_("demo data"),
    "schema_revision": N_("schema revision"),
    "members": N_("committee members"),
    "sources": N_("sources"),
    "ratings": N_("ratings"),
    "resilience_ratings": N_("resilience ratings"),
    "warning_responses": N_("responses to warnings"),
    "warning_events": N_("warning history entries"),
    "warning_links": N_("links of warnings"),
    "progress_updates": N_("progress updates"),
    "recommendation_links": N_("links of recommendations"),
    "evidence_files": N_("evidence files"),
}


def _counted(kind: str) -> str:
    """What a count counts, in the language in use (a key not listed as it stands)."""
    return tr(COUNTED[kind]) if kind in COUNTED else kind.replace("_", " ")


def _value(value: object) -> str:
    """A value of `stats` as text: a count as the language writes it, yes or no."""
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, int):
        return format_number(value)
    return str(value)


class UsageError(Exception):
    """The command line itself is wrong."""


class SelfTestRequestedError(Exception):
    """`--self-test` was given (before any command)."""


class _SelfTest(argparse.Action):
    def __call__(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise SelfTestRequestedError


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error of the CLI, and
    that takes no abbreviated option: `--identity` must not be read as `--identity-file`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Accepted before or after the command; the command's copy only fills what was not given.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", type=Path, default=default, metavar="PATH",
                        help="database file (default: in the user data folder)")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="machine-readable output")
    parser.add_argument("--passphrase-file", type=Path, default=default, metavar="FILE",
                        help=f"the passphrase of an encrypted database (or set "
                             f"{admin.PASSPHRASE_ENV}); never on the command line itself")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=default, metavar="CODE",
                        help="language of messages and reports: " + ", ".join(LANGUAGES))
    parser.add_argument("--as", dest="member", default=default, metavar="MEMBER",
                        help=f"the member who signs this run's changes (or set {MEMBER_ENV})")


def build_parser() -> Parser:
    """The command line of `r2pdesk-cli`."""
    parser = Parser(prog="r2pdesk-cli", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"r2pdesk {__version__}")
    parser.add_argument("--self-test", action=_SelfTest, nargs=0,
                        help="check this installation on a temporary database and exit")
    _add_common(parser, top=True)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    init = commands.add_parser("init", help="create or upgrade the database")
    init.add_argument("--demo", action="store_true",
                      help="add a fictional demo country so every screen has something to show")
    init.add_argument("--encrypt", action="store_true",
                      help="create the database encrypted with the passphrase given")
    init.add_argument("--scale", type=int, metavar="N",
                      help="with the demo, a large fictional database: N early warnings, N/5 "
                           "recommendations with N progress updates, N/200 assessments, N/50 "
                           "institutions")
    _add_common(init, top=False)

    stats = commands.add_parser("stats", help="counts of what the database holds")
    _add_common(stats, top=False)

    catalogue = commands.add_parser("catalogue", help="the Secretary-General's recommendations")
    catalogue.add_argument("--year", type=int, help="only this report year")
    catalogue.add_argument("--target", help="only this target, e.g. 'Member States'")
    catalogue.add_argument("--search", default="", help="words that must all appear")
    _add_common(catalogue, top=False)

    recs = commands.add_parser("recs", help="the recommendations the committee follows")
    recs.add_argument("--institution", metavar="NAME",
                      help="only those this institution leads or supports (name or acronym)")
    recs.add_argument("--status", choices=[s.value for s in RecStatus], help="only this status")
    recs.add_argument("--overdue", action="store_true", help="only those past their due date")
    _add_common(recs, top=False)

    warnings = commands.add_parser("warnings", help="the register of early warnings")
    warnings.add_argument("--status", choices=[s.value for s in WarningStatus],
                          help="only this status")
    warnings.add_argument("--overdue", action="store_true",
                          help="only those whose response deadline has passed without action")
    _add_common(warnings, top=False)

    assessments = commands.add_parser("assessments", help="risk assessments, latest first")
    _add_common(assessments, top=False)

    report = commands.add_parser("report", help="write a PDF report or brief")
    report.add_argument("kind", choices=list(REPORTS), help="which report")
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                        help="the PDF file to write")
    report.add_argument("--institution", metavar="NAME",
                        help="for a ministry brief: the institution (name or acronym)")
    report.add_argument("--id", metavar="ID",
                        help="for a warning note: the warning's reference or id; for an "
                             "assessment report: its id (default: the latest that counts)")
    report.add_argument("--marking", type=str.upper, choices=[m.value for m in Marking],
                        help="classification printed on every page (default: RESTRICTED)")
    report.add_argument("--include-confidential", action="store_true",
                        help="print confidential records too; the marking becomes CONFIDENTIAL")
    _add_common(report, top=False)
    cli_records.add_actions({"recs": recs, "warnings": warnings, "assessments": assessments},
                            _add_common)
    cli_setup.add_parsers(commands, _add_common)
    exchange_commands.add_parsers(commands, _add_common)
    admin.add_parsers(commands, _add_common)
    return parser


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text() + "\n")


def _show_progress(done: int, total: int) -> None:
    """A line on a terminal's stderr saying how far a long generation is."""
    if sys.stderr.isatty():
        end = "\n" if done >= total else ""
        sys.stderr.write("\r" + tr("generating: {done} of {total} records").format(
            done=done, total=total) + end)


def cmd_init(args: argparse.Namespace, store: Store) -> None:
    """Create or upgrade; with --demo add the fictional demo country (--scale: a large one)."""
    demo_summary: dict[str, int] | None = None
    scale_summary: dict[str, int] | None = None
    if args.demo or args.scale is not None:
        from r2pdesk.demo import populate_demo  # noqa: PLC0415 - only `init --demo` needs it
        from r2pdesk.demo.scale import populate_scale  # noqa: PLC0415 - nor this

        today = date.today()
        with store.session() as session:
            demo_summary = populate_demo(session, today=today).as_dict()
            if args.scale is not None:
                scale_summary = populate_scale(session, args.scale, today=today,
                                               progress=_show_progress).as_dict()
    result = {
        "database": str(store.path),
        "schema_revision": store.schema_revision,
        "backup": str(store.backup_path) if store.backup_path else None,
        "demo": demo_summary,
        "scale": scale_summary,
    }

    def text() -> str:
        lines = [tr("database {path} at schema {revision}").format(
            path=store.path, revision=store.schema_revision)]
        if store.backup_path:
            lines.append(tr("copy made before upgrading: {path}").format(path=store.backup_path))
        if demo_summary:
            added = ", ".join(f"{_counted(kind)}: {format_number(n)}"
                              for kind, n in demo_summary.items())
            lines.append(tr("demo added (fictional): {added}").format(added=added))
        if scale_summary:
            added = ", ".join(f"{_counted(kind)}: {format_number(n)}"
                              for kind, n in scale_summary.items())
            lines.append(tr("scale data added (fictional): {added}").format(added=added))
        return "\n".join(lines)

    _emit(args, result, text)


def cmd_stats(args: argparse.Namespace, store: Store) -> None:
    """Counts of what the database holds."""
    with store.reader() as session:
        data = collect(session, store.schema_revision)
    _emit(args, data, lambda: "\n".join(
        f"{_counted(key)}: {_value(value)}" for key, value in data.items()
        if not isinstance(value, dict)
    ))


def cmd_catalogue(args: argparse.Namespace, store: Store) -> None:
    """The catalogue, filtered."""
    spec = CatalogueFilter(year=args.year, target=args.target, text=args.search)
    with store.reader() as session:
        items = search_catalogue(session, spec)
    if not items and args.year is not None:
        raise KnownError(tr("no catalogue recommendation matches that year"))
    if not items and args.target is not None:
        raise KnownError(tr("no catalogue recommendation matches that target"))

    def text() -> str:
        paragraphs = tr("paras. {paragraphs}")
        return "\n".join(
            f"{i.id}  {target_label(i.target)}  {paragraphs.format(paragraphs=i.paragraphs or '-')}"
            f"\n    {i.text}"
            for i in items
        )

    _emit(args, [i.as_json() for i in items], text)


def cmd_recs(args: argparse.Namespace, store: Store) -> None:
    """The followed recommendations, filtered."""
    today = date.today()
    with store.reader() as session:
        institution = None
        if args.institution is not None:
            found = find_institution(session, args.institution)
            if found is None:
                raise KnownError(tr("no institution is named {name}").format(
                    name=repr(args.institution)))
            institution = found.id
        spec = RecFilter(
            status=RecStatus(args.status) if args.status else None,
            institution_id=institution,
            overdue=args.overdue,
        )
        rows = list_recommendations(session, spec, today=today)

    def text() -> str:
        overdue = tr("OVERDUE") + " "
        return "\n".join(
            f"{overdue if r.overdue else ''}{status_label(r.status)}  "
            f"{tr('due {date}').format(date=format_date(r.due_on, '-'))}  "
            f"{r.lead_institution or tr('(no lead)')}\n"
            f"    {r.catalogue_id or source_label(r.source)}: {r.text}"
            for r in rows
        ) or tr("no recommendation matches")

    _emit(args, [r.as_json() for r in rows], text)


def cmd_warnings(args: argparse.Namespace, store: Store) -> None:
    """The early warnings, filtered."""
    status = WarningStatus(args.status) if args.status else None
    with store.reader() as session:
        rows = list_warnings(session, today=date.today(), status=status, overdue=args.overdue)

    def text() -> str:
        overdue = "  " + tr("OVERDUE")
        return "\n".join(
            f"{r.reference}  {severity_label(r.severity) if r.severity else tr('no severity')}  "
            f"{warning_status_label(r.status)}{overdue if r.overdue else ''}  "
            f"{tr('due {date}').format(date=format_date(r.response_due, '-'))}\n    {r.title}"
            for r in rows
        ) or tr("no warning matches")

    _emit(args, [r.as_json() for r in rows], text)


def cmd_assessments(args: argparse.Namespace, store: Store) -> None:
    """The risk assessments with their overall levels."""
    with store.reader() as session:
        rows = list_assessments(session)

    def text() -> str:
        return "\n".join(
            tr("{start} to {end}").format(start=format_date(r.period_start),
                                          end=format_date(r.period_end))
            + f"  {tr('National') if r.scope == NATIONAL else r.scope}  "
            f"{assessment_status(r.status)}  "
            f"{tr('overall {level}').format(level=level_label(r.effective_level))}  "
            f"({tr('{count} ratings').format(count=format_number(r.ratings))})\n    {r.title}"
            for r in rows
        ) or tr("no assessment yet")

    _emit(args, [r.as_json() for r in rows], text)


def _write_whole(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: to a temporary file beside it, then renamed."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        part.write_bytes(data)
        part.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise KnownError(tr("cannot write {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from exc


def cmd_report(args: argparse.Namespace, store: Store) -> None:
    """Write one PDF report."""
    out: Path = args.out.expanduser()
    try:
        problem = (tr("it is a folder") if out.is_dir() else
                   "" if out.parent.is_dir() else
                   tr("there is no folder {folder}").format(folder=out.parent))
    except OSError as exc:  # a name too long, a folder one may not enter ...
        problem = exc.strerror or str(exc)
    if problem:
        raise KnownError(tr("cannot write {path}: {reason}").format(path=out, reason=problem))
    marking = Marking(args.marking) if args.marking else None
    with store.reader() as session:
        pdf = generate(session, args.kind, today=date.today(), institution=args.institution,
                       record_id=args.id, marking=marking,
                       include_confidential=args.include_confidential)
    _write_whole(out, pdf)
    printed = effective_marking(marking, include_confidential=args.include_confidential)
    language = report_language()
    if language != (args.lang or SOURCE_LANGUAGE):
        sys.stderr.write(tr("r2pdesk-cli: reports cannot be printed in {language} yet; this one is "
                            "in English").format(language=LANGUAGES[args.lang]) + "\n")
    result = {"report": args.kind, "out": str(out), "bytes": len(pdf), "marking": printed.value,
              "language": language}
    _emit(args, result, lambda: tr("{report} written to {path} (marked {marking})").format(
        report=args.kind, path=out, marking=marking_label(printed)))


COMMANDS: dict[str, Callable[[argparse.Namespace, Store], None]] = {
    "init": cmd_init,
    "stats": cmd_stats,
    "catalogue": cmd_catalogue,
    "recs": cmd_recs,
    "warnings": cmd_warnings,
    "assessments": cmd_assessments,
    "report": cmd_report,
    **exchange_commands.COMMANDS,
    **admin.COMMANDS,
    **cli_setup.COMMANDS,
}


def _fail(message: str, status: int) -> int:
    sys.stderr.write(tr("r2pdesk-cli: error: {message}").format(message=message) + "\n")
    return status


def _member_added(args: argparse.Namespace) -> str | None:
    """The name a `members add` gives, which --as may name before the member exists."""
    if args.command == "members" and getattr(args, "action", None) == "add":
        return str(args.name or "")
    return None


def _run(args: argparse.Namespace, path: Path) -> None:
    """Run one parsed command on the database at `path`, under its lock when it writes."""
    passphrase = admin.read_passphrase(args)
    member = member_given(args)
    with cli_records.writer_lock(args, path, member or default_member()):
        if args.command in admin.STORELESS:
            admin.STORELESS[args.command](args, path, passphrase)
            return
        key = admin.key_for(args, path, passphrase)
        store = open_store(path, create=args.command == "init", passphrase=key)
        try:
            if member is not None and args.command != "init":
                sign_as(store, member, adding=_member_added(args))
            (cli_records.action_for(args) or COMMANDS[args.command])(args, store)
        finally:
            store.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status says whether it worked."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except SelfTestRequestedError:
        from r2pdesk import selftest  # noqa: PLC0415 - only the self-test needs it

        return selftest.run()
    path = args.db if args.db is not None else default_db_path()
    set_language(args.lang or SOURCE_LANGUAGE)
    try:
        _run(args, Path(path).expanduser())
    except KnownError as exc:
        return _fail(str(exc), EXIT_ERROR)
    except BrokenPipeError:
        return 0  # the reader (e.g. `head`) stopped reading: not an error of ours
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in the log
        log = write_crash_log()
        return _fail(tr("internal error ({kind}: {detail}); details in {log}").format(
            kind=type(exc).__name__, detail=exc, log=log), EXIT_ERROR)
    return 0


def run() -> None:
    """The console script's entry point."""
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at nothing so that stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(status)
