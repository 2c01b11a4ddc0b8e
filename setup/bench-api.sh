#!/usr/bin/env bash
# Latency of the JSON API at scale (not a test): see bench/api.py.
#   setup/bench-api.sh [--size 10000] [--requests 3000] [--concurrency 16]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bootstrap
template=$(ensure_template)
db="coi_bench_api_$$"
trap 'drop_db "$db"' EXIT
copy_db "$template" "$db"
mkdir -p "$REPO_DIR/.logs"
odoo_bin -d "$db" -i coi_tracking_api --stop-after-init --no-http --log-level=warn \
    >"$REPO_DIR/.logs/bench-api-install.log" 2>&1 || die "installing coi_tracking_api failed"
ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" "$REPO_DIR/bench/api.py" --db "$db" "$@"
