"""Frameworks are data: a committee completes or extends one by making a new version of it.

A version is never edited in place: assessments keep the version they were rated with. A new
version is a full copy of the latest one (risk factors, indicators, inhibitors) with the
committee's changes: national indicators added under its own codes (e.g. "7.N1"), indicator
texts edited, a partial list of indicators marked complete. An import from a workbook writes a
new version too (`r2pdesk.exchange.framework_xlsx`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.reference.models import (
    AppliesTo,
    Framework,
    FrameworkVersion,
    FrameworkVersionId,
    Indicator,
    IndicatorsStatus,
    Nature,
    ResilienceFactor,
    RiskFactor,
)

MAX_CODE = 64
MAX_TITLE = 300
MAX_TEXT = 20_000


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator of a risk factor, as plain values."""

    code: str
    ordinal: int
    text: str
    national: bool = False


@dataclass(frozen=True)
class FactorSpec:
    """A risk factor with its indicators, as plain values."""

    number: int
    code: str
    title: str
    applies_to: AppliesTo
    nature: Nature
    indicators_status: IndicatorsStatus = IndicatorsStatus.NONE
    definition: str = ""
    indicators: tuple[IndicatorSpec, ...] = ()


@dataclass(frozen=True)
class InhibitorSpec:
    """An inhibitor (resilience factor), as plain values."""

    number: int
    code: str
    title: str


@dataclass(frozen=True)
class VersionContent:
    """Everything a framework version holds, without ids: what two versions compare on."""

    factors: tuple[FactorSpec, ...]
    inhibitors: tuple[InhibitorSpec, ...]


@dataclass(frozen=True)
class AddIndicator:
    """Add an indicator at the end of a risk factor's list; the committee's own by default."""

    risk_factor_number: int
    code: str
    text: str
    national: bool = True


@dataclass(frozen=True)
class EditIndicator:
    """Change the text of an indicator."""

    risk_factor_number: int
    code: str
    text: str


@dataclass(frozen=True)
class SetIndicatorsStatus:
    """Say how much of a risk factor's indicator list the version holds (e.g. now complete)."""

    risk_factor_number: int
    status: IndicatorsStatus


Change = AddIndicator | EditIndicator | SetIndicatorsStatus


def latest_version(session: Session, framework_id: uuid.UUID) -> FrameworkVersion | None:
    """The highest version of a framework."""
    return session.scalar(
        select(FrameworkVersion)
        .where(FrameworkVersion.framework_id == framework_id)
        .order_by(FrameworkVersion.version.desc())
        .limit(1)
    )


def version_content(session: Session, version_id: uuid.UUID) -> VersionContent:
    """A version's risk factors (by number, indicators by ordinal) and inhibitors."""
    version = session.get(FrameworkVersion, version_id)
    if version is None:
        raise InputError(tr("framework: that framework version is not in the database"))
    return VersionContent(
        factors=tuple(
            FactorSpec(
                number=f.number, code=f.code, title=f.title, applies_to=f.applies_to,
                nature=f.nature, indicators_status=f.indicators_status, definition=f.definition,
                indicators=tuple(
                    IndicatorSpec(i.code, i.ordinal, i.text, i.national) for i in f.indicators
                ),
            )
            for f in version.risk_factors
        ),
        inhibitors=tuple(
            InhibitorSpec(i.number, i.code, i.title) for i in version.resilience_factors
        ),
    )


# --- checking -------------------------------------------------------------------------------


def _too_long(where: str, limit: int) -> InputError:
    return InputError(tr("{field}: longer than {most} characters").format(
        field=where, most=format_number(limit)))


def _check_text(where: str, value: str, limit: int) -> None:
    """Refuse an empty or too long text; `where` names it in the language in use."""
    if not value.strip():
        raise InputError(tr("{field}: empty").format(field=where))
    if len(value) > limit:
        raise _too_long(where, limit)


def _check_factor(factor: FactorSpec) -> None:
    number = factor.number
    if number < 1:
        raise InputError(tr("risk factor {number}: numbers start at 1").format(number=number))
    _check_text(tr("risk factor {number}, code").format(number=number), factor.code, MAX_CODE)
    _check_text(tr("risk factor {number}, title").format(number=number), factor.title, MAX_TEXT)
    if len(factor.definition) > MAX_TEXT:
        raise _too_long(tr("risk factor {number}, definition").format(number=number), MAX_TEXT)
    codes: set[str] = set()
    ordinals: set[int] = set()
    for indicator in factor.indicators:
        _check_text(tr("risk factor {number}, indicator code").format(number=number),
                    indicator.code, MAX_CODE)
        _check_text(tr("indicator {code}, text").format(code=indicator.code), indicator.text,
                    MAX_TEXT)
        if indicator.code in codes:
            raise InputError(tr("indicator {code}: twice in risk factor {number}").format(
                code=indicator.code, number=number))
        if indicator.ordinal in ordinals or indicator.ordinal < 1:
            raise InputError(
                tr("indicator {code}: position {position} is taken or not a position").format(
                    code=indicator.code, position=indicator.ordinal)
            )
        codes.add(indicator.code)
        ordinals.add(indicator.ordinal)


