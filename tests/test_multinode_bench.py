"""The pure parts of the several-nodes benchmark (bench/multinode.py): the
nodes' command lines (the roles of deploy/docker-compose.yml), the S3
storage it configures and README documents, the proxy-like retry and the
lost and duplicate counts. The scenario itself is a benchmark
(setup/bench-multinode.sh)."""

import json
import re
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import multinode  # noqa: E402 - bench/ is not a package


def args_of(role):
    return multinode.node_command("python", "odoo-bin", "ADDONS", "coi", role, 8070, 8073)


def option(command, name):
    values = [arg.split("=", 1)[1] for arg in command if arg.startswith(f"--{name}=")]
    return values[0] if values else None


def test_web_nodes_serve_one_database_with_workers_and_no_cron():
    web = args_of("web")
    assert web[web.index("-d") + 1] == "coi"
    assert option(web, "workers") == "2"
    assert option(web, "max-cron-threads") == "0"
    assert option(web, "http-port") == "8070"
    # Two web nodes on one machine: the websocket process of each its own port.
    assert option(web, "gevent-port") == "8073"
    assert "--proxy-mode" in web
    assert not any(arg.startswith("--db-filter") for arg in web)


def test_the_cron_node_runs_jobs_without_http():
    cron = args_of("cron")
    assert "--no-http" in cron
    assert option(cron, "max-cron-threads") == "1"
    assert option(cron, "workers") == "0"
    assert not any(arg.startswith(("--db-filter", "--http-port")) for arg in cron)
    with pytest.raises(ValueError):
        args_of("proxy")


def test_the_storage_keeps_pdfs_in_s3_and_takes_its_secrets_from_the_environment():
    values = multinode.storage_values(bucket="b")
    options = json.loads(values["options"])
    assert values["protocol"] == "s3"
    assert values["directory_path"] == "b"
    assert values["use_as_default_for_attachments"]
    assert values["eval_options_from_env"]
    assert options == {
        "endpoint_url": "$AWS_ENDPOINT_URL",
        "key": "$AWS_ACCESS_KEY_ID",
        "secret": "$AWS_SECRET_ACCESS_KEY",
    }
    # fs_attachment keeps in the database what these rules name: small
    # images, scripts and styles; a certificate (application/pdf) is none.
    rules = json.loads(values["force_db_for_default_attachment_rules"])
    assert not any("application/pdf".startswith(prefix) for prefix in rules)


def test_readme_documents_the_storage_the_benchmark_proves():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Running on several nodes") :]
    for key, value in multinode.storage_values().items():
        if key in ("name", "code", "directory_path"):
            continue
        assert re.search(rf"`{key}`[^\n]*`{re.escape(str(value))}`", section), key


def test_the_oca_pins_are_the_ones_deployed():
    pins = {
        line.strip()
        for line in (ROOT / "requirements-oca-storage.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert pins and all(pin in dockerfile for pin in pins)


def test_each_contractor_posts_from_its_own_address():
    addresses = {
        multinode.forwarded(requests.Session(), n, "http://127.0.0.1:8070").headers[
            "X-Forwarded-For"
        ]
        for n in range(2000)
    }
    assert len(addresses) == 2000
    session = multinode.forwarded(requests.Session(), 7, "http://127.0.0.1:8070")
    assert session.headers["X-Forwarded-Host"] == "127.0.0.1:8070"


def refused_error():
    return requests.ConnectionError(
        "HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded with url: / "
        "(Caused by NewConnectionError('Failed to establish a new connection: "
        "[Errno 111] Connection refused'))"
    )


def cut_error():
    return requests.ConnectionError(
        "('Connection aborted.', RemoteDisconnected('Remote end closed connection "
        "without response'))"
    )


def test_a_refused_connection_goes_to_the_next_node():
    def send(node):
        if node == "down":
            raise refused_error()
        return f"answer of {node}"

    assert multinode.with_failover(["up", "down"], 1, send) == (0, "answer of up", None)
    assert multinode.with_failover(["up", "down"], 0, send) == (0, "answer of up", None)
    index, answer, error = multinode.with_failover(["down", "down"], 0, send)
    assert (index, answer) == (None, None) and multinode.refused(error)


def test_a_request_cut_once_sent_is_not_sent_again():
    calls = []

    def send(node):
        calls.append(node)
        raise cut_error()

    index, answer, error = multinode.with_failover(["a", "b"], 1, send)
    assert (index, answer, calls) == (1, None, ["b"])
    assert not multinode.refused(error)


def test_a_node_known_down_is_skipped():
    calls = []

    def send(node):
        calls.append(node)
        return node

    assert multinode.with_failover(["a", "b"], 1, send, is_up=lambda i: i == 0) == (0, "a", None)
    assert calls == ["a"]


def test_lost_uploads_are_the_answered_ones_not_stored_byte_for_byte():
    answered = {1: b"one", 2: b"two", 3: b"three"}
    stored = {1: [b"one"], 2: [b"other", b"two"], 3: [b"thr"]}
    assert multinode.lost_uploads(answered, stored) == [3]
    assert multinode.lost_uploads({}, stored) == []


def test_duplicates_count_repeats():
    assert multinode.duplicated([]) == 0
    assert multinode.duplicated([("a", 1), ("b", 1)]) == 0
    assert multinode.duplicated([("a", 1), ("a", 1), ("a", 1), "b"]) == 2


class Page:
    def __init__(self, status_code, text):
        self.status_code, self.text = status_code, text


def test_an_upload_is_received_when_the_page_shows_its_result():
    assert multinode.received(Page(200, '<section class="card mb-4 o_coi_result">'))
    # Refused on a page answered 200: too many uploads from the address.
    assert not multinode.received(Page(200, '<div class="alert alert-warning">Too many'))
    assert not multinode.received(Page(400, "o_coi_result"))
    template = ROOT / "coi_tracking_portal" / "views" / "coi_upload_templates.xml"
    assert 'class="card mb-4 o_coi_result"' in template.read_text()
