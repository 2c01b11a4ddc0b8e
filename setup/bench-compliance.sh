#!/usr/bin/env bash
# Benchmark of the insurance compliance engine at scale (not a test): a fresh
# database with coi_tracking (no demo data), N vendors with 3 policies each,
# then the full recompute (twice) and the daily cron (+1 and +40 days), at
# N/10 and N vendors. Prints a table; drops its databases at the end.
#
#   setup/bench-compliance.sh                     10,000 vendors
#   setup/bench-compliance.sh --size 2000         a quicker run
#   setup/bench-compliance.sh --profile recompute_1   cProfile of a step (stderr)
#   setup/bench-compliance.sh --help              every option
#
# Options go to bench/compliance.py. Set COI_BENCH_STRICT=1 to
# exit 1 when a target (60 s, 1 GB, flat queries per vendor) is missed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

strict=()
[ "${COI_BENCH_STRICT:-0}" = 1 ] && strict=(--strict)
# Each size works on a copy of the database run_bench installs.
run_bench compliance.py coi_tracking --db-template "${strict[@]}" "$@"
