#!/usr/bin/env bash
# Builds each addon as a wheel the way OCA addons are packaged (whool: the
# distribution odoo-addon-<addon>, installed into the odoo/addons namespace,
# the manifest's depends and external_dependencies as requirements), installs
# the wheels into a clean venv and checks what pip and Python see there.
# Needs git (whool lists an addon's files with git ls-files: only committed or
# staged files go into a wheel), python3 with venv, and PyPI for `build` and
# `whool` (about 20 s in all). setup/test.sh runs it after pytest and adds
# its counts to its own.
#
#   setup/package.sh              wheels in dist/, checked; last line "N passed, N failed"
#   KEEP_VENV=1 setup/package.sh  keep the temporary venvs (path printed)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ADDON_DIRS=(coi_tracking coi_tracking_portal coi_tracking_api)
DIST="$REPO_DIR/dist"
started=$SECONDS

git -C "$REPO_DIR" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    die "$REPO_DIR is not a git work tree: whool lists an addon's files with git ls-files"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/coi-package.XXXXXX")
if [ -n "${KEEP_VENV:-}" ]; then
    log "Keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
fi

# pip, quiet, without the noise of this machine's local index settings.
quiet_pip() {
    local py=$1
    shift
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip "$@" 2>&1 |
        { grep -v "is ignored: it is neither a file nor a directory" || true; }
    return "${PIPESTATUS[0]}"
}

log "Build tools (build, whool) from PyPI into $tmp/build-venv"
"$PYTHON" -m venv "$tmp/build-venv"
quiet_pip "$tmp/build-venv/bin/python" install -q build whool ||
    die "could not install build and whool from PyPI"

mkdir -p "$DIST"
rm -f "$DIST"/odoo_addon_coi_tracking*.whl
for addon in "${ADDON_DIRS[@]}"; do
    log "Building the wheel of $addon"
    # No build isolation: whool comes from the build venv, not once per addon.
    "$tmp/build-venv/bin/python" -m build --wheel --no-isolation --outdir "$DIST" \
        "$REPO_DIR/$addon" >"$tmp/build-$addon.log" 2>&1 ||
        { tail -n 20 "$tmp/build-$addon.log" >&2; log "building $addon failed"; }
done

shopt -s nullglob
wheels=("$DIST"/odoo_addon_coi_tracking*.whl)
shopt -u nullglob
for wheel in "${wheels[@]}"; do
    printf '  %8d bytes  %s\n' "$(stat -c %s "$wheel")" "$(basename "$wheel")" >&2
done

log "A clean venv in $tmp/venv, the wheels installed with --no-deps"
"$PYTHON" -m venv "$tmp/venv"
install_ok=0
if [ ${#wheels[@]} -gt 0 ] &&
    quiet_pip "$tmp/venv/bin/python" install -q --no-deps "${wheels[@]}"; then
    install_ok=1
fi

# The checks, with the clean venv's Python (standard library only): one
# "ok" or "FAIL" line each.
set +e
"$tmp/venv/bin/python" "$REPO_DIR/setup/package_checks.py" "$REPO_DIR" "$DIST" \
    "$install_ok" "${ADDON_DIRS[@]}" | tee "$tmp/checks.log"
rc=${PIPESTATUS[0]}
set -e
passed=$(grep -c '^ok ' "$tmp/checks.log" || true)
failed=$(grep -c '^FAIL ' "$tmp/checks.log" || true)
# A checker that crashed is a failure even if no check said FAIL.
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
log "Wheels in $DIST; $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
