#!/usr/bin/env bash
# Runs every test of the suite: lint, the pure-Python tests under tests/
# (pytest), the wheels' checks (setup/package.sh) and Odoo's test runner for
# the three addons on a fresh database.
# Last line: "N passed, N failed" (totals over both runners).
#
#   setup/test.sh                 everything
#   setup/test.sh --odoo-only     only Odoo's runner
#   setup/test.sh --pytest-only   only lint, pytest and the wheels
#   COI_TEST_TAGS=/coi_tracking:TestX setup/test.sh --odoo-only   a subset
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_pytest=1
run_odoo=1
case "${1:-}" in
--odoo-only) run_pytest=0 ;;
--pytest-only) run_odoo=0 ;;
"") ;;
*) die "usage: setup/test.sh [--odoo-only|--pytest-only]" ;;
esac

bootstrap
cd "$REPO_DIR"
LOG_DIR="$REPO_DIR/.logs"
mkdir -p "$LOG_DIR"

passed=0
failed=0
problems=()

if [ $run_pytest -eq 1 ]; then
    log "Lint: ruff check and ruff format --check"
    if ! "$VENV/bin/ruff" check --quiet . || ! "$VENV/bin/ruff" format --check --quiet .; then
        problems+=("ruff reports problems")
    fi

    log "Pure-Python tests (pytest tests/)"
    junit="$LOG_DIR/pytest.xml"
    set +e
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$junit" tests
    set -e
    read -r p f < <("$VENV/bin/python" - "$junit" <<'EOF'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(tests - bad - skipped, bad + skipped)
EOF
)
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$p" -gt 0 ] || problems+=("pytest ran no test")
    [ "$f" -eq 0 ] || problems+=("pytest: $f failed, errored or skipped")

    # About 20 s: build and whool from PyPI, three wheels, a clean venv.
    log "Packaging: the wheels built and checked in a clean venv (setup/package.sh, log in .logs/package.log)"
    set +e
    bash "$REPO_DIR/setup/package.sh" >"$LOG_DIR/package.log" 2>&1
    set -e
    grep -a "^FAIL " "$LOG_DIR/package.log" || true
    counts=$(tail -n1 "$LOG_DIR/package.log")
    if [[ "$counts" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1]))
        failed=$((failed + BASH_REMATCH[2]))
        [ "${BASH_REMATCH[2]}" -eq 0 ] || problems+=("setup/package.sh: ${BASH_REMATCH[2]} failed")
    else
        tail -n 20 "$LOG_DIR/package.log"
        problems+=("setup/package.sh printed no result: see .logs/package.log")
        failed=$((failed + 1))
    fi
fi

if [ $run_odoo -eq 1 ]; then
    # A template database with the dependencies installed (and their demo
    # data) is made once and copied for each run: the copy is the fresh
    # database our addons are installed and tested on.
    template=$(ensure_template)
    db="coi_test_$$"
    copy_db "$template" "$db"
    port=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    tags="${COI_TEST_TAGS:-/coi_tracking,/coi_tracking_portal,/coi_tracking_api}"
    # One log per run (several runs may share a checkout); the last one is
    # also at .logs/odoo-test.log.
    odoo_log="$LOG_DIR/odoo-test.$$.log"
    log "Odoo tests on fresh database $db (tags $tags, log in $odoo_log)"
    set +e
    odoo_bin -d "$db" -i "$ADDONS" --with-demo --test-enable --test-tags "$tags" \
        --stop-after-init --http-port="$port" --http-interface=127.0.0.1 \
        --workers=0 --max-cron-threads=0 2>&1 | tee "$odoo_log" |
        grep -aE --line-buffered "( ERROR | CRITICAL |odoo\.tests\.result|FAIL:|ERROR:|Chrome executable not found)"
    rc=${PIPESTATUS[0]}
    set -e
    drop_db "$db"
    cp "$odoo_log" "$LOG_DIR/odoo-test.log"

    result=$(grep -aE "odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$odoo_log" | tail -n1 || true)
    if [ -z "$result" ]; then
        problems+=("Odoo's runner printed no result (exit code $rc): see $odoo_log")
        failed=$((failed + 1))
    else
        read -r f e n < <(sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$result")
        passed=$((passed + n - f - e))
        failed=$((failed + f + e))
        [ "$n" -gt 0 ] || problems+=("Odoo's runner ran no test")
        [ "$rc" -eq 0 ] || problems+=("Odoo exited with code $rc")
    fi
    if grep -aq "Chrome executable not found" "$odoo_log"; then
        problems+=("browser tests were skipped: Chromium not found")
    fi
    # Warnings from our own code (deprecations included) are failures too.
    ours=$(grep -aE " WARNING " "$odoo_log" | grep -aE "coi_tracking" || true)
    if [ -n "$ours" ]; then
        printf '%s\n' "$ours" | head -n 20
        problems+=("warnings logged by the COI addons")
    fi
fi

for p in "${problems[@]}"; do
    printf '\033[1;31m[coi] FAILED:\033[0m %s\n' "$p" >&2
done
if [ ${#problems[@]} -gt 0 ] && [ "$failed" -eq 0 ]; then
    failed=${#problems[@]}
fi
echo "$passed passed, $failed failed"
[ ${#problems[@]} -eq 0 ] && [ "$failed" -eq 0 ]
