"""Reference data: the Secretary-General's reports and recommendations, frameworks of risk
factors and indicators (versioned), and the taxonomies the reports use."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import NewType

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2pdesk.orm import Base, Code, LongText, Name, ShortText, Tracked, str_enum

CatalogueId = NewType("CatalogueId", str)
FrameworkVersionId = NewType("FrameworkVersionId", uuid.UUID)
RiskFactorId = NewType("RiskFactorId", uuid.UUID)
IndicatorId = NewType("IndicatorId", uuid.UUID)


class SgReport(Base):
    """An annual report of the Secretary-General on the responsibility to protect."""

    __tablename__ = "sg_report"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    number: Mapped[int]
    symbol: Mapped[ShortText]  # empty where the sources do not give it
    title: Mapped[str] = mapped_column(Text)
    focus: Mapped[LongText]
    issued_on: Mapped[date | None]
    source_file: Mapped[ShortText]

    recommendations: Mapped[list[CatalogueRecommendation]] = relationship(
        back_populates="report", order_by="CatalogueRecommendation.ordinal"
    )


class CatalogueRecommendation(Base):
    """One recommendation of a report, addressed to one target, with its paragraph references."""

    __tablename__ = "catalogue_recommendation"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # e.g. "2009-MS-01"
    report_year: Mapped[int] = mapped_column(ForeignKey("sg_report.year"), index=True)
    target: Mapped[ShortText] = mapped_column(index=True)  # empty: not specified in the source
    target_code: Mapped[str] = mapped_column(String(8))
    ordinal: Mapped[int]  # order within the report, as in the source
    text: Mapped[str] = mapped_column(Text)
    paragraphs: Mapped[ShortText]

    report: Mapped[SgReport] = relationship(back_populates="recommendations")


class AppliesTo(enum.StrEnum):
    """Which crimes a risk factor of the Framework of Analysis relates to."""

    COMMON = "common"
    GENOCIDE = "genocide"
    CRIMES_AGAINST_HUMANITY = "crimes_against_humanity"
    WAR_CRIMES = "war_crimes"


class Nature(enum.StrEnum):
    """Structural risk factors change slowly; dynamic ones mark a trajectory or a trigger."""

    STRUCTURAL = "structural"
    DYNAMIC = "dynamic"


class IndicatorsStatus(enum.StrEnum):
    """How much of a risk factor's indicator list the version holds."""

    NONE = "none"
    PARTIAL = "partial"
    COMPLETE = "complete"


class Framework(Tracked, Base):
    """A framework of analysis: the UN's of 2014 or one a committee builds."""

    __tablename__ = "framework"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[Name]
    publisher: Mapped[ShortText]
    year: Mapped[int | None]
    reference: Mapped[ShortText]  # document symbol, where known

    versions: Mapped[list[FrameworkVersion]] = relationship(
        back_populates="framework", order_by="FrameworkVersion.version"
    )


class FrameworkVersion(Tracked, Base):
    """A frozen version of a framework; an assessment keeps the version it was made with."""

    __tablename__ = "framework_version"
    __table_args__ = (UniqueConstraint("framework_id", "version"),)

    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework.id"), index=True)
    version: Mapped[int]
    partial: Mapped[bool] = mapped_column(default=False)
    note: Mapped[LongText]

    framework: Mapped[Framework] = relationship(back_populates="versions")
    risk_factors: Mapped[list[RiskFactor]] = relationship(
        back_populates="version", order_by="RiskFactor.number"
    )
    resilience_factors: Mapped[list[ResilienceFactor]] = relationship(
        back_populates="version", order_by="ResilienceFactor.number"
    )


class RiskFactor(Tracked, Base):
    """A risk factor of a framework version."""

    __tablename__ = "risk_factor"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_version.id"), index=True)
    number: Mapped[int]
    code: Mapped[Code]
    title: Mapped[str] = mapped_column(Text)
    applies_to: Mapped[AppliesTo] = mapped_column(str_enum(AppliesTo))
    nature: Mapped[Nature] = mapped_column(str_enum(Nature))
    definition: Mapped[LongText]  # empty where no verified definition exists
    indicators_status: Mapped[IndicatorsStatus] = mapped_column(
        str_enum(IndicatorsStatus), default=IndicatorsStatus.NONE
    )

    version: Mapped[FrameworkVersion] = relationship(back_populates="risk_factors")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="risk_factor", order_by="Indicator.ordinal"
    )


class Indicator(Tracked, Base):
    """An indicator of a risk factor, from the framework or added by the committee."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("risk_factor_id", "code"),)

    risk_factor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("risk_factor.id"), index=True)
    code: Mapped[Code]  # "7.1"; national additions get the committee's own codes
    ordinal: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    national: Mapped[bool] = mapped_column(default=False)

    risk_factor: Mapped[RiskFactor] = relationship(back_populates="indicators")


class ResilienceFactor(Tracked, Base):
    """An inhibitor against which resilience is assessed (the seven of the 2015 report)."""

    __tablename__ = "resilience_factor"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_version.id"), index=True)
    number: Mapped[int]
    code: Mapped[Code]
    title: Mapped[str] = mapped_column(Text)

    version: Mapped[FrameworkVersion] = relationship(back_populates="resilience_factors")


class TaxonomyTerm(Base):
    """A term of a reference list: continuum phases, pillars, crimes, kinds of group."""

    __tablename__ = "taxonomy_term"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[Name]
    ordinal: Mapped[int]
    protected: Mapped[bool | None]  # group kinds only: protected by the Genocide Convention
    source: Mapped[LongText]  # where the seeds use the term


class ReferenceState(Base):
    """What reference data set was last loaded into this database, by its digest."""

    __tablename__ = "reference_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
