#!/usr/bin/env bash
# Install what the browser tests (tests/browser/) need, only when it is missing:
#   - Debian's chromium at /usr/bin/chromium (apt-get; Playwright's own browser download does
#     not work on machines without internet, so the tests drive this one);
#   - the Python package playwright, pinned, in the virtual environment given as $1 (default .venv).
# Idempotent and silent when everything is present; exits non-zero when an install fails.
#
#   scripts/install-browser.sh [VENV]
set -euo pipefail

PLAYWRIGHT_VERSION="1.65.2"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${1:-$ROOT/.venv}"
PY="$VENV/bin/python"

if [ ! -x /usr/bin/chromium ]; then
  echo "chromium ontbreekt: installeren met apt-get" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "chromium installeren vraagt root of sudo" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet; update once, then install.
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] || { echo "chromium is niet geïnstalleerd" >&2; exit 1; }
fi

if [ ! -x "$PY" ]; then
  echo "geen virtuele omgeving in $VENV: maak die eerst (make install)" >&2
  exit 1
fi

installed="$("$PY" -c 'import importlib.metadata as m; print(m.version("playwright"))' 2>/dev/null || true)"
if [ "$installed" != "$PLAYWRIGHT_VERSION" ]; then
  echo "playwright $PLAYWRIGHT_VERSION installeren in $VENV" >&2
  "$PY" -m pip install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi
