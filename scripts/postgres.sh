#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests, from Debian's package (installed when missing).
# Runs as the `postgres` user (initdb refuses root) in a fresh directory, listening on 127.0.0.1 on a free
# port. Prints the DATABASE_URL on stdout (everything else goes to stderr); stop the server with
#   scripts/postgres.sh stop <data dir>      (the data dir is printed on stderr as "data: ...")
# Usage: scripts/postgres.sh [start] | scripts/postgres.sh stop DIR
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "${dir}/initdb" && -x "${dir}/pg_ctl" ]]; then
            echo "${dir}"
        fi
    done | sort -V | tail -n 1
}

as_postgres() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [[ "${1:-start}" == "stop" ]]; then
    DATA="${2:?usage: postgres.sh stop DATA_DIR}"
    BIN="$(find_bin)"
    as_postgres "${BIN}/pg_ctl" -D "${DATA}/db" -m fast -w stop >&2 || true
    rm -rf "${DATA}"
    exit 0
fi

BIN="$(find_bin)"
if [[ -z "${BIN}" ]]; then
    log "PostgreSQL not found; installing Debian's postgresql package"
    if [[ "$(id -u)" != "0" ]]; then
        log "need root for apt-get"; exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    BIN="$(find_bin)"
    [[ -n "${BIN}" ]] || { log "postgresql installed but initdb not found"; exit 1; }
fi
if [[ "$(id -u)" == "0" ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
DATA="$(mktemp -d /tmp/dichtbij-pg.XXXXXX)"
chmod 755 "${DATA}"
[[ "$(id -u)" == "0" ]] && chown postgres "${DATA}"

as_postgres "${BIN}/initdb" -D "${DATA}/db" -U dichtbij --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
    || as_postgres "${BIN}/initdb" -D "${DATA}/db" -U dichtbij --auth=trust -E UTF8 --no-locale >&2
as_postgres "${BIN}/pg_ctl" -D "${DATA}/db" -l "${DATA}/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p ${PORT} -k ${DATA} -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2
as_postgres "${BIN}/createdb" -h 127.0.0.1 -p "${PORT}" -U dichtbij dichtbij >&2
log "data: ${DATA}"
echo "postgresql+psycopg://dichtbij@127.0.0.1:${PORT}/dichtbij"
