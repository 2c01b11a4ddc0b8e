#!/usr/bin/env bash
# Validates the deployment files without deploying them:
#   - nginx -t on deploy/nginx/odoo.conf, included in a minimal nginx.conf
#     written to a temporary directory (the upstream host names web1, web2
#     resolve only inside the compose network: the copy tested points them
#     at 127.0.0.1, listens on an unprivileged port so that any user can run
#     it, and keeps its static cache in the temporary directory);
#   - docker compose config on deploy/docker-compose.yml, when docker is here.
# Exit status 0 when everything checked passes; nginx missing is an error.
set -euo pipefail

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NGINX="${NGINX:-$(command -v nginx || true)}"
[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
if [ -z "$NGINX" ]; then
    echo "check.sh: nginx not found (apt-get install nginx)" >&2
    exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/cache" "$tmp/logs"

sed -E \
    -e 's/^([[:space:]]*server[[:space:]]+)[A-Za-z][A-Za-z0-9_.-]*(:[0-9]+;)/\1127.0.0.1\2/' \
    -e 's/^([[:space:]]*listen[[:space:]]+)[0-9]+;/\1127.0.0.1:18080;/' \
    -e "s#/var/cache/nginx/#$tmp/cache/#" \
    "$DEPLOY_DIR/nginx/odoo.conf" >"$tmp/site.conf"

cat >"$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $tmp/client_body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    include $tmp/site.conf;
}
CONF

"$NGINX" -t -p "$tmp" -e "$tmp/logs/error.log" -c "$tmp/nginx.conf"

if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
    docker compose -f "$DEPLOY_DIR/docker-compose.yml" config -q
    echo "check.sh: docker compose config: ok"
else
    echo "check.sh: docker compose not here, compose file not checked (tests/test_deploy_files.py reads it)"
fi
