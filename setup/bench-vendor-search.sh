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

run_bench vendor_search.py coi_tracking --db "$@"
