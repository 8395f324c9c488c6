"""What the warning form offers to link, and the framework texts of a warning's detail."""

from __future__ import annotations

from sqlalchemy import select

from r2pdesk.earlywarning.models import EarlyWarning, WarningId
from r2pdesk.earlywarning.queries import (
    FIRST_FACTORS,
    framework_texts,
    warning_choices,
    warning_detail,
)
from r2pdesk.reference.models import Indicator, RiskFactor
from r2pdesk.reference.service import default_framework_version
from r2pdesk.sources.models import Source
from r2pdesk.store import Store

SECRET = "Lives behind the mill, blue door (test)"


def test_every_indicator_of_the_framework_in_use_is_offered_factors_7_and_8_first(
    store: Store,
) -> None:
    with store.reader() as session:
        choices = warning_choices(session)
        version = default_framework_version(session)
        assert version is not None
        expected = set(session.scalars(
            select(Indicator.id).join(RiskFactor).where(RiskFactor.version_id == version.id)))
    numbers = [f.number for f in choices.factors]
    assert numbers[:2] == list(FIRST_FACTORS)
    assert numbers[2:] == sorted(numbers[2:])
    assert len(numbers) == 14
    offered = {i.id for f in choices.factors for i in f.indicators}
    assert offered == expected
    seven = choices.factors[0]
    codes = [i.code for i in seven.indicators]
    assert codes.index("7.2") < codes.index("7.10")
    assert all(i.text for i in seven.indicators)
    assert choices.institutions == choices.areas == choices.sources == ()


def test_choices_name_records_and_never_an_informants_identity(demo_store: Store) -> None:
    with demo_store.session() as session:
        informant = session.scalars(select(Source).where(Source.identity != "")).first()
        assert informant is not None
        informant.identity = SECRET
    with demo_store.reader() as session:
        choices = warning_choices(session)
    labels = [x.label for x in choices.institutions]
    assert labels == sorted(labels, key=str.casefold)
    assert any("(" in x.label for x in choices.areas)  # the level beside the name
    assert choices.groups
    assert choices.recommendations
    assert SECRET not in repr(choices)
    assert any(s.title == informant.title for s in choices.sources)


def test_framework_texts_give_indicator_texts_and_factor_titles(demo_store: Store) -> None:
    with demo_store.reader() as session:
        warning_id = session.scalars(
            select(EarlyWarning.id).where(EarlyWarning.title.startswith("Calls to violence"))
        ).one()
        detail = warning_detail(session, WarningId(warning_id))
        texts = framework_texts(session, detail)
        titles = dict(session.execute(select(RiskFactor.id, RiskFactor.title)).all())
    assert detail.indicators
    assert detail.risk_factors
    assert set(texts) == {x.id for x in (*detail.indicators, *detail.risk_factors)}
    assert texts[detail.risk_factors[0].id] == titles[detail.risk_factors[0].id]
    assert all(texts[x.id] for x in detail.indicators)
