"""Loading the shipped reference data into a database, idempotently.

Reference rows get stable ids (UUID5 of their codes), so every laptop holds the same ids and a
re-load updates in place. A re-load never deletes a catalogue item that a record points to.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from importlib.resources import files
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.recommendations.models import Recommendation
from r2pdesk.reference.models import (
    AppliesTo,
    CatalogueRecommendation,
    Framework,
    FrameworkVersion,
    Indicator,
    IndicatorsStatus,
    Nature,
    ReferenceState,
    ResilienceFactor,
    RiskFactor,
    SgReport,
    TaxonomyTerm,
)

NAMESPACE = uuid.UUID("6f1c2a3e-7d0b-5e54-9a53-2c1f9d8e4b71")
DATA_FILES = ("catalogue.json", "foa-2014.json", "taxonomy.json")
STATE_KEY = "bundled"
REFERENCE_AUTHOR = "r2pdesk reference data"
TAXONOMY_KINDS = ("continuum_phases", "pillars", "crimes", "group_kinds")


def stable_id(*parts: str) -> uuid.UUID:
    """The id every laptop gives the same reference row."""
    return uuid.uuid5(NAMESPACE, "/".join(parts))


def read_data(name: str) -> dict[str, Any]:
    """One of the shipped data files."""
    data: dict[str, Any] = json.loads(files("resources").joinpath("data", name).read_text("utf-8"))
    return data


def bundled_digest() -> str:
    """A digest of the shipped data files, to skip a load that would change nothing."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(files("resources").joinpath("data", name).read_bytes())
    return digest.hexdigest()


def _upsert(session: Session, model: type[Any], key: Any, **values: Any) -> Any:
    row = session.get(model, key)
    if row is None:
        if isinstance(key, tuple):
            raise TypeError("composite keys are passed in values")
        row = model(**values)
        session.add(row)
        return row
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    return row


def load_catalogue(session: Session, data: dict[str, Any]) -> None:
    """The SG reports and their recommendations."""
    wanted: set[str] = set()
    for report in data["reports"]:
        year = int(report["year"])
        _upsert(
            session,
            SgReport,
            year,
            year=year,
            number=int(report["number"]),
            symbol=report["symbol"],
            title=report["title"],
            focus=report["focus"],
            issued_on=date.fromisoformat(report["date"]) if report.get("date") else None,
            source_file=report["source"],
        )
        ordinal = 0
        for target in report["targets"]:
            for rec in target["recommendations"]:
                ordinal += 1
                wanted.add(rec["id"])
                _upsert(
                    session,
                    CatalogueRecommendation,
                    rec["id"],
                    id=rec["id"],
                    report_year=year,
                    target=target["target"],
                    target_code=rec["id"].split("-")[1],
                    ordinal=ordinal,
                    text=rec["text"],
                    paragraphs=target["paragraphs"],
                )
    session.flush()
    adopted = set(session.scalars(select(Recommendation.catalogue_id).where(
        Recommendation.catalogue_id.is_not(None))))
    for row in session.scalars(select(CatalogueRecommendation)):
        if row.id not in wanted and row.id not in adopted:
            session.delete(row)


def load_framework(session: Session, data: dict[str, Any]) -> None:
    """A framework of analysis, its version, risk factors, indicators and inhibitors."""
    code = data["code"]
    stamp = {"author": REFERENCE_AUTHOR, "origin_device": "reference"}
    framework_id = stable_id("framework", code)
    _upsert(
        session, Framework, framework_id, id=framework_id, code=code, name=data["name"],
        publisher=data["publisher"], year=data["year"],
        reference=data.get("also_circulated_as", ""), **stamp,
    )
    tag = f"{code}/v{data['version']}"
    version_id = stable_id("framework-version", tag)
    _upsert(
        session, FrameworkVersion, version_id, id=version_id, framework_id=framework_id,
        version=int(data["version"]), partial=bool(data["partial"]), note=data["note"], **stamp,
    )
    for factor in data["risk_factors"]:
        factor_id = stable_id("risk-factor", tag, factor["code"])
        _upsert(
            session, RiskFactor, factor_id, id=factor_id, version_id=version_id,
            number=int(factor["number"]), code=factor["code"], title=factor["title"],
            applies_to=AppliesTo(factor["applies_to"]), nature=Nature(factor["nature"]),
            definition=factor["definition"],
            indicators_status=IndicatorsStatus(factor["indicators_status"]), **stamp,
        )
        for ordinal, indicator in enumerate(factor["indicators"], start=1):
            indicator_id = stable_id("indicator", tag, indicator["code"])
            _upsert(
                session, Indicator, indicator_id, id=indicator_id, risk_factor_id=factor_id,
                code=indicator["code"], ordinal=ordinal, text=indicator["text"], national=False,
                **stamp,
            )
    for inhibitor in data["inhibitors"]:
        inhibitor_id = stable_id("resilience-factor", tag, inhibitor["code"])
        _upsert(
            session, ResilienceFactor, inhibitor_id, id=inhibitor_id, version_id=version_id,
            number=int(inhibitor["number"]), code=inhibitor["code"], title=inhibitor["title"],
            **stamp,
        )


def load_taxonomy(session: Session, data: dict[str, Any]) -> None:
    """The continuum phases, pillars, crimes and kinds of group."""
    for kind in TAXONOMY_KINDS:
        for ordinal, term in enumerate(data[kind], start=1):
            row = session.get(TaxonomyTerm, (kind, term["code"]))
            values = {
                "label": term["label"],
                "ordinal": ordinal,
                "protected": term.get("protected"),
                "source": term.get("source", ""),
            }
            if row is None:
                session.add(TaxonomyTerm(kind=kind, code=term["code"], **values))
            else:
                for name, value in values.items():
                    setattr(row, name, value)


def load_reference(session: Session, *, force: bool = False) -> bool:
    """Load the shipped reference data unless this database already holds it; True if loaded."""
    digest = bundled_digest()
    state = session.get(ReferenceState, STATE_KEY)
    if state is not None and state.digest == digest and not force:
        return False
    session.info["reference_load"] = True
    try:
        load_catalogue(session, read_data("catalogue.json"))
        load_framework(session, read_data("foa-2014.json"))
        load_taxonomy(session, read_data("taxonomy.json"))
        if state is None:
            session.add(ReferenceState(name=STATE_KEY, digest=digest))
        else:
            state.digest = digest
        session.flush()
    finally:
        session.info.pop("reference_load", None)
    return True
