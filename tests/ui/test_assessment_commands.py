"""Undo and redo of every change of a risk assessment, on a bare QUndoStack over a real database:
ratings, the overall override, inhibitors, details and the review's steps."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from r2pdesk.assessments.models import AssessmentStatus, Confidence, Level, Strength
from r2pdesk.assessments.queries import Grid, RatingView, assessment_grid
from r2pdesk.assessments.service import (
    AssessmentInput,
    RatingInput,
    create_assessment,
    save_rating,
    submit_for_review,
)
from r2pdesk.store import Store
from ui import assessment_commands as commands
from ui.recommendation_commands import execute

H1 = AssessmentInput(title="National risk assessment", period_start=date(2026, 1, 1),
                     period_end=date(2026, 6, 30))
BLANK = (Level.NOT_ASSESSED, None, "", (), (), (), None, "", False)


def _view(view: RatingView | None) -> tuple[Any, ...]:
    """What a member sees of a rating; a rating with nothing in it is no rating."""
    if view is None:
        return BLANK
    return (view.level, view.confidence, view.evidence, view.source_ids, view.group_ids,
            view.area_ids, view.override_level, view.override_justification, view.confidential)


def _seen(store: Store, aid: uuid.UUID) -> tuple[Any, ...]:
    with store.reader() as session:
        grid: Grid = assessment_grid(session, aid)
    row = grid.assessment
    factors = tuple(
        (f.number, f.effective_level, f.derived_level, f.override_level, _view(f.rating),
         tuple((i.code, i.level, _view(i.rating)) for i in f.indicators))
        for f in grid.factors)
    return (row.title, grid.summary, row.status,
            row.overall_level, row.overall_override, row.effective_level,
            grid.override_justification, grid.authors,
            tuple((c.number, c.strength, c.notes) for c in grid.resilience), factors)


def _line(store: Store, aid: uuid.UUID, code: str) -> RatingInput:
    """An indicator's rating as saved now, as core input."""
    with store.reader() as session:
        grid = assessment_grid(session, aid)
    for factor in grid.factors:
        for cell in factor.indicators:
            if cell.code == code:
                view = cell.rating
                base = RatingInput(risk_factor_id=factor.risk_factor_id,
                                   indicator_id=cell.indicator_id)
                if view is None:
                    return base
                return replace(base, level=view.level, confidence=view.confidence,
                               evidence=view.evidence, source_ids=view.source_ids,
                               group_ids=view.group_ids, area_ids=view.area_ids,
                               override_level=view.override_level,
                               override_justification=view.override_justification,
                               confidential=view.confidential)
    raise AssertionError(code)


def _check(stack: QUndoStack, store: Store, aid: uuid.UUID,
           command: commands.AssessmentCommand) -> tuple[Any, ...]:
    before = _seen(store, aid)
    assert execute(stack, command) is None, command.error
    after = _seen(store, aid)
    assert after != before
    stack.undo()
    assert _seen(store, aid) == before
    stack.redo()
    assert _seen(store, aid) == after
    return after


def test_ratings_and_everything_else_of_an_assessment_are_undone(
    qtbot: QtBot, store: Store
) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
    stack = QUndoStack()
    first = _seen(store, aid)

    blank = _line(store, aid, "7.1")
    high = replace(blank, level=Level.HIGH)
    _check(stack, store, aid, commands.rate(store, aid, blank, high))
    sure = replace(high, confidence=Confidence.HIGH, evidence="Militia lists seen")
    _check(stack, store, aid, commands.rate(store, aid, _line(store, aid, "7.1"), sure))
    _check(stack, store, aid, commands.overall(store, aid, (None, ""),
                                               (Level.SEVERE, "Elections in March")))
    with store.reader() as session:
        inhibitor = assessment_grid(session, aid).resilience[0]
    _check(stack, store, aid, commands.resilience(
        store, aid, inhibitor.resilience_factor_id, (inhibitor.strength, inhibitor.notes),
        after=(Strength.WEAK, "Courts understaffed")))
    _check(stack, store, aid, commands.details(
        store, aid, H1, replace(H1, title="National risk assessment, revised")))
    _check(stack, store, aid, commands.submit(store, aid))
    _check(stack, store, aid, commands.return_to_draft(store, aid))
    assert stack.count() == 7

    while stack.canUndo():
        stack.undo()
    assert _seen(store, aid) == first  # the first rating undone leaves the line unrated
    while stack.canRedo():
        stack.redo()
    with store.reader() as session:
        grid = assessment_grid(session, aid)
    assert grid.assessment.title == "National risk assessment, revised"
    assert grid.assessment.status is AssessmentStatus.DRAFT
    assert grid.assessment.overall_override is Level.SEVERE


def test_a_validation_is_undone_by_reopening_for_review(qtbot: QtBot, store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        grid = assessment_grid(session, aid)
        for factor in grid.factors:
            save_rating(session, aid, RatingInput(risk_factor_id=factor.risk_factor_id,
                                                  level=Level.LOW))
        submit_for_review(session, aid)
    stack = QUndoStack()
    after = _check(stack, store, aid, commands.validate(store, aid))
    assert after[2] is AssessmentStatus.VALIDATED
    stack.undo()
    assert _seen(store, aid)[2] is AssessmentStatus.UNDER_REVIEW


def test_a_refused_rating_is_not_on_the_stack(qtbot: QtBot, store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
    stack = QUndoStack()
    blank = _line(store, aid, "7.1")
    unjustified = replace(blank, level=Level.LOW, override_level=Level.SEVERE)
    error = execute(stack, commands.rate(store, aid, blank, unjustified))
    assert error is not None
    assert "justification" in error
    assert stack.count() == 0
