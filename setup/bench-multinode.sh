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

bootstrap
ensure_multinode_venv
# Its own prefix: a leftover coi_bench_<pid> of another script is not dropped.
BENCH_DB_PREFIX=coi_multinode run_bench multinode.py "$ADDONS,fs_attachment_s3" --db "$@"
