#!/usr/bin/env bash
# The API keeps its contract (not a test): schemathesis with every check,
# 100 examples per operation and the links followed, against a live server
# with the three addons; see bench/api_fuzz.py. Last line:
# "N server errors, N schema violations".
#   setup/fuzz-api.sh [--examples 100] [--seed N] [--json .logs/api_fuzz.json]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bootstrap
template=$(ensure_template)
db="coi_fuzz_api_$$"
trap 'drop_db "$db"' EXIT
copy_db "$template" "$db"
mkdir -p "$REPO_DIR/.logs"
log "Installing $ADDONS on $db"
odoo_bin -d "$db" -i "$ADDONS" --stop-after-init --no-http --log-level=warn \
    >"$REPO_DIR/.logs/fuzz-api-install.log" 2>&1 || die "installing the addons failed (see .logs/fuzz-api-install.log)"
ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" "$REPO_DIR/bench/api_fuzz.py" --db "$db" "$@"
