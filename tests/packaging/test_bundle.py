"""The installable build: `make dist` gives a PyInstaller bundle and a .deb, both of which pass
`--self-test` offscreen (run alone with `make test-dist`, or `pytest -m dist`).

The .deb is checked with `dpkg-deb --info/--contents` and then unpacked with `dpkg -x` into an
empty root, whose `/usr/bin/r2pdesk*` links are followed to the unpacked `/opt/r2pdesk` and run
with an empty environment (no PATH into the project, no virtualenv, a fresh HOME). That is as
close to a clean install as this machine allows: a real clean root (debootstrap, a container)
needs a Debian mirror or an image, which an offline CI does not have, so the system libraries
named in `Depends:` are those of this machine. `dpkg -i` into the real system is left out so the
test never changes the machine it runs on.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from r2pdesk import __version__

pytestmark = pytest.mark.dist

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "r2pdesk"
DEB = ROOT / "dist" / f"r2pdesk_{__version__}_amd64.deb"
OK = "r2pdesk self-test ok: "


def clean_env(home: Path) -> dict[str, str]:
    """An environment with nothing of the project in it, and no display."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def self_test(program: Path, home: Path) -> str:
    result = subprocess.run([str(program), "--self-test"], capture_output=True, text=True,
                            timeout=300, env=clean_env(home), cwd=home, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(OK), result.stdout + result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def built() -> None:
    if sys.platform != "linux":
        pytest.skip("the bundle and .deb built here are Linux ones")
    started = time.monotonic()
    result = subprocess.run(["make", "dist"], cwd=ROOT, capture_output=True, text=True,
                            timeout=1500, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    elapsed = time.monotonic() - started
    size = sum(f.stat().st_size for f in BUNDLE.rglob("*")
               if f.is_file() and not f.is_symlink())
    sys.stderr.write(f"make dist: {elapsed:.0f} s; bundle {size / 2**20:.0f} MiB, "
                     f".deb {DEB.stat().st_size / 2**20:.0f} MiB\n")


@pytest.mark.usefixtures("built")
def test_bundle_cli_self_test(tmp_path: Path) -> None:
    line = self_test(BUNDLE / "r2pdesk-cli", tmp_path)
    assert "catalogue recommendations" in line


@pytest.mark.usefixtures("built")
def test_bundle_app_self_test_offscreen(tmp_path: Path) -> None:
    line = self_test(BUNDLE / "r2pdesk", tmp_path)
    assert "main window drawn on" in line
    assert "(offscreen)" in line


@pytest.mark.usefixtures("built")
def test_deb_metadata_and_contents() -> None:
    info = subprocess.run(["dpkg-deb", "--info", str(DEB)], capture_output=True, text=True,
                          check=True).stdout
    assert "Package: r2pdesk" in info
    assert f"Version: {__version__}" in info
    assert "Architecture: amd64" in info
    for library in ("libegl1", "libgl1", "libfontconfig1", "libxkbcommon0", "libxcb-cursor0"):
        assert library in info
    contents = subprocess.run(["dpkg-deb", "--contents", str(DEB)], capture_output=True,
                              text=True, check=True).stdout
    for path in ("./opt/r2pdesk/r2pdesk", "./opt/r2pdesk/r2pdesk-cli",
                 "./usr/bin/r2pdesk -> /opt/r2pdesk/r2pdesk",
                 "./usr/bin/r2pdesk-cli -> /opt/r2pdesk/r2pdesk-cli",
                 "./usr/share/applications/r2pdesk.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/r2pdesk.svg",
                 "/_internal/db/versions/", "/_internal/resources/data/catalogue.json"):
        assert path in contents, path
    assert all(" root/root " in line for line in contents.splitlines())


@pytest.mark.usefixtures("built")
def test_deb_unpacked_in_an_empty_root_passes_self_test(tmp_path: Path) -> None:
    root = tmp_path / "root"
    subprocess.run(["dpkg", "-x", str(DEB), str(root)], check=True)
    home = tmp_path / "home"
    home.mkdir()
    for name in ("r2pdesk-cli", "r2pdesk"):
        link = root / "usr" / "bin" / name
        assert link.is_symlink()
        target = root / str(link.readlink()).lstrip("/")
        self_test(target, home)
    desktop = (root / "usr/share/applications/r2pdesk.desktop").read_text(encoding="utf-8")
    assert "Exec=r2pdesk" in desktop
    assert "Icon=r2pdesk" in desktop
