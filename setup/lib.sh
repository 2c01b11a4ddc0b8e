# shellcheck shell=bash
# Shared bootstrap for setup/run.sh and setup/test.sh.
# Installs what is missing, idempotently: apt packages, a venv inside the
# repository with Odoo's and the project's Python requirements, a running
# PostgreSQL with a superuser role for the current user.

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo19}"
VENV="${COI_VENV:-$REPO_DIR/.venv}"
PYTHON="${COI_PYTHON:-python3}"
ODOO_BRANCH_URL="https://github.com/odoo/odoo.git"
ADDONS="coi_tracking,coi_tracking_portal,coi_tracking_api"
DEPENDENCIES="base,mail,purchase,portal"

log() { printf '\033[1;34m[coi]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[coi] error:\033[0m %s\n' "$*" >&2; exit 2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root for: $* (run as root or install sudo)"
    fi
}

ensure_odoo() {
    if [ -x "$ODOO_PATH/odoo-bin" ] && [ -d "$ODOO_PATH/odoo" ] && [ -d "$ODOO_PATH/addons" ]; then
        return
    fi
    if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
        die "ODOO_PATH=$ODOO_PATH exists but holds no Odoo 19 source (odoo-bin, odoo/, addons/). Set ODOO_PATH to an Odoo 19.0 source tree."
    fi
    log "No Odoo at $ODOO_PATH: trying to clone the official 19.0 branch"
    if command -v git >/dev/null && git ls-remote --heads "$ODOO_BRANCH_URL" 19.0 >/dev/null 2>&1; then
        git clone --depth 1 --branch 19.0 "$ODOO_BRANCH_URL" "$ODOO_PATH"
    else
        die "Odoo 19 source not found at ODOO_PATH=$ODOO_PATH and it cannot be cloned from here. Put an Odoo 19.0 source tree (odoo-bin, odoo/, addons/) there or set ODOO_PATH to one."
    fi
}

# nginx: `nginx -t` on deploy/nginx/odoo.conf (tests/test_deploy_files.py).
APT_PACKAGES=(libldap2-dev libsasl2-dev libpq-dev postgresql chromium tesseract-ocr wkhtmltopdf nginx)

