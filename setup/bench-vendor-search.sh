#!/usr/bin/env bash
# Benchmark of vendor search (name_search, name and reference `ilike`) with
# and without the trigram indexes (not a test): a copy of the template
# database with coi_tracking, N vendors inserted, timings and plans printed;
# drops its database at the end.
#
#   setup/bench-vendor-search.sh                    100,000 vendors (about 2 minutes)
#   setup/bench-vendor-search.sh --size 20000       a quicker run
#   setup/bench-vendor-search.sh --help             every option
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH="$REPO_DIR/bench/vendor_search.py"
case " $* " in
*" --help "* | *" -h "*) exec "$VENV/bin/python" "$BENCH" --help ;;
esac

bootstrap
mkdir -p "$REPO_DIR/.logs"
template=$(ensure_template)
db="coi_bench_$$"
trap 'drop_db "$db"' EXIT
log "Installing coi_tracking (no demo data) in $db"
copy_db "$template" "$db"
odoo_bin -d "$db" -i coi_tracking --stop-after-init --no-http --log-level=warn \
    >"$REPO_DIR/.logs/bench-install.log" 2>&1 ||
    { tail -n 40 "$REPO_DIR/.logs/bench-install.log"; die "installing coi_tracking failed"; }
ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" "$BENCH" --db "$db" "$@"
