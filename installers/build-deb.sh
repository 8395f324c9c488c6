#!/bin/sh
# Builds dist/r2pdesk_<version>_amd64.deb from the PyInstaller bundle in dist/r2pdesk/
# (build it first: `make dist` does both). The package installs the bundle in /opt/r2pdesk,
# `r2pdesk` and `r2pdesk-cli` in /usr/bin, a menu entry and an icon; it depends on the system
# libraries Qt loads from the system (GL/EGL, fontconfig, D-Bus, xcb, xkbcommon).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=${BUNDLE:-$ROOT/dist/r2pdesk}
OUT=${OUT:-$ROOT/dist}
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/pyproject.toml" | head -n 1)
ARCH=amd64
[ -x "$BUNDLE/r2pdesk" ] && [ -x "$BUNDLE/r2pdesk-cli" ] || {
    echo "build-deb: no bundle in $BUNDLE; run: make dist" >&2
    exit 1
}
[ -n "$VERSION" ] || { echo "build-deb: no version in pyproject.toml" >&2; exit 1; }

STAGE=$ROOT/build/deb/r2pdesk_${VERSION}_$ARCH
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/r2pdesk"
cp -a "$BUNDLE" "$STAGE/opt/r2pdesk"
# Symlinks: the bundle finds its own folder through /proc/self/exe, whatever the link.
ln -s /opt/r2pdesk/r2pdesk "$STAGE/usr/bin/r2pdesk"
ln -s /opt/r2pdesk/r2pdesk-cli "$STAGE/usr/bin/r2pdesk-cli"
install -m 644 "$ROOT/installers/r2pdesk.desktop" "$STAGE/usr/share/applications/r2pdesk.desktop"
install -m 644 "$ROOT/installers/r2pdesk.svg" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps/r2pdesk.svg"
cat > "$STAGE/usr/share/doc/r2pdesk/copyright" <<DOC
r2pdesk $VERSION, GPL-3.0-or-later (see /usr/share/common-licenses/GPL-3).
It bundles Python, Qt for Python (PySide6, LGPL-3.0), SQLAlchemy, Alembic, ReportLab, openpyxl,
SQLCipher and the DejaVu fonts (licence in /opt/r2pdesk/_internal/resources/fonts).
DOC
chmod -R u+rwX,go+rX,go-w "$STAGE"

SIZE=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: r2pdesk
Version: $VERSION
Section: misc
Priority: optional
Architecture: $ARCH
Installed-Size: $SIZE
Depends: libc6 (>= 2.31), libegl1, libgl1, libopengl0, libdbus-1-3, libfontconfig1, libfreetype6, libglib2.0-0, libxkbcommon0, libxkbcommon-x11-0, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-xfixes0, libxcb-xinerama0, libxcb-xkb1, libxcb-render0, libxrender1, libxi6, libgssapi-krb5-2
Recommends: fonts-dejavu-core
Maintainer: r2pdesk <r2pdesk@localhost>
Description: offline desk of a national atrocity prevention mechanism
 Risk assessments, early warnings and recommendation follow-up for a national
 committee, on one laptop, without a network. Includes the r2pdesk desktop
 app and the r2pdesk-cli command line; run "r2pdesk --self-test" to check it.
CONTROL
cat > "$STAGE/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && \
        gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
POST
chmod 755 "$STAGE/DEBIAN/postinst"

mkdir -p "$OUT"
DEB=$OUT/r2pdesk_${VERSION}_$ARCH.deb
dpkg-deb --build --root-owner-group -Z"${DEB_COMPRESS:-gzip}" "$STAGE" "$DEB"
echo "build-deb: $DEB ($(du -h "$DEB" | cut -f1))"
