"""Kinds of source, reliability and credibility grades as people read them.

The one place for these words: the catalogue holds a kind and a confidentiality in lower case,
as a sentence uses them ("Radio report — open media, graded B2, public"); a cell or a choice of
its own starts with a capital (`source_kind_label`, `confidentiality_label`)."""

from __future__ import annotations

from r2pdesk.i18n import N_, tr
from r2pdesk.sources.models import Confidentiality, SourceKind

SOURCE_KIND_LABELS: dict[SourceKind, str] = {
    SourceKind.OPEN_MEDIA: N_("open media"),
    SourceKind.CIVIL_SOCIETY_REPORT: N_("civil society report"),
    SourceKind.OFFICIAL: N_("official"),
    SourceKind.FIELD_MISSION: N_("field mission"),
    SourceKind.CONFIDENTIAL_INFORMANT: N_("confidential informant"),
}

CONFIDENTIALITY_LABELS: dict[Confidentiality, str] = {
    Confidentiality.PUBLIC: N_("public"),
    Confidentiality.RESTRICTED: N_("restricted"),
    Confidentiality.CONFIDENTIAL: N_("confidential"),
}

# The usual grading of a source's reliability (A-F) and of its information's credibility (1-6).
RELIABILITY_LABELS: dict[str, str] = {
    "A": N_("A: completely reliable"),
    "B": N_("B: usually reliable"),
    "C": N_("C: fairly reliable"),
    "D": N_("D: not usually reliable"),
    "E": N_("E: unreliable"),
    "F": N_("F: reliability cannot be judged"),
}
CREDIBILITY_LABELS: dict[int, str] = {
    1: N_("1: confirmed by other sources"),
    2: N_("2: probably true"),
    3: N_("3: possibly true"),
    4: N_("4: doubtful"),
    5: N_("5: improbable"),
    6: N_("6: truth cannot be judged"),
}


def _on_its_own(word: str) -> str:
    return word[:1].upper() + word[1:]


def source_kind_label(kind: SourceKind) -> str:
    """A kind of source as a cell or a choice of its own shows it ("Open media")."""
    return _on_its_own(tr(SOURCE_KIND_LABELS[kind]))


def confidentiality_label(level: Confidentiality) -> str:
    """A confidentiality level as a cell or a choice of its own shows it ("Restricted")."""
    return _on_its_own(tr(CONFIDENTIALITY_LABELS[level]))
