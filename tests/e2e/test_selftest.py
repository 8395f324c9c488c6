"""`r2pdesk-cli --self-test` and `r2pdesk --self-test`, run as separate processes."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from r2pdesk import selftest
from r2pdesk.store import Store

OK = re.compile(
    r"^r2pdesk self-test ok: version \S+, schema \d{4}, (\d+) catalogue recommendations, "
    r"report (\d+) pages, workbook (\d+) sheets(.*) \(\d+\.\d s\)$"
)


def headless_env() -> dict[str, str]:
    """This environment without a display: the app must go offscreen by itself."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env["HOME"] = os.environ.get("HOME", "/tmp")
    return env


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=180,
                          env=env if env is not None else dict(os.environ), check=False)


def test_cli_self_test_passes_in_one_line() -> None:
    result = run(["-m", "r2pdesk", "--self-test"])
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    match = OK.match(lines[0])
    assert match, lines[0]
    assert int(match.group(1)) >= 400
    assert int(match.group(2)) >= 2
    assert int(match.group(3)) >= 2
    assert match.group(4) == ""  # the CLI draws no window


def test_cli_self_test_is_an_option_before_any_command() -> None:
    result = run(["-m", "r2pdesk", "stats", "--self-test"])
    assert result.returncode == 2
    assert "--self-test" in result.stderr


def test_app_self_test_draws_the_window_offscreen_without_a_display() -> None:
    result = run(["-c", "from ui.app import run; run()", "--self-test"], env=headless_env())
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    match = OK.match(lines[0])
    assert match, lines[0]
    assert "main window drawn on 10 pages (offscreen)" in match.group(4)


def test_a_failing_step_prints_failed_and_exits_1() -> None:
    def broken(_store: Store, _folder: Path) -> str:
        raise selftest.SelfTestError("the window could not be drawn")

    out = io.StringIO()
    assert selftest.run(broken, out=out) == 1
    assert out.getvalue() == "r2pdesk self-test FAILED: the window could not be drawn\n"


def test_pdf_checks() -> None:
    assert selftest.pdf_pages(b"%PDF-1.4\n/Type /Pages\n/Type /Page\n%%EOF\n") == 1
    for bad in (b"<html>", b"%PDF-1.4\n/Type /Page\n"):
        try:
            selftest.pdf_pages(bad)
        except selftest.SelfTestError:
            continue
        raise AssertionError(bad)
