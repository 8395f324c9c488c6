"""The status bar's database line, cut to fit: at its end (the left in a right-to-left
language), never inside a number, so "440 catalogue recommendations" never reads as "0"."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.mainwindow import ELLIPSIS, ElidedLabel, elide_end

FRENCH = ("Base de données : /tmp/nu/committee.db (non chiffrée, schéma 0005) · "
          "1\u202f440 recommandations au catalogue")  # (as French writes 1440)
ARABIC = "قاعدة البيانات: committee.db (غير مشفرة) · ٤٤٠ توصية في الفهرس"


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:[\u202f\u00a0,.]\d+)*", text)


def test_the_line_is_cut_at_its_end_and_keeps_its_numbers_whole(qtbot: QtBot) -> None:
    label = ElidedLabel(FRENCH)
    qtbot.addWidget(label)
    metrics = label.fontMetrics()
    whole = _numbers(FRENCH)
    for width in range(10, metrics.horizontalAdvance(FRENCH) + 20, 3):
        shown = elide_end(FRENCH, metrics, width)
        if shown == FRENCH:
            continue
        assert shown.endswith(ELLIPSIS)
        kept = shown.removesuffix(ELLIPSIS)
        assert FRENCH.startswith(kept), width  # the start kept, the end cut
        assert _numbers(kept) == whole[:len(_numbers(kept))], (width, shown)
        assert metrics.horizontalAdvance(shown) <= width or not kept
    # never a part of "1 440": a cut shows the whole number or none of it
    seen = {elide_end(FRENCH, metrics, w) for w in range(10, metrics.horizontalAdvance(FRENCH))}
    assert any(s.endswith("1\u202f440 recommandations" + ELLIPSIS) for s in seen)
    assert not any(s.endswith(("· 1" + ELLIPSIS, "\u202f4" + ELLIPSIS, "\u202f44" + ELLIPSIS))
                   for s in seen)


def test_the_label_shows_the_start_when_narrow_and_all_when_wide(qtbot: QtBot) -> None:
    label = ElidedLabel(FRENCH)
    qtbot.addWidget(label)
    label.resize(label.fontMetrics().horizontalAdvance(FRENCH) + 40, 30)
    assert label.shown_text() == FRENCH
    label.resize(label.fontMetrics().horizontalAdvance("Base de données : /tmp/nu/c") + 2, 30)
    assert label.shown_text().startswith("Base de données")
    assert label.shown_text().endswith(ELLIPSIS)
    label.grab()  # paints


def test_right_to_left_keeps_the_start_of_the_line(qtbot: QtBot) -> None:
    label = ElidedLabel(ARABIC)
    label.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    qtbot.addWidget(label)
    label.resize(label.fontMetrics().horizontalAdvance(ARABIC) // 2, 30)
    shown = label.shown_text()
    assert shown.endswith(ELLIPSIS)
    assert ARABIC.startswith(shown.removesuffix(ELLIPSIS))  # its end (the left) is cut
    assert "٤٤" not in shown or "٤٤٠" in shown
    label.grab()
