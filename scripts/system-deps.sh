#!/usr/bin/env bash
# Debian packages the tests need: headless Chromium for the browser tests, nginx for the edge tests
# (tests/production/test_edge.py runs the production edge config in front of the app), docker-compose to
# validate the compose file.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
# validates docker-compose.yml (tests/production/test_deploy_files.py); no Docker engine is needed for that
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  # the Debian package starts a default site on port 80; the tests run their own nginx processes
  $SUDO service nginx stop >/dev/null 2>&1 || true
fi
command -v chromium
