#!/bin/sh
# The two Meilisearch keys the app uses, derived from MEILI_MASTER_KEY as Meilisearch derives them
# (hex HMAC-SHA256 of the key's uid; the uids are fixed in search/meili_keys.py), as export lines:
#   export MEILI_MASTER_KEY=$(openssl rand -hex 32)
#   eval "$(sh deploy/meili-keys.sh)"
# The meili-keys service of docker-compose.yml creates them in Meilisearch (`flask index keys --create`).
set -eu
: "${MEILI_MASTER_KEY:?set MEILI_MASTER_KEY first}"
derive() { printf %s "$1" | openssl dgst -sha256 -hmac "$MEILI_MASTER_KEY" | sed 's/^.*= //'; }
echo "export MEILI_SEARCH_KEY=$(derive 6f2b2a52-6a53-4c1e-9a0e-0d1c7b5e8a01)"
echo "export MEILI_ADMIN_KEY=$(derive 6f2b2a52-6a53-4c1e-9a0e-0d1c7b5e8a02)"
