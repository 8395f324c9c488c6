"""Databases written by every released schema open and upgrade with nothing lost.

Each file in data/ was written by r2pdesk at that schema revision (`init --demo`) and is kept as it
was; a new migration must bring every one of them to head.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from r2pdesk import migrate
from r2pdesk.audit import verify_chain
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.institutions.models import Institution
from r2pdesk.members.models import Member
from r2pdesk.recommendations.models import ProgressUpdate, Recommendation
from r2pdesk.search import INSTITUTIONS, matches
from r2pdesk.sources.models import Attachment, AttachmentContent
from r2pdesk.startup import open_store
from r2pdesk.store import read_setting

DATA = Path(__file__).parent / "data"
RELEASED = sorted(DATA.glob("schema-*-demo.db.gz"))
# What each released demo held, counted when the file was written.
EXPECTED = {
    "0001": {Institution: 13, Recommendation: 25, ProgressUpdate: 37, EarlyWarning: 11},
    "0002": {
        Institution: 13, Recommendation: 25, ProgressUpdate: 37, EarlyWarning: 11,
        Attachment: 4, AttachmentContent: 4,
    },
    "0003": {
        Institution: 13, Recommendation: 25, ProgressUpdate: 37, EarlyWarning: 11,
        Attachment: 4, AttachmentContent: 4,
    },
    "0004": {
        Institution: 13, Recommendation: 25, ProgressUpdate: 37, EarlyWarning: 11,
        Attachment: 4, AttachmentContent: 4,
    },    "0005": {
        Institution: 13, Recommendation: 25, ProgressUpdate: 37, EarlyWarning: 11,
        Attachment: 4, AttachmentContent: 4, Member: 4,
    },
}


@pytest.mark.parametrize("archive", RELEASED, ids=lambda p: p.name.split("-")[1])
def test_released_database_upgrades_without_loss(archive: Path, tmp_path: Path) -> None:
    revision = archive.name.split("-")[1]
    path = tmp_path / "old.db"
    with gzip.open(archive) as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    assert migrate.current_revision(path) == revision
    store = open_store(path, member="tester")
    try:
        assert store.schema_revision == migrate.head_revision()
        with store.reader() as session:
            for model, count in EXPECTED[revision].items():
                assert session.scalar(select(func.count()).select_from(model)) == count
            assert "fictional" in read_setting(session, "demo")
            assert verify_chain(session) is None
            # Members written before 0005 sit for no constituency yet, and nothing is retired.
            assert session.scalar(select(func.count()).select_from(Member).where(
                Member.retired.is_(True))) == 0
            # The search indexes hold the rows that were there before them (0004).
            found = matches(INSTITUTIONS, "justice")
            assert found is not None
            assert session.scalars(select(Institution.name).where(found)).all() == [
                "Ministry of Justice"]
    finally:
        store.close()


def test_every_revision_has_a_released_database() -> None:
    revisions = {p.name.split("-")[1] for p in RELEASED}
    assert migrate.head_revision() in revisions | {"unreleased"}
    assert revisions == set(EXPECTED)
