"""Taking a validation back: a validated assessment goes under review again, and only that."""

from __future__ import annotations

from datetime import date

import pytest

from r2pdesk.assessments.models import Assessment, AssessmentStatus, Level
from r2pdesk.assessments.service import (
    AssessmentInput,
    RatingInput,
    create_assessment,
    reopen_for_review,
    save_rating,
    submit_for_review,
    supersede,
    validate_assessment,
)
from r2pdesk.errors import InputError
from r2pdesk.reference.service import default_framework_version
from r2pdesk.store import Store

H1 = AssessmentInput(title="National risk assessment", period_start=date(2026, 1, 1),
                     period_end=date(2026, 6, 30))


def test_a_validated_assessment_is_reopened_for_review_and_can_be_rated_again(
    store: Store,
) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        with pytest.raises(InputError, match=r"only a validated assessment is reopened for "
                                             r"review \(this one is draft\)"):
            reopen_for_review(session, aid)
        version = default_framework_version(session)
        assert version is not None
        for factor in version.risk_factors:
            save_rating(session, aid, RatingInput(risk_factor_id=factor.id, level=Level.LOW))
        submit_for_review(session, aid)
        validate_assessment(session, aid)
        reopen_for_review(session, aid)
        assert session.get_one(Assessment, aid).status is AssessmentStatus.UNDER_REVIEW
        first = version.risk_factors[0]
        save_rating(session, aid, RatingInput(risk_factor_id=first.id, level=Level.HIGH))
        validate_assessment(session, aid)
        supersede(session, aid)
        with pytest.raises(InputError, match="this one is superseded"):
            reopen_for_review(session, aid)
