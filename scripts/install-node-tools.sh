#!/usr/bin/env bash
# The Node tools of the tests, pinned by their package-lock.json and installed from the npm registry when
# missing: a real OpenID Connect provider (tests/oidc) and the API Design Rules linter (tests/spectral).
set -euo pipefail
cd "$(dirname "$0")/../tests"
if ! command -v npm >/dev/null; then
  echo "npm ontbreekt; installeren met apt-get …" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
fi
for tool in oidc spectral; do
  [ -d "$tool/node_modules" ] || (cd "$tool" && npm ci --silent --no-audit --no-fund)
done
