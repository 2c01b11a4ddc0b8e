#!/usr/bin/env bash
# Several Odoo nodes on one database with attachments in S3 (not a test):
# a copy of the template database with the three addons and OCA's
# fs_attachment_s3, then bench/multinode.py starts moto (a local S3 API),
# two HTTP nodes and a cron node, and prints uploads, notices, duplicates
# and lost uploads; it exits 1 on a duplicate or a lost upload. Drops its
# database at the end. Adds moto and fs_attachment_s3 to the venv (once).
#
#   setup/bench-multinode.sh                        about 8 minutes here
#   setup/bench-multinode.sh --uploads 10 --burst 20 --vendors 300   quicker
#   setup/bench-multinode.sh --help                 every option
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH="$REPO_DIR/bench/multinode.py"
bootstrap
ensure_multinode_venv
case " $* " in
*" --help "* | *" -h "*) exec "$VENV/bin/python" "$BENCH" --help ;;
esac

mkdir -p "$REPO_DIR/.logs"
template=$(ensure_template)
# Its own prefix: a leftover coi_bench_<pid> of another script is not dropped.
db="coi_multinode_$$"
trap 'drop_db "$db"' EXIT
log "Installing the three addons and fs_attachment_s3 in $db"
copy_db "$template" "$db"
odoo_bin -d "$db" -i "$ADDONS,fs_attachment_s3" --stop-after-init --no-http --log-level=warn \
    >"$REPO_DIR/.logs/bench-install.log" 2>&1 ||
    { tail -n 40 "$REPO_DIR/.logs/bench-install.log"; die "installing the addons failed"; }
ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" "$BENCH" --db "$db" "$@"
