#!/usr/bin/env bash
# Serves the COI tracking suite with demo data on http://localhost:8069
# (login admin / admin), after installing whatever is missing.
#
#   setup/run.sh           start (creates the demo database on first run)
#   setup/run.sh --reset   drop and recreate the demo database first
#   COI_DB=name COI_PORT=8070 setup/run.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${COI_DB:-coi_demo}"
PORT="${COI_PORT:-8069}"
reset=0
for arg in "$@"; do
    case "$arg" in
    --reset) reset=1 ;;
    *) die "usage: setup/run.sh [--reset]" ;;
    esac
done

bootstrap
mkdir -p "$REPO_DIR/.logs"

# The addons are updated in the database only when their files changed.
stamp="$REPO_DIR/.logs/run-$DB.stamp"
addons_hash() {
    (cd "$REPO_DIR" && find coi_tracking coi_tracking_portal coi_tracking_api -type f \
        ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

if [ $reset -eq 1 ]; then
    log "Dropping database $DB"
    drop_db "$DB"
fi
if ! db_exists "$DB"; then
    log "Creating database $DB with the COI addons and demo data (about a minute)"
    odoo_bin -d "$DB" -i "$ADDONS" --with-demo --stop-after-init --no-http \
        --log-level=warn >"$REPO_DIR/.logs/install-$DB.log" 2>&1 ||
        { tail -n 40 "$REPO_DIR/.logs/install-$DB.log"; drop_db "$DB"; die "installation failed"; }
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(addons_hash)" ]; then
    log "The COI addons changed since the last run: updating them in $DB"
    odoo_bin -d "$DB" -u "$ADDONS" --stop-after-init --no-http --log-level=warn \
        >"$REPO_DIR/.logs/update-$DB.log" 2>&1 ||
        { tail -n 40 "$REPO_DIR/.logs/update-$DB.log"; die "update failed"; }
fi
addons_hash >"$stamp"

# Outgoing mail of the demo goes to a local SMTP sink (the demo database's
# mail server is 127.0.0.1:2525): one .eml per message under .logs/mail/,
# listed in .logs/mail/index.html. It stops when Odoo stops.
MAIL_DIR="$REPO_DIR/.logs/mail"
"$VENV/bin/python" "$REPO_DIR/setup/mail_sink.py" --host 127.0.0.1 --port 2525 \
    --dir "$MAIL_DIR" >"$REPO_DIR/.logs/mail-sink.log" 2>&1 &
sink_pid=$!
trap 'kill "$sink_pid" 2>/dev/null || true' EXIT
sleep 1
if kill -0 "$sink_pid" 2>/dev/null; then
    log "Mail sent by Odoo is kept in $MAIL_DIR (open index.html)"
else
    log "warning: the mail sink did not start (port 2525 in use?): see .logs/mail-sink.log"
fi

log "Odoo is starting on http://localhost:$PORT  (login admin / admin, database $DB)"
"$VENV/bin/python" "$ODOO_PATH/odoo-bin" \
    --addons-path="$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$REPO_DIR" \
    -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
    --http-interface="${COI_HTTP_INTERFACE:-127.0.0.1}" ${COI_ODOO_ARGS:-}
