#!/usr/bin/env bash
# Refresh the vendored front-end assets in web/static/vendor/ from the npm registry.
#
#   scripts/vendor-assets.sh           install the exact versions of web/package-lock.json
#                                      (npm ci) and copy the files into web/static/vendor/
#   scripts/vendor-assets.sh --check   build the same files in a temporary folder and fail
#                                      when the committed files differ from them
#
# To move to a newer release: edit the exact version in web/package.json, run
# `npm install --ignore-scripts --legacy-peer-deps` in web/ to update the lock file, run this
# script, update docs/vendored.md and commit web/package*.json, web/static/vendor/ and the doc.
#
# node_modules is never committed (web/node_modules is in .gitignore). Peer dependencies are
# not installed (--legacy-peer-deps): vis-network's standalone build bundles everything it
# needs, and its peers would only bloat node_modules.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WEB="$ROOT/web"
DEST="$WEB/static/vendor"
MODE="${1:-copy}"

case "$MODE" in
  copy|--check) ;;
  *) echo "gebruik: $0 [--check]" >&2; exit 2 ;;
esac

command -v npm >/dev/null || { echo "npm ontbreekt: installeer Node.js en npm" >&2; exit 1; }

(cd "$WEB" && npm ci --ignore-scripts --no-audit --no-fund --legacy-peer-deps --loglevel=error >/dev/null)
NM="$WEB/node_modules"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# copy SRC DST: copy a file, dropping a trailing sourceMappingURL comment (the .map files are
# not vendored, and a browser with developer tools open would otherwise ask for them).
copy() {
  mkdir -p "$(dirname "$OUT/$2")"
  sed -e '/^\/\/# sourceMappingURL=/d' -e '/^\/\*# sourceMappingURL=.*\*\/$/d' "$NM/$1" > "$OUT/$2"
}

# axe-core: accessibility checks for the browser tests (never served to users by the pages).
copy axe-core/axe.min.js                               axe-core/axe.min.js
copy axe-core/LICENSE                                  axe-core/LICENSE
copy axe-core/LICENSE-3RD-PARTY.txt                    axe-core/LICENSE-3RD-PARTY.txt

# NL Design System: Utrecht component library CSS (EUPL-1.2) and the open "voorbeeld" design tokens
# (EUPL-1.2) under the .voorbeeld-theme class. Utrecht's own tokens are not open-licensed.
copy @utrecht/component-library-css/dist/index.css     utrecht/index.css
copy @utrecht/component-library-css/LICENSE.md         utrecht/LICENSE-component-library-css.md
copy @nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css  utrecht/design-tokens.css
copy @nl-design-system-unstable/voorbeeld-design-tokens/LICENSE.md      utrecht/LICENSE-design-tokens.md

# The font the tokens name ("Noto Sans Variable"): only the latin and latin-ext subsets,
# upright, variable weight; the @font-face rules point at files next to the CSS.
copy @fontsource-variable/noto-sans/LICENSE            noto-sans/LICENSE
# woff2 is binary: copied byte for byte, not through copy().
cp "$NM/@fontsource-variable/noto-sans/files/noto-sans-latin-wght-normal.woff2"     "$OUT/noto-sans/"
cp "$NM/@fontsource-variable/noto-sans/files/noto-sans-latin-ext-wght-normal.woff2" "$OUT/noto-sans/"
{
  echo "/* Noto Sans Variable (SIL OFL 1.1), from @fontsource-variable/noto-sans: latin and latin-ext, wght axis. */"
  awk '
    /^\/\* noto-sans-latin(-ext)?-wght-normal \*\/$/ { keep = 1 }
    keep { print }
    keep && /^}$/ { keep = 0 }
  ' "$NM/@fontsource-variable/noto-sans/index.css" | sed 's#url(./files/#url(./#'
} > "$OUT/noto-sans/noto-sans.css"

# Chart.js: the UMD build (one file, no dependencies) for the charts of the weerbaarheidsprofiel.
copy chart.js/dist/chart.umd.min.js                    chart.js/chart.umd.min.js
copy chart.js/LICENSE.md                               chart.js/LICENSE.md

# vis-network: the standalone UMD build (no peer libraries needed) and its stylesheet.
copy vis-network/standalone/umd/vis-network.min.js     vis-network/vis-network.min.js
copy vis-network/styles/vis-network.min.css            vis-network/vis-network.min.css
copy vis-network/LICENSE-APACHE-2.0                    vis-network/LICENSE-APACHE-2.0
copy vis-network/LICENSE-MIT                           vis-network/LICENSE-MIT

# @zazuko/yasgui: the SPARQL query page (/sparql). The UMD build bundles Yasqe, Yasr and CodeMirror.
# The npm package ships no LICENSE file; its package.json says MIT, author Triply, contributors Zazuko:
# the notice below records that with the standard MIT text.
copy @zazuko/yasgui/build/yasgui.min.js                yasgui/yasgui.min.js
copy @zazuko/yasgui/build/yasgui.min.css               yasgui/yasgui.min.css
copy @zazuko/yasgui/package.json                       yasgui/package.json
node -e '
const p = require(process.argv[1]);
if (p.license !== "MIT") { console.error("FOUT: licentie van @zazuko/yasgui is " + p.license); process.exit(1); }
console.log(`${p.name} ${p.version}: MIT License (package.json: "license": "MIT")
Copyright (c) Triply (${p.author}) and Zazuko GmbH; source: ${p.repository.url}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE.`);
' "$NM/@zazuko/yasgui/package.json" > "$OUT/yasgui/LICENSE.txt"

# The CSS must load nothing from another host: no @import at all, and every url() is either
# a data: URI or a relative file that is vendored next to it.
fail=0
for css in "$OUT"/utrecht/*.css "$OUT"/vis-network/*.css "$OUT"/noto-sans/*.css "$OUT"/yasgui/*.css; do
  if grep -q '@import' "$css"; then echo "FOUT: @import in ${css#$OUT/}" >&2; fail=1; fi
  while IFS= read -r ref; do
    case "$ref" in
      data:*) ;;
      http:*|https:*|//*) echo "FOUT: externe url($ref) in ${css#$OUT/}" >&2; fail=1 ;;
      *) [ -f "$(dirname "$css")/$ref" ] || { echo "FOUT: url($ref) in ${css#$OUT/} wijst naar een bestand dat niet is meegeleverd" >&2; fail=1; } ;;
    esac
  done < <(grep -o 'url([^)]*)' "$css" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']$//")
done
[ "$fail" = 0 ] || exit 1

if [ "$MODE" = "--check" ]; then
  if diff -r "$OUT" "$DEST" >/dev/null; then
    echo "web/static/vendor komt overeen met web/package-lock.json"
  else
    diff -rq "$OUT" "$DEST" >&2 || true
    echo "web/static/vendor wijkt af van web/package-lock.json: draai scripts/vendor-assets.sh" >&2
    exit 1
  fi
else
  rm -rf "$DEST"
  mkdir -p "$DEST"
  cp -R "$OUT"/. "$DEST"/
  echo "bijgewerkt: web/static/vendor ($(find "$DEST" -type f | wc -l) bestanden)"
fi
