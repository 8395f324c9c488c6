"""Many rows fast, for the tests and measurements of long lists: SQLAlchemy Core inserts of
warnings (with responses and addressees), institutions (with focal points), recommendations (with
progress updates) and audit entries, deterministic for a seed.

The rows bypass the use cases (and so the audit trail): they are only there to be listed.
"""

from __future__ import annotations

import random
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from r2pdesk.audit import UNAUDITED, AuditEntry
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    ResponseKind,
    Severity,
    WarningResponse,
    WarningStatus,
    warning_addressee,
)
from r2pdesk.institutions.models import FocalPoint, Institution, InstitutionKind
from r2pdesk.recommendations.models import (
    Priority,
    ProgressUpdate,
    Recommendation,
    RecSource,
    RecStatus,
)
from r2pdesk.startup import open_store
from r2pdesk.store import Store

WORDS = (
    "militia", "herders", "election", "rally", "checkpoint", "displacement", "curfew",
    "journalists", "hate", "speech", "radio", "schools", "occupation", "land", "dispute", "mining",
    "concession", "border", "patrol", "detention", "villages", "burned", "market", "closure",
    "minority", "language", "textbook", "arrests", "protest", "police",
)
CHUNK = 5_000


@dataclass(frozen=True)
class Bulk:
    """What was inserted: the ids, in insertion order."""

    institutions: list[uuid.UUID]
    warnings: list[uuid.UUID]
    recommendations: list[uuid.UUID]


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    session.info[UNAUDITED] = True  # made-up rows to list, nobody's doing
    try:
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(table), rows[start:start + CHUNK])
    finally:
        session.info.pop(UNAUDITED, None)


def _stamp(rng: random.Random, when: datetime) -> dict[str, Any]:
    return {"id": uuid.UUID(int=rng.getrandbits(128), version=4), "created_at": when,
            "updated_at": when, "author": "bulk", "origin_device": "bulk", "revision": 1}


