#!/usr/bin/env bash
# The benchmark suite (not a test): recompute, daily cron, reports, API,
# upload-to-decision and extraction at one or more sizes; writes
# bench/BENCHMARKS.md (and bench/BENCHMARKS.json, the figures per size).
#
#   setup/bench.sh --size 10000                     about 5 minutes here
#   setup/bench.sh --size 1000 --size 100000        several sizes
#   setup/bench.sh --size 10000 --only api_can_work one scenario
#   setup/bench.sh --help                           every option
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH="$REPO_DIR/bench/suite.py"
case " $* " in
*" --help "* | *" -h "*) exec "$VENV/bin/python" "$BENCH" --help ;;
esac

bootstrap
mkdir -p "$REPO_DIR/.logs"
template=$(ensure_template)
db="coi_bench_$$"
trap 'drop_db "$db"' EXIT
log "Installing the three addons in $db"
copy_db "$template" "$db"
odoo_bin -d "$db" -i coi_tracking,coi_tracking_portal,coi_tracking_api --stop-after-init \
    --no-http --log-level=warn >"$REPO_DIR/.logs/bench-install.log" 2>&1 ||
    { tail -n 40 "$REPO_DIR/.logs/bench-install.log"; die "installing the addons failed"; }
ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" "$BENCH" --db-template "$db" "$@"