def check_content(content: VersionContent) -> None:
    """Refuse a version that could not be used: no risk factor, numbers or codes twice, empty
    titles or texts."""
    if not content.factors:
        raise InputError(tr("risk factors: a framework needs at least one"))
    kinds: tuple[tuple[Sequence[FactorSpec | InhibitorSpec], str, str], ...] = (
        (content.factors, N_("risk factors: number {number} is used twice"),
         N_("risk factors: code {code} is used twice")),
        (content.inhibitors, N_("inhibitors: number {number} is used twice"),
         N_("inhibitors: code {code} is used twice")),
    )
    for items, number_twice, code_twice in kinds:
        numbers = [item.number for item in items]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            raise InputError(tr(number_twice).format(number=twice[0]))
        codes = [item.code for item in items]
        twice_codes = sorted({c for c in codes if codes.count(c) > 1})
        if twice_codes:
            raise InputError(tr(code_twice).format(code=twice_codes[0]))
    for factor in content.factors:
        _check_factor(factor)
    for inhibitor in content.inhibitors:
        _check_text(tr("inhibitor {number}, code").format(number=inhibitor.number),
                    inhibitor.code, MAX_CODE)
        _check_text(tr("inhibitor {number}, title").format(number=inhibitor.number),
                    inhibitor.title, MAX_TITLE)


# --- changes --------------------------------------------------------------------------------


def _factor(factors: dict[int, FactorSpec], number: int) -> FactorSpec:
    if number not in factors:
        raise InputError(
            tr("risk factor: the framework has no risk factor {number}").format(number=number))
    return factors[number]


def _indicator_index(factor: FactorSpec, code: str) -> int:
    for index, indicator in enumerate(factor.indicators):
        if indicator.code == code:
            return index
    raise InputError(tr("indicator: risk factor {number} has no indicator {code}").format(
        number=factor.number, code=code))


def _apply(factor: FactorSpec, change: Change) -> tuple[FactorSpec, str]:
    if isinstance(change, AddIndicator):
        code, text = change.code.strip(), " ".join(change.text.split())
        if any(i.code == code for i in factor.indicators):
            raise InputError(tr("indicator: risk factor {number} already has {code}").format(
                number=factor.number, code=code))
        ordinal = max((i.ordinal for i in factor.indicators), default=0) + 1
        added = IndicatorSpec(code, ordinal, text, change.national)
        return replace(factor, indicators=(*factor.indicators, added)), f"{code} added"
    if isinstance(change, EditIndicator):
        index = _indicator_index(factor, change.code.strip())
        edited = replace(factor.indicators[index], text=" ".join(change.text.split()))
        indicators = list(factor.indicators)
        indicators[index] = edited
        return replace(factor, indicators=tuple(indicators)), f"{edited.code} edited"
    return (
        replace(factor, indicators_status=change.status),
        f"indicators of risk factor {factor.number} {change.status.value}",
    )


def apply_changes(
    content: VersionContent, changes: Sequence[Change]
) -> tuple[VersionContent, list[str]]:
    """A version's content with changes made in order, and a line saying each change."""
    factors = {f.number: f for f in content.factors}
    said = []
    for change in changes:
        factor, line = _apply(_factor(factors, change.risk_factor_number), change)
        factors[factor.number] = factor
        said.append(line)
    changed = replace(content, factors=tuple(factors[n] for n in sorted(factors)))
    check_content(changed)
    return changed, said


# --- writing --------------------------------------------------------------------------------


def create_version(
    session: Session, framework_id: uuid.UUID, content: VersionContent, note: str,
    version_id: uuid.UUID | None = None,
) -> FrameworkVersionId:
    """Write `content` as the framework's next version; partial while any risk factor's list of
    indicators is not complete."""
    if session.get(Framework, framework_id) is None:
        raise InputError(tr("framework: not in the database"))
    check_content(content)
    latest = latest_version(session, framework_id)
    version = FrameworkVersion(
        id=version_id or uuid.uuid4(), framework_id=framework_id,
        version=(latest.version if latest else 0) + 1,
        partial=any(f.indicators_status is not IndicatorsStatus.COMPLETE for f in content.factors),
        note=note.strip(),
    )
    session.add(version)
    for spec in content.factors:
        factor = RiskFactor(
            id=uuid.uuid4(), number=spec.number, code=spec.code.strip(), title=spec.title.strip(),
            applies_to=spec.applies_to, nature=spec.nature, definition=spec.definition.strip(),
            indicators_status=spec.indicators_status,
        )
        factor.indicators.extend(
            Indicator(id=uuid.uuid4(), code=i.code.strip(), ordinal=i.ordinal,
                      text=i.text.strip(), national=i.national)
            for i in spec.indicators
        )
        version.risk_factors.append(factor)
    version.resilience_factors.extend(
        ResilienceFactor(id=uuid.uuid4(), number=i.number, code=i.code.strip(),
                         title=i.title.strip())
        for i in content.inhibitors
    )
    session.flush()
    return FrameworkVersionId(version.id)


def new_version(
    session: Session, framework_id: uuid.UUID, changes: Sequence[Change], *, note: str = "",
    version_id: uuid.UUID | None = None,
) -> FrameworkVersionId:
    """A copy of the framework's latest version as version n+1, with the changes made.

    All changes are checked before anything is written. The version's note says what changed,
    after the committee's own note when given.
    """
    latest = latest_version(session, framework_id)
    if latest is None:
        raise InputError(
            tr("framework: not in the database, or it has no version to start from"))
    if not changes:
        raise InputError(tr("changes: a new version needs at least one change"))
    content, said = apply_changes(version_content(session, latest.id), changes)
    made = f"Made from version {latest.version}: " + "; ".join(said) + "."
    return create_version(
        session, framework_id, content, f"{note.strip()}\n{made}".strip(), version_id
    )
