#!/usr/bin/env bash
# Vendor Leaflet into webapp/static/vendor/leaflet/ so the map never loads anything from a CDN.
#
# Usage: scripts/vendor-leaflet.sh [version]   (default 1.9.4; needs npm)
#
# It downloads the package tarball from the npm registry with `npm pack`, checks its integrity against
# the registry's (npm does that), and copies only what the site serves: dist/leaflet.js, dist/leaflet.css,
# the marker and layer images and the LICENSE. Commit the result; the app serves it from /static/vendor/leaflet/.
# To upgrade: run it with the new version, update LEAFLET_VERSION in webapp/site/map.py, and run the browser tests.
set -euo pipefail
VERSION="${1:-1.9.4}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/webapp/static/vendor/leaflet"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "leaflet@$VERSION" >/dev/null)
tar -xzf "$WORK/leaflet-$VERSION.tgz" -C "$WORK"
PKG="$WORK/package"

rm -rf "$DEST"
mkdir -p "$DEST/images"
cp "$PKG/dist/leaflet.js" "$PKG/dist/leaflet.css" "$PKG/LICENSE" "$DEST/"
cp "$PKG/dist/images/"*.png "$DEST/images/"
# The source map comment points at a file we do not ship; drop it so browsers do not ask for it.
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/leaflet.js"
echo "$VERSION" > "$DEST/VERSION"
echo "Leaflet $VERSION vendored in $DEST"
ls -l "$DEST" "$DEST/images"
