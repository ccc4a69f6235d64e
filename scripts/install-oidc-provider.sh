#!/usr/bin/env bash
# The OpenID Connect provider for the single sign-on tests (panva's oidc-provider, pinned in
# tests/oidc/package-lock.json), installed from the npm registry when missing.
set -euo pipefail
cd "$(dirname "$0")/../tests/oidc"
[ -d node_modules/oidc-provider ] && exit 0
if ! command -v npm >/dev/null; then
  echo "npm ontbreekt; installeren met apt-get …" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
fi
npm ci --silent --no-audit --no-fund