ensure_apt() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; then :; else
        [ ${#missing[@]} -eq 0 ] || die "missing packages: ${missing[*]} (install them, or run as root)"
    fi
    [ ${#missing[@]} -eq 0 ] && return
    log "Installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

# Odoo's pins for Python 3.11, with the cryptography stack raised to Odoo's
# own 3.12 pins so that pdfplumber installs (see requirements.txt).
odoo_requirements() {
    grep -viE '^(cryptography|pyopenssl|urllib3)[ =;]' "$ODOO_PATH/requirements.txt"
}

# pip, without the noise of this machine's local index settings.
venv_pip() {
    "$VENV/bin/pip" "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}

ensure_venv() {
    local stamp="$VENV/.coi-stamp" want
    want=$(cat "$ODOO_PATH/requirements.txt" "$REPO_DIR/requirements.txt" \
        "$REPO_DIR/requirements-test.txt" | sha256sum | cut -c1-16)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
        return
    fi
    log "Preparing the Python environment in $VENV (first run: about a minute)"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    venv_pip install -q --upgrade pip wheel "setuptools<81"
    local tmp
    tmp=$(mktemp)
    odoo_requirements >"$tmp"
    venv_pip install -q -r "$tmp" -r "$REPO_DIR/requirements.txt" \
        -r "$REPO_DIR/requirements-test.txt"
    rm -f "$tmp"
    "$VENV/bin/pip" check >/dev/null || log "warning: pip check reports conflicts"
    echo "$want" >"$stamp"
}

# What setup/bench-multinode.sh adds to the venv: moto (a local S3 API) and
# OCA's fs_attachment_s3 with its Python libraries. Odoo's pins (and ours)
# are constraints, so nothing Odoo runs on moves.
ensure_multinode_venv() {
    local stamp="$VENV/.coi-multinode-stamp" want tmp
    want=$(cat "$REPO_DIR/requirements-multinode.txt" "$REPO_DIR/requirements-oca-storage.txt" |
        sha256sum | cut -c1-16)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    log "Adding moto and OCA fs_attachment_s3 to $VENV"
    tmp=$(mktemp)
    { odoo_requirements; grep -v '^#' "$REPO_DIR/requirements.txt"; } >"$tmp"
    venv_pip install -q -c "$tmp" -r "$REPO_DIR/requirements-multinode.txt"
    rm -f "$tmp"
    venv_pip install -q --no-deps -r "$REPO_DIR/requirements-oca-storage.txt"
    echo "$want" >"$stamp"
}

ensure_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        log "Starting PostgreSQL"
        local version
        version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
        [ -n "$version" ] || die "PostgreSQL is not installed (no /etc/postgresql)"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
            as_root pg_ctlcluster "$version" main start
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not start"
    fi
    local me
    me=$(id -un)
    if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1; then
        log "Creating PostgreSQL role $me"
        as_root su postgres -c "createuser -s $me"
    fi
}

bootstrap() {
    ensure_odoo
    ensure_apt
    ensure_venv
    ensure_postgres
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_PATH/odoo-bin" \
        --addons-path="$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$REPO_DIR" "$@"
}

db_exists() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1
}

filestore_dir() {
    echo "${XDG_DATA_HOME:-$HOME/.local/share}/Odoo/filestore/$1"
}

drop_db() {
    dropdb --if-exists "$1" >/dev/null 2>&1 || dropdb --if-exists "$1"
    rm -rf "$(filestore_dir "$1")"
}

# copy_db SRC DST: a database and its filestore, in about a second.
copy_db() {
    drop_db "$2"
    createdb -T "$1" "$2"
    if [ -d "$(filestore_dir "$1")" ]; then
        mkdir -p "$(dirname "$(filestore_dir "$2")")"
        cp -a "$(filestore_dir "$1")" "$(filestore_dir "$2")"
    fi
}

# ensure_template: the name of a database with the dependencies (and their
# demo data) installed, made once and reused: copies of it are the fresh
# databases of tests and benchmarks.
ensure_template() {
    local odoo_version key template
    odoo_version=$(sed -n "s/^version_info = \(.*\)$/\1/p" "$ODOO_PATH/odoo/release.py")
    key=$(printf '%s|%s|%s' "$odoo_version" "$DEPENDENCIES" \
        "$(cat "$ODOO_PATH/requirements.txt")" | sha256sum | cut -c1-10)
    template="coi_tmpl_$key"
    if ! db_exists "$template"; then
        mkdir -p "$REPO_DIR/.logs"
        log "Creating template database $template (once, about a minute)"
        odoo_bin -d "$template" -i "$DEPENDENCIES" --with-demo --stop-after-init \
            --no-http --log-level=warn >"$REPO_DIR/.logs/template.log" 2>&1 ||
            { tail -n 40 "$REPO_DIR/.logs/template.log"; drop_db "$template"; die "template database failed"; }
    fi
    echo "$template"
}

# A benchmark script on its own copy of the template with `modules`
# installed, dropped when it ends (named <BENCH_DB_PREFIX, default
# coi_bench>_<pid>):
#   run_bench <script under bench/> <modules> <its database option> [args...]
run_bench() {
    local script="$REPO_DIR/bench/$1" modules=$2 db_option=$3 template
    shift 3
    case " $* " in
    *" --help "* | *" -h "*) exec "$VENV/bin/python" "$script" --help ;;
    esac
    bootstrap
    mkdir -p "$REPO_DIR/.logs"
    template=$(ensure_template)
    BENCH_DB="${BENCH_DB_PREFIX:-coi_bench}_$$"
    trap 'drop_db "$BENCH_DB"' EXIT
    log "Installing $modules in $BENCH_DB"
    copy_db "$template" "$BENCH_DB"
    odoo_bin -d "$BENCH_DB" -i "$modules" --stop-after-init --no-http --log-level=warn \
        >"$REPO_DIR/.logs/bench-install.log" 2>&1 ||
        { tail -n 40 "$REPO_DIR/.logs/bench-install.log"; die "installing $modules failed"; }
    ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" "$script" "$db_option" "$BENCH_DB" "$@"
}
