"""Undoable changes of a risk assessment: thin `QUndoCommand`s over the core's use cases.

A rating, the overall override, an inhibitor and an assessment's details are saved again as they
were to undo them (the page gives the values it showed, which are those saved). A step of the
review is undone by the step back: submitted returns to draft, returned is submitted again,
validated is reopened for review. They run like the recommendations' commands
(`ui.recommendation_commands.execute`): on a stack only once the first run worked, and each
run that worked announces the assessment as changed (`ui.changes`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from r2pdesk.assessments import service
from r2pdesk.assessments.models import Level, Strength
from r2pdesk.assessments.service import AssessmentInput, RatingInput
from r2pdesk.i18n import tr
from r2pdesk.store import Store
from ui.changes import ASSESSMENT, Changed, changes
from ui.recommendation_commands import StoreCommand

Work = Callable[[Session], object]
OnChange = Callable[[], None] | None


class AssessmentCommand(StoreCommand):
    """One change of an assessment with the use case that takes it back."""

    def __init__(self, store: Store, text: str, assessment_id: uuid.UUID, *, ahead: Work,
                 back: Work, on_change: OnChange = None) -> None:
        super().__init__(store, text, self._changed)
        self.then = on_change
        self.assessment_id = assessment_id
        self.ahead = ahead
        self.back = back

    def _changed(self) -> None:
        """Every run that worked, the first, undo and redo: say so to every view."""
        changes.announce(Changed.of(ASSESSMENT, ids=[self.assessment_id]))
        if self.then is not None:
            self.then()

    def forward(self, session: Session) -> None:
        self.ahead(session)

    def backward(self, session: Session) -> None:
        self.back(session)


def rate(store: Store, assessment_id: uuid.UUID, before: RatingInput, after: RatingInput,
         on_change: OnChange = None) -> AssessmentCommand:
    """Save a rating (level, confidence, evidence, override …); undo saves it as it was."""
    return AssessmentCommand(
        store, tr("Rate"), assessment_id,
        ahead=lambda s: service.save_rating(s, assessment_id, after),
        back=lambda s: service.save_rating(s, assessment_id, before), on_change=on_change)


def overall(store: Store, assessment_id: uuid.UUID, before: tuple[Level | None, str],
            after: tuple[Level | None, str], on_change: OnChange = None) -> AssessmentCommand:
    """Set or take away the committee's overall level, with its justification."""
    return AssessmentCommand(
        store, tr("Set overall level"), assessment_id,
        ahead=lambda s: service.set_overall_override(s, assessment_id, *after),
        back=lambda s: service.set_overall_override(s, assessment_id, *before), on_change=on_change)


def resilience(store: Store, assessment_id: uuid.UUID, factor_id: uuid.UUID,
               before: tuple[Strength, str], *, after: tuple[Strength, str],
               on_change: OnChange = None) -> AssessmentCommand:
    """Save an inhibitor's strength and notes."""
    return AssessmentCommand(
        store, tr("Resilience: the inhibitors"), assessment_id,
        ahead=lambda s: service.save_resilience(s, assessment_id, factor_id, *after),
        back=lambda s: service.save_resilience(s, assessment_id, factor_id, *before),
        on_change=on_change)


def details(store: Store, assessment_id: uuid.UUID, before: AssessmentInput,
            after: AssessmentInput, on_change: OnChange = None) -> AssessmentCommand:
    """Save an assessment's title, scope, period, phase, authors and summary."""
    return AssessmentCommand(
        store, tr("Edit assessment"), assessment_id,
        ahead=lambda s: service.update_assessment(s, assessment_id, after),
        back=lambda s: service.update_assessment(s, assessment_id, before), on_change=on_change)


def submit(store: Store, assessment_id: uuid.UUID,
           on_change: OnChange = None) -> AssessmentCommand:
    """Send a draft for review."""
    return AssessmentCommand(
        store, tr("Submit for review"), assessment_id,
        ahead=lambda s: service.submit_for_review(s, assessment_id),
        back=lambda s: service.return_to_draft(s, assessment_id), on_change=on_change)


def return_to_draft(store: Store, assessment_id: uuid.UUID,
                    on_change: OnChange = None) -> AssessmentCommand:
    """Send an assessment under review back to its authors."""
    return AssessmentCommand(
        store, tr("Return to draft"), assessment_id,
        ahead=lambda s: service.return_to_draft(s, assessment_id),
        back=lambda s: service.submit_for_review(s, assessment_id), on_change=on_change)


def validate(store: Store, assessment_id: uuid.UUID,
             on_change: OnChange = None) -> AssessmentCommand:
    """Adopt an assessment under review; undo reopens it for review."""
    return AssessmentCommand(
        store, tr("Validate"), assessment_id,
        ahead=lambda s: service.validate_assessment(s, assessment_id),
        back=lambda s: service.reopen_for_review(s, assessment_id), on_change=on_change)
