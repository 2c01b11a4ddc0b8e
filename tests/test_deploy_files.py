"""The deployment files for several nodes (deploy/) hold together: the compose
services and their roles, the nginx site (websocket and X-Accel-Redirect
routes), Odoo's config as Odoo itself parses it, and `nginx -t` through
deploy/check.sh. nginx and Odoo are installed by setup (setup/lib.sh): when
either is missing the tests fail instead of skipping."""

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
WEB_NODES = ("web1", "web2")
ODOO_NODES = (*WEB_NODES, "cron")


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]


@pytest.fixture(scope="module")
def site():
    return (DEPLOY / "nginx" / "odoo.conf").read_text()


@pytest.fixture(scope="module")
def odoo_conf():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(DEPLOY / "odoo.conf")
    return parser["options"]


def command(service):
    value = service["command"]
    return value if isinstance(value, list) else shlex.split(value)


def option(args, name):
    """The value of `--name=value` or `--name value` in a command, else None."""
    for i, arg in enumerate(args):
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
        if arg == f"--{name}" and i + 1 < len(args):
            return args[i + 1]
    return None


def upstreams(site):
    return {
        name: re.findall(r"^\s*server\s+(\S+?);", body, re.M)
        for name, body in re.findall(r"upstream\s+(\w+)\s*\{([^}]*)\}", site)
    }


def location(site, path):
    found = re.search(rf"location\s+{re.escape(path)}\s*\{{([^}}]*)\}}", site)
    assert found, f"nginx/odoo.conf has no location {path}"
    return found.group(1)


def directive(block, name):
    return re.findall(rf"^\s*{name}\s+([^;]+);", block, re.M)


# Compose


def test_compose_has_every_role(services):
    assert {"db", "objectstore", "web1", "web2", "cron", "proxy"} <= set(services)


def test_web_nodes_serve_http_without_crons(services):
    for name in WEB_NODES:
        args = command(services[name])
        assert option(args, "max-cron-threads") == "0", name
        assert "--no-http" not in args, name


def test_cron_node_runs_jobs_without_http(services):
    args = command(services["cron"])
    assert "--no-http" in args
    assert int(option(args, "max-cron-threads")) > 0


def test_odoo_nodes_share_image_config_addons_and_data(services):
    nodes = [services[name] for name in ODOO_NODES]
    for key in ("image", "build", "volumes", "environment"):
        assert all(node[key] == nodes[0][key] for node in nodes), key
    volumes = nodes[0]["volumes"]
    assert "odoo-data:/var/lib/odoo" in volumes
    assert "./odoo.conf:/etc/odoo/odoo.conf:ro" in volumes
    assert "..:/mnt/extra-addons:ro" in volumes
    assert all(node["depends_on"]["db"]["condition"] == "service_healthy" for node in nodes)
    assert nodes[0]["environment"]["HOST"] == "db"


def test_object_store_credentials_come_from_the_environment(services):
    store = services["objectstore"]
    assert store["image"].startswith("minio/minio")
    for key in ("MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"):
        assert store["environment"][key].startswith("${COI_S3_"), key
    init = services["objectstore-init"]
    assert "mc mb --ignore-existing" in " ".join(init["command"])
    keys = init["environment"]
    assert keys["AWS_ACCESS_KEY_ID"] == store["environment"]["MINIO_ROOT_USER"]
    assert keys["AWS_SECRET_ACCESS_KEY"] == store["environment"]["MINIO_ROOT_PASSWORD"]
    web = services["web1"]
    assert web["depends_on"]["objectstore-init"]["condition"] == "service_completed_successfully"
    assert web["environment"]["AWS_ENDPOINT_URL"] == "http://objectstore:9000"


def test_proxy_publishes_the_site_and_reads_the_filestore(services):
    proxy = services["proxy"]
    assert "./nginx/odoo.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert "odoo-data:/var/lib/odoo:ro" in proxy["volumes"]
    assert set(WEB_NODES) <= set(proxy["depends_on"])


# nginx site


def test_http_upstream_lists_every_web_node(site):
    assert upstreams(site)["coi_odoo"] == [f"{name}:8069" for name in WEB_NODES]
    assert directive(location(site, "/"), "proxy_pass") == ["http://coi_odoo"]


def test_websocket_goes_to_the_gevent_port(site):
    block = location(site, "/websocket")
    (target,) = directive(block, "proxy_pass")
    servers = upstreams(site)[target.removeprefix("http://")]
    assert servers == [f"{name}:8072" for name in WEB_NODES]
    assert "Upgrade $http_upgrade" in directive(block, "proxy_set_header")
    assert any(h.startswith("Connection ") for h in directive(block, "proxy_set_header"))
    assert directive(block, "proxy_http_version") == ["1.1"]
    # a location's proxy_set_header replaces the server's: all must be here
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert any(h.startswith(header + " ") for h in directive(block, "proxy_set_header"))


def test_forwarded_headers_and_upload_size(site):
    server_level = site.split("location", 1)[0]
    headers = directive(server_level, "proxy_set_header")
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert any(h.startswith(header + " ") for h in headers), header
    (size,) = directive(server_level, "client_max_body_size")
    assert size.endswith("m") and int(size[:-1]) > 20


def test_x_accel_location_matches_odoos_path(site, odoo_conf):
    # Odoo 19 (odoo/http.py, Stream.get_response): with x_sendfile, the header
    # is "/web/filestore/" + the file's path relative to <data_dir>/filestore.
    block = location(site, "/web/filestore/")
    assert "internal" in [line.strip(" ;") for line in block.splitlines()]
    assert directive(block, "alias") == [odoo_conf["data_dir"].rstrip("/") + "/filestore/"]


def test_static_files_are_cached(site):
    block = location(site, "/web/static/")
    assert directive(block, "proxy_cache") and directive(block, "expires")


# Odoo config


def test_odoo_conf_for_nodes_behind_a_proxy(odoo_conf):
    assert odoo_conf["proxy_mode"] == "True"
    assert odoo_conf["x_sendfile"] == "True"
    assert odoo_conf["max_cron_threads"] == "0"
    assert int(odoo_conf["workers"]) > 0
    assert odoo_conf["db_host"] == "db"
    assert "db_replica_host" not in odoo_conf  # optional, commented out
    assert "; db_replica_host = " in (DEPLOY / "odoo.conf").read_text()


def test_odoo_parses_the_config(tmp_path):
    odoo_path = Path(os.environ.get("ODOO_PATH", "/opt/odoo19"))
    assert (odoo_path / "odoo-bin").is_file(), f"no Odoo at {odoo_path} (setup brings it)"
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from odoo.tools import config;"
        "config.parse_config(['-c', sys.argv[2], '--data-dir', sys.argv[3]]);"
        "print(config['proxy_mode'], config['x_sendfile'], config['workers'],"
        " config['max_cron_threads'], config['smtp_ssl'])"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(odoo_path), str(DEPLOY / "odoo.conf"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "True", "4", "0", "True"]


# nginx -t


def test_nginx_accepts_the_site():
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    assert nginx, "nginx is not installed: setup/lib.sh installs it (APT_PACKAGES)"
    run = subprocess.run(
        [str(DEPLOY / "check.sh")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NGINX": nginx},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "test is successful" in run.stderr
