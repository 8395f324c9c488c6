"""Draw installers/r2pdesk.svg as the icons Windows and macOS want (PySide6's QtSvg, no extra tool).

    python installers/make_icons.py windows   ->  installers/windows/r2pdesk.ico
    python installers/make_icons.py macos     ->  installers/macos/r2pdesk.iconset/ (then iconutil)
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent


def render(size: int) -> QImage:
    """The icon drawn at `size` pixels square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(HERE / "r2pdesk.svg")).render(painter)
    painter.end()
    return image


def main(target: str) -> None:
    """Write the icons of `target` (windows or macos)."""
    _app = QGuiApplication(sys.argv[:1])
    if target == "windows":
        out = HERE / "windows" / "r2pdesk.ico"
        if not render(256).save(str(out), "ICO"):
            raise SystemExit(f"cannot write {out}")
    elif target == "macos":
        folder = HERE / "macos" / "r2pdesk.iconset"
        folder.mkdir(exist_ok=True)
        for size in (16, 32, 128, 256, 512):
            render(size).save(str(folder / f"icon_{size}x{size}.png"))
            render(size * 2).save(str(folder / f"icon_{size}x{size}@2x.png"))
        out = folder
    else:
        raise SystemExit("usage: make_icons.py windows|macos")
    sys.stdout.write(f"{out}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
