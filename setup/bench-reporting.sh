#!/usr/bin/env bash
# Reporting at scale (not a test): see tests/bench/bench_reporting.py.
#   setup/bench-reporting.sh [--size 100000] [--runs 5]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bootstrap
template=$(ensure_template)
db="coi_bench_reporting_$$"
trap 'drop_db "$db"' EXIT
copy_db "$template" "$db"
mkdir -p "$REPO_DIR/.logs"
odoo_bin -d "$db" -i coi_tracking --stop-after-init --no-http --log-level=warn \
    >"$REPO_DIR/.logs/bench-reporting-install.log" 2>&1 || die "installing coi_tracking failed"
ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" "$REPO_DIR/tests/bench/bench_reporting.py" --db "$db" "$@"
