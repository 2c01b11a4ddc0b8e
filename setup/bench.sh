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

run_bench suite.py coi_tracking,coi_tracking_portal,coi_tracking_api --db-template "$@"
