#!/bin/sh
# Builds dist/r2pdesk-<version>.dmg holding r2pdesk.app, on macOS (see installers/README.md).
# Run from the repository: sh installers/macos/build-dmg.sh
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
[ "$(uname)" = Darwin ] || { echo "build-dmg: run this on macOS" >&2; exit 1; }
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml | head -n 1)
PY=.venv/bin/python

if [ ! -x "$PY" ]; then
    python3 -m venv .venv
fi
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet -e ".[gui,dist]"

# The icon: the SVG drawn at every size, then packed by Apple's iconutil.
"$PY" installers/make_icons.py macos
iconutil -c icns installers/macos/r2pdesk.iconset -o installers/macos/r2pdesk.icns

.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
    installers/r2pdesk.spec

APP=dist/r2pdesk.app
# The command line sits inside the app; check both before packing.
"$APP/Contents/MacOS/r2pdesk-cli" --self-test
"$APP/Contents/MacOS/r2pdesk" --self-test

# Ad-hoc signature (enough to run on this Mac; for other Macs sign with a Developer ID and
# notarise: see installers/README.md).
codesign --force --deep --sign "${CODESIGN_IDENTITY:--}" "$APP"

STAGE=build/dmg
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG=dist/r2pdesk-$VERSION.dmg
rm -f "$DMG"
hdiutil create -volname "r2pdesk $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
echo "build-dmg: $DMG"
