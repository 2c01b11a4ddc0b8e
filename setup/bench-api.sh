#!/usr/bin/env bash
# Latency of the JSON API at scale (not a test): see bench/api.py.
#   setup/bench-api.sh [--size 10000] [--requests 3000] [--concurrency 16]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_DB_PREFIX=coi_bench_api run_bench api.py coi_tracking_api --db "$@"
