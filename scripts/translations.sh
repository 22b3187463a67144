#!/usr/bin/env bash
# Compile the Babel catalogs in translations/ (the .mo files are build output, not committed).
set -euo pipefail
BIN=${1:-.venv/bin}
if compgen -G "translations/*/LC_MESSAGES/messages.po" >/dev/null; then
  "$BIN/pybabel" -q compile -d translations
fi
