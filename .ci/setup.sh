#!/usr/bin/env bash
# Install what the test suite needs beyond the Python packages: Java and the
# Nu Html Checker (vnu.jar, from the npm package vnu-jar) for the HTML validity
# tests, GNU gettext (msgfmt) for the catalog tests, and headless Chromium with
# its driver and a CJK font for the browser tests (tests/test_browser.py).
#
# Idempotent: installs only what is missing, so a second run does nothing.
# Runs as root (as CI does). Called by .ci/run before the tests.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
# Chinese pages must be drawn with real glyphs, not missing-glyph boxes.
ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
fi

if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$here/tools/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
    echo "setup: installing vnu-jar (Nu Html Checker) into $here/tools"
    mkdir -p "$here/tools"
    npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$here/tools" vnu-jar
fi

echo "setup: java: $(command -v java), msgfmt: $(command -v msgfmt), vnu.jar: $here/tools/node_modules/vnu-jar/build/dist/vnu.jar"
