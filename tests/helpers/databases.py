"""Database fixtures: migrate once to a template file, copy it for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from r2pdesk.startup import open_store
from r2pdesk.store import Store

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-output"
DEMO_TODAY = date(2026, 11, 21)


def _template(factory: pytest.TempPathFactory, name: str, *, demo: bool) -> Path:
    path = factory.mktemp("templates") / name
    store = open_store(path, member="template")
    if demo:
        from r2pdesk.demo import populate_demo

        with store.session() as session:
            populate_demo(session, today=DEMO_TODAY)
    store.close()
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database holding the reference data only."""
    return _template(tmp_path_factory, "empty.db", demo=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database holding the reference data and the demo country."""
    return _template(tmp_path_factory, "demo.db", demo=True)


def copy_database(template: Path, target: Path) -> Path:
    """A private copy of a template database (closed templates have no WAL to carry)."""
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def db_path(empty_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the empty template."""
    return copy_database(empty_template, tmp_path / "r2pdesk.db")


@pytest.fixture
def demo_db_path(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo template."""
    return copy_database(demo_template, tmp_path / "demo.db")


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """An open store on a fresh copy of the empty template."""
    opened = open_store(db_path, member="tester")
    yield opened
    opened.close()


@pytest.fixture
def demo_store(demo_db_path: Path) -> Iterator[Store]:
    """An open store on a fresh copy of the demo template."""
    opened = open_store(demo_db_path, member="tester")
    yield opened
    opened.close()


def output_dir(*parts: str) -> Path:
    """A folder under test-output/ for files a person looks at (screenshots)."""
    path = OUTPUT.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
