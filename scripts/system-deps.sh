#!/bin/sh
# Installs the Debian/Ubuntu system libraries that Qt (PySide6) and the tests need, when missing.
# As root it installs them with apt-get; otherwise it names the missing packages and stops.
set -eu

# Python with its venv module (`make` makes .venv with it).
PACKAGES="python3 python3-venv"
# Qt (PySide6), offscreen; QtPdf, for the report preview, loads QtNetwork, which needs
# the GSSAPI library.
PACKAGES="$PACKAGES libegl1 libgl1 libdbus-1-3 libfontconfig1 libglib2.0-0 libxkbcommon0"
PACKAGES="$PACKAGES libgssapi-krb5-2 fonts-dejavu-core"
# The tests: poppler's pdftotext, pdftoppm, pdfinfo and pdffonts read the reports; PyInstaller
# (the bundle test, tests/packaging) needs objdump and objcopy.
PACKAGES="$PACKAGES poppler-utils binutils"
if [ "${1:-}" = "--window" ]; then
    # A real window on a virtual screen (xvfb-run), for looking at the app by hand.
    PACKAGES="$PACKAGES xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0"
    PACKAGES="$PACKAGES libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian-like system; install the equivalents of: $PACKAGES" >&2
    exit 0
fi

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "system-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "system-deps: these system packages are missing:$missing" >&2
    echo "system-deps: install them with: sudo apt-get install$missing" >&2
    exit 1
fi
