"""Administrative areas (a hierarchy) and the population groups an assessment or warning names."""

from __future__ import annotations

import uuid
from typing import NewType

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2pdesk.orm import Base, LongText, Name, Retirable, ShortText, Tracked

AreaId = NewType("AreaId", uuid.UUID)
GroupId = NewType("GroupId", uuid.UUID)


class Area(Retirable, Tracked, Base):
    """An administrative area: a province, a district, a municipality, nested under its parent."""

    __tablename__ = "area"

    name: Mapped[Name] = mapped_column(index=True)
    level: Mapped[ShortText]  # the country's own word: region, province, district ...
    code: Mapped[ShortText]
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("area.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[LongText]

    parent: Mapped[Area | None] = relationship(remote_side="Area.id", back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent")


class PopulationGroup(Retirable, Tracked, Base):
    """A group of people named in the records, with the kind of group it is (taxonomy code)."""

    __tablename__ = "population_group"

    name: Mapped[Name] = mapped_column(index=True)
    kind: Mapped[ShortText]  # a code of taxonomy "group_kinds": national, religious, displaced ...
    description: Mapped[LongText]