def add_institutions(session: Session, n: int, rng: random.Random) -> list[uuid.UUID]:
    """`n` institutions with two focal points each, unique names."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    kinds = list(InstitutionKind)
    rows = [{**_stamp(rng, now), "name": f"{_title(rng)} office {i}", "acronym": f"O{i}",
             "kind": rng.choice(kinds), "parent_id": None, "email": "", "phone": "", "notes": ""}
            for i in range(n)]
    _insert(session, Institution, rows)
    points = [{**_stamp(rng, now), "institution_id": row["id"], "name": f"Person {i}-{k}",
               "title": "", "email": "", "phone": "", "notes": ""}
              for i, row in enumerate(rows) for k in range(2)]
    _insert(session, FocalPoint, points)
    return [row["id"] for row in rows]


def add_warnings(session: Session, n: int, institutions: list[uuid.UUID], rng: random.Random,
                 *, today: date) -> list[uuid.UUID]:
    """`n` warnings over ten years before `today`, most closed, with responses and addressees."""
    severities = list(Severity)
    days = {Severity.CRITICAL: 7, Severity.HIGH: 14, Severity.MODERATE: 30, Severity.LOW: 60}
    per_year: dict[int, int] = {}
    rows, responses, links = [], [], []
    for i in range(n):
        observed = today - timedelta(days=int(3650 * (n - i) / n) + rng.randint(0, 3))
        number = per_year[observed.year] = per_year.get(observed.year, 0) + 1
        status = rng.choices(list(WarningStatus), weights=(3, 8, 8, 6, 75))[0]
        severity = rng.choice(severities) if status is not WarningStatus.DRAFT or i % 2 else None
        issued = None if status is WarningStatus.DRAFT else observed + timedelta(rng.randint(0, 5))
        due = issued + timedelta(days[severity or Severity.LOW]) if issued else None
        when = datetime.combine(observed, datetime.min.time(), UTC)
        row = {**_stamp(rng, when), "reference": f"EW-{observed.year}-{number:03d}",
               "title": _title(rng), "observed_on": observed, "issued_on": issued,
               "description": _title(rng), "severity": severity, "likelihood": None,
               "horizon": None, "status": status, "response_due": due,
               "closed_on": None, "resolution": None, "resolution_note": "",
               "recommended_actions": "", "confidential": rng.random() < 0.05}
        rows.append(row)
        for institution in rng.sample(institutions, k=min(len(institutions), rng.randint(1, 3))):
            links.append({"warning_id": row["id"], "institution_id": institution})
        if issued is not None:
            for kind in rng.sample(list(ResponseKind), k=rng.randint(0, 2)):
                responses.append({**_stamp(rng, when), "warning_id": row["id"],
                                  "institution_id": rng.choice(institutions),
                                  "on": issued + timedelta(rng.randint(1, 40)), "kind": kind,
                                  "action_taken": "", "outcome": ""})
    _insert(session, EarlyWarning, rows)
    _insert(session, warning_addressee, links)
    _insert(session, WarningResponse, responses)
    return [row["id"] for row in rows]


def add_recommendations(session: Session, n: int, institutions: list[uuid.UUID],
                        rng: random.Random, *, today: date) -> list[uuid.UUID]:
    """`n` committee recommendations with a lead, a due date and progress updates."""
    rows, updates = [], []
    statuses = list(RecStatus)
    for i in range(n):
        made = today - timedelta(days=int(3650 * (n - i) / n))
        when = datetime.combine(made, datetime.min.time(), UTC)
        status = rng.choice(statuses)
        row = {**_stamp(rng, when), "text": f"{_title(rng)} ({i})", "source": RecSource.COMMITTEE,
               "source_reference": f"C-{i}", "catalogue_id": None,
               "lead_institution_id": rng.choice(institutions) if rng.random() < 0.9 else None,
               "priority": rng.choice(list(Priority)), "made_on": made,
               "due_on": made + timedelta(rng.randint(30, 900)) if rng.random() < 0.9 else None,
               "status": status, "confidential": rng.random() < 0.05}
        rows.append(row)
        for k in range(rng.randint(0, 3)):
            updates.append({**_stamp(rng, when), "recommendation_id": row["id"],
                            "on": made + timedelta(30 * (k + 1)), "status": status,
                            "narrative": "", "reported_by": ""})
    _insert(session, Recommendation, rows)
    _insert(session, ProgressUpdate, updates)
    return [row["id"] for row in rows]


def add_audit_entries(session: Session, n: int, rng: random.Random) -> None:
    """`n` audit entries (not chained: the hashes are placeholders)."""
    start = datetime(2016, 1, 1, tzinfo=UTC)
    tables = ("early_warning", "recommendation", "institution", "progress_update")
    rows = [{"at": start + timedelta(minutes=7 * i), "actor": rng.choice(("Ana", "Bo", "Chi")),
             "device": "bulk", "action": rng.choice(("create", "update", "delete")),
             "table_name": rng.choice(tables), "record_id": uuid.UUID(int=i).hex,
             "changes": '{"title": "x"}', "prev_hash": "0" * 64, "hash": "0" * 64}
            for i in range(n)]
    _insert(session, AuditEntry, rows)


def fill(session: Session, *, warnings: int = 0, recommendations: int = 0,
         institutions: int = 50, audit: int = 0, seed: int = 1,
         today: date = date(2026, 11, 21)) -> Bulk:
    """Insert the rows asked for in one go."""
    rng = random.Random(seed)
    inst = add_institutions(session, institutions, rng)
    warn = add_warnings(session, warnings, inst, rng, today=today) if warnings else []
    recs = add_recommendations(session, recommendations, inst, rng, today=today)
    if audit:
        add_audit_entries(session, audit, rng)
    return Bulk(inst, warn, recs)


def bulk_store(template: Path, target: Path, *, warnings: int = 0, recommendations: int = 0,
               institutions: int = 50, audit: int = 0) -> tuple[Store, Bulk]:
    """An open store on a copy of a migrated template, filled by `fill`, and what was filled."""
    shutil.copyfile(template, target)
    store = open_store(target, member="tester")
    with store.session() as session:
        made = fill(session, warnings=warnings, recommendations=recommendations,
                    institutions=institutions, audit=audit)
    return store, made
