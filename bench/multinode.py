"""Several Odoo nodes, one database, attachments in S3 (issue 18; a benchmark,
not a test).

    .venv/bin/python bench/multinode.py --db DB [--uploads 40] [--scans 4]
                                        [--burst 40] [--vendors 1000]

DB: a scratch database with coi_tracking, coi_tracking_portal,
coi_tracking_api and fs_attachment_s3 installed (setup/bench-multinode.sh
makes one and drops it). On this machine the script starts:

- an S3 API: moto in server mode, and a bucket in it;
- two HTTP nodes (`--workers=2`, `--max-cron-threads=0`, their own ports,
  the one database, no `--db-filter`) and a cron node (`--no-http
  --max-cron-threads=1`): the layout of deploy/docker-compose.yml;
- every node with the same AWS_* environment, and an fs.storage record
  (`storage_values`) that keeps every new attachment in the bucket.

Then:

a. certificates (text layer ACORD 25 drawn by bench/upload.py, each naming
   its vendor) posted through node 1's public upload link (the form opened
   on node 2: the session and its CSRF token are shared), plus a few scans
   that only the reading job can read (OCR), which runs on the cron node
   alone; the decisions are read from the database; each PDF is downloaded
   through node 2 (/web/content, logged in) and compared byte for byte; the
   attachment's store_fname names the S3 storage and its object is in the
   bucket;
b. with notices due on many generated vendors, the notice job is started
   by a trigger, run by the cron node; once its first batch is committed,
   at the same moment by "Run Manually" on node 1 and node 2 and by two
   direct calls of the job's method from this process (as `odoo shell`
   would): every notice is sent once, counted in mail.mail per message and
   recipient and in chatter messages;
c. a burst of uploads posted round-robin to both HTTP nodes, node 2 killed
   (SIGKILL to its master and workers) in the middle; a post that gets no
   answer is sent again to node 1, as a proxy would. Every upload answered
   200 must be a certificate afterwards, its file read back from S3 equal
   to what was posted.

Prints the figures (and a JSON line); exits 1 when a notice or an upload is
duplicated, an upload answered 200 is lost, or a file served back differs.
"""

import argparse
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import upload
from benchlib.database import open_registry
from benchlib.paths import LOG_DIR, ODOO_PATH, REPO_DIR, load_fixtures
from benchlib.server import free_port

ADDONS = ("coi_tracking", "coi_tracking_portal", "coi_tracking_api", "fs_attachment_s3")
STORAGE_CODE = "coi_s3"
BUCKET = "coi-attachments"
# moto accepts any credentials; production takes them from the environment.
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "coi-bench",
    "AWS_SECRET_ACCESS_KEY": "coi-bench-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}
# Loaded here: a child between fork and exec should import nothing.
LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
ADMIN_PASSWORD = "coi-bench-multinode"  # noqa: S105 - a scratch database's admin
RUNNER_LOGIN = "bench_notice_runner"


# -- the pure parts (tests/test_multinode_bench.py) -------------------------


def storage_values(bucket=BUCKET, code=STORAGE_CODE):
    """The fs.storage (OCA fs_storage + fs_attachment) that keeps attachments
    in an S3 bucket: endpoint and keys read from the AWS_* environment of
    each node when the storage is used, so the database holds no secret;
    default storage for attachments, with fs_attachment's rules that keep
    small images, JavaScript and CSS in the database (PDFs go to S3)."""
    return {
        "name": "COI attachments (S3)",
        "code": code,
        "protocol": "s3",
        "options": json.dumps(
            {
                "endpoint_url": "$AWS_ENDPOINT_URL",
                "key": "$AWS_ACCESS_KEY_ID",
                "secret": "$AWS_SECRET_ACCESS_KEY",
            }
        ),
        "eval_options_from_env": True,
        "directory_path": bucket,
        "use_as_default_for_attachments": True,
        "force_db_for_default_attachment_rules": json.dumps(
            {"image/": 51200, "application/javascript": 0, "text/css": 0}
        ),
    }


def node_command(python, odoo_bin, addons_path, db, role, port=None, gevent_port=None):
    """The command line of one node: "web" (two HTTP workers and the
    websocket process on their own ports, no scheduled job, behind a proxy)
    or "cron" (no HTTP, one cron worker). One database, no filter."""
    command = [
        str(python),
        str(odoo_bin),
        f"--addons-path={addons_path}",
        "-d",
        db,
        "--no-database-list",
        "--log-level=warn",
    ]
    if role == "web":
        return [
            *command,
            "--workers=2",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={gevent_port}",
            "--proxy-mode",
        ]
    if role == "cron":
        return [*command, "--no-http", "--workers=0", "--max-cron-threads=1"]
    raise ValueError(role)


def with_failover(nodes, first, send, is_up=None):
    """`send(node)` on nodes[first], then on the next node while the
    connection is refused, as a proxy does when an upstream is down (nginx
    retries a POST only when it could not connect: a request cut once sent
    may have been done, and is answered 502). `is_up(index)`: nodes known
    down are skipped. Returns (node index, answer, None) or (node index or
    None, None, the error)."""
    error = None
    for step in range(len(nodes)):
        index = (first + step) % len(nodes)
        if is_up is not None and not is_up(index):
            continue
        try:
            return index, send(nodes[index]), None
        except requests.ConnectionError as exc:
            error = exc
            if not refused(exc):
                return index, None, exc
    return None, None, error


def refused(error):
    """Whether a requests error is a connection that was never made (urllib3
    says "Failed to establish a new connection"), not one cut once sent."""
    text = str(error)
    return "NewConnectionError" in text or "Connection refused" in text


def received(response):
    """Whether the upload page says the certificate was received (its result
    card), not a refusal (a rejected file, too many uploads in the hour),
    which is answered 200 too."""
    return response.status_code == 200 and "o_coi_result" in response.text


def lost_uploads(answered, stored):
    """Uploads answered 200 (vendor id -> bytes posted) that are not stored:
    no certificate of that vendor holds these exact bytes (`stored`: vendor
    id -> list of the bytes of its certificates' files)."""
    return sorted(vendor for vendor, data in answered.items() if data not in stored.get(vendor, ()))


def duplicated(keys):
    """How many of `keys` repeat one seen before (0 when all differ)."""
    return len(keys) - len(set(keys))


# -- the object store and the nodes ------------------------------------------


class Cluster:
    """moto, two HTTP nodes and a cron node on one database."""

    def __init__(self, db, log_dir=LOG_DIR):
        self.db = db
        self.log_dir = Path(log_dir)
        self.processes = {}
        self.web = []  # base URLs of web1, web2
        self.s3_url = None

    def env(self):
        return {**os.environ, **S3_ENV, "AWS_ENDPOINT_URL": self.s3_url}

    def _spawn(self, name, command):
        log = open(self.log_dir / f"multinode-{name}.log", "w")
        # Its own process group: killing the node kills its workers too.
        self.processes[name] = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env(),
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        return self.processes[name]

    def start_s3(self):
        port = free_port()
        self.s3_url = f"http://127.0.0.1:{port}"
        self._spawn("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
        _wait(lambda: requests.get(f"{self.s3_url}/moto-api/", timeout=2).ok, 60, "moto")
        self.s3().create_bucket(Bucket=BUCKET)

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id=S3_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_ENV["AWS_SECRET_ACCESS_KEY"],
            region_name=S3_ENV["AWS_DEFAULT_REGION"],
        )

    def s3_keys(self):
        keys = set()
        for page in self.s3().get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            keys.update(item["Key"] for item in page.get("Contents", ()))
        return keys

    def start_nodes(self):
        addons = f"{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{REPO_DIR}"
        odoo_bin = ODOO_PATH / "odoo-bin"
        for name in ("web1", "web2"):
            port, gevent = free_port(), free_port()
            command = node_command(sys.executable, odoo_bin, addons, self.db, "web", port, gevent)
            self._spawn(name, command)
            self.web.append(f"http://127.0.0.1:{port}")
        cron = self._spawn("cron", node_command(sys.executable, odoo_bin, addons, self.db, "cron"))
        for root in self.web:
            _wait(lambda r=root: requests.get(f"{r}/web/health", timeout=5).ok, 180, root)
        # The cron node is up when its scheduler listens on PostgreSQL.
        _wait(lambda: _has_connection(f"odoo-{cron.pid}"), 120, "the cron node")

    def alive(self, name):
        return self.processes[name].poll() is None

    def kill(self, name):
        """SIGKILL to the node's master and its workers at once."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop(self):
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def forwarded(session, n, root):
    """The headers a proxy adds (deploy/nginx/odoo.conf) to what contractor
    `n` posts to the node at `root`: the contractor's own address, as on the
    internet (the upload link's hourly limit per address counts each one
    apart; all from 127.0.0.1, the 31st upload of the hour is refused)."""
    session.headers.update(
        {
            "X-Forwarded-For": f"10.18.{n // 250}.{n % 250 + 1}",
            "X-Forwarded-Host": root.split("://", 1)[1],
            "X-Forwarded-Proto": "http",
        }
    )
    return session


def _die_with_parent():
    """In the child: SIGTERM when this script ends, even by a crash (Linux
    prctl PR_SET_PDEATHSIG); Odoo's workers follow their master."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{what} did not start in {seconds} s (see .logs/multinode-*.log)")


def _has_connection(application_name):
    import psycopg2

    with psycopg2.connect(dbname="postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_stat_activity WHERE application_name = %s", [application_name])
        return bool(cr.fetchone())


# -- the data -----------------------------------------------------------------


def prepare(odoo, registry, args):
    """The S3 storage, the admin's password, the upload links (a: uploads and
    scans; c: the burst) and `args.vendors` generated vendors with notices
    due; the mail queue job stays off so that every queued mail is counted."""
    from benchlib import data

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        installed = env["ir.module.module"].search(
            [("name", "in", ADDONS), ("state", "=", "installed")]
        )
        missing = set(ADDONS) - set(installed.mapped("name"))
        if missing:
            raise SystemExit(f"{args.db} lacks {', '.join(sorted(missing))} (see the docstring)")
        env["fs.storage"].create(storage_values())
        env.ref("base.user_admin").password = ADMIN_PASSWORD
        env.ref("mail.ir_cron_mail_scheduler_action").active = False
        # Who calls the notice job directly (what it writes says so).
        env["res.users"].create({"name": "Bench notice runner", "login": RUNNER_LOGIN})
        data.generate(env, args.vendors, seed=args.seed)
        env["res.partner"]._coi_recompute_all()
        cr.commit()
    links = upload.links(odoo, registry, args.uploads + args.scans + args.burst)
    return {
        "uploads": links[: args.uploads],
        "scans": links[args.uploads : args.uploads + args.scans],
        "burst": links[args.uploads + args.scans :],
    }


def _documents(odoo, registry, vendor_ids):
    """vendor id -> [(certificate, state, attachment id, store_fname, bytes)]."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        found = {}
        certificates = env["coi.certificate"].search([("partner_id", "in", list(vendor_ids))])
        for certificate in certificates:
            for attachment in certificate.attachment_ids:
                found.setdefault(certificate.partner_id.id, []).append(
                    (
                        certificate.id,
                        certificate.state,
                        attachment.id,
                        attachment.store_fname,
                        attachment.raw,
                    )
                )
        return found


def _decisions(registry, vendor_ids, deadline):
    """Wait until every vendor's upload is decided (a receipt notice queued:
    accepted, revision, rejected or under review): vendor id -> status."""
    decided = {}
    while time.monotonic() < deadline and len(decided) < len(vendor_ids):
        with registry.cursor() as cr:
            cr.execute(
                """
                SELECT p.id, p.coi_status
                  FROM res_partner p
                  JOIN coi_notice n ON n.partner_id = p.id
                   AND n.kind IN ('accepted', 'revision', 'rejected', 'under_review')
                 WHERE p.id = ANY(%s)
                """,
                [list(vendor_ids)],
            )
            decided.update(cr.fetchall())
        time.sleep(0.5)
    return decided


# -- a. uploads through node 1, read, served by node 2 ----------------------


def phase_uploads(cluster, odoo, registry, links):
    fx = load_fixtures()
    web1, web2 = cluster.web
    posted, answers = {}, []

    # Drawn one after the other: pdfium (the scans' rendering) is not
    # thread-safe (several threads at once crashed the process).
    items = [(link, upload._certificate(fx, link[1], link[3])) for link in links["uploads"]]
    items += [
        (link, upload._certificate(fx, link[1], link[3], scan=True)) for link in links["scans"]
    ]

    def one(item):
        (vendor_id, _name, token, _holder), pdf = item
        # The form opened on node 2, posted to node 1: one session store.
        session, csrf = upload._form(web2, token)
        forwarded(session, vendor_id, web1)
        start = time.perf_counter()
        response = upload._post(web1, token, session, csrf, pdf)
        answers.append(time.perf_counter() - start)
        if received(response):
            posted[vendor_id] = pdf
        return response.status_code

    start = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(one, items))
    posted_seconds = time.perf_counter() - start
    decided = _decisions(registry, set(posted), time.monotonic() + 300)
    decided_seconds = time.perf_counter() - start

    # Served back by node 2, logged in as a user of the company.
    session = _login(web2, cluster.db)
    documents = _documents(odoo, registry, posted)
    keys = cluster.s3_keys()
    served = in_s3 = 0
    for vendor_id, pdf in posted.items():
        for _cert, _state, attachment_id, store_fname, _raw in documents.get(vendor_id, ()):
            if (store_fname or "").startswith(f"{STORAGE_CODE}://"):
                path = store_fname.split("://", 1)[1].lstrip("/")
                in_s3 += path in keys
            response = session.get(f"{web2}/web/content/{attachment_id}?download=true", timeout=60)
            if response.status_code == 200 and response.content == pdf:
                served += 1
                break
    scan_ids = {link[0] for link in links["scans"]}
    return {
        "uploads": len(links["uploads"]) + len(links["scans"]),
        "answered_200": statuses.count(200),
        "received": len(posted),
        "answer_median_ms": round(sorted(answers)[len(answers) // 2] * 1000, 1),
        "posted_seconds": round(posted_seconds, 1),
        "decided": len(decided),
        "decided_seconds": round(decided_seconds, 1),
        "scans_read_by_cron_node": len(scan_ids & set(decided)),
        "statuses": _count(decided.values()),
        "files_in_s3": in_s3,
        "files_not_in_s3": len(posted) - in_s3,
        "served_by_node2_equal": served,
        "served_mismatch": len(posted) - served,
    }


def _login(root, db):
    session = requests.Session()
    response = session.post(
        f"{root}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": db, "login": "admin", "password": ADMIN_PASSWORD},
        },
        timeout=60,
    )
    response.raise_for_status()
    if not response.json().get("result", {}).get("uid"):
        raise SystemExit(f"cannot log in on {root}: {response.text[:300]}")
    return session


def _count(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# -- b. the notice job started everywhere at once ----------------------------


def phase_notices(cluster, odoo, registry):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
        runner = env["res.users"].search([("login", "=", RUNNER_LOGIN)]).id
        authors = {
            odoo.SUPERUSER_ID: "the cron node",
            env.ref("base.user_admin").id: "Run Manually (node 1 or 2)",
            runner: "direct calls",
        }
        due = _due_notices(env)
        cr.execute("SELECT coalesce(max(id), 0) FROM mail_message")
        first_message = cr.fetchone()[0] + 1
        cr.execute("SELECT coalesce(max(id), 0) FROM coi_notice")
        first_notice = cr.fetchone()[0] + 1
    start = time.perf_counter()
    # The cron node starts the job (a trigger, as an upload or the daily
    # schedule would); once its first batch is committed, the others start
    # it too, at the same moment, while the cron node goes on.
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.cron"].browse(cron.id)._trigger()
    _wait(lambda: _written_by(registry, first_notice, odoo.SUPERUSER_ID), 300, "the cron job")
    outcomes = {"cron node": f"first batch after {time.perf_counter() - start:.1f} s"}
    barrier = threading.Barrier(4)

    def run_manually(root, name):
        session = _login(root, cluster.db)
        barrier.wait()
        response = session.post(
            f"{root}/web/dataset/call_button/ir.cron/method_direct_trigger",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "ir.cron",
                    "method": "method_direct_trigger",
                    "args": [[cron.id]],
                    "kwargs": {},
                },
            },
            timeout=600,
        )
        body = response.json()
        if "error" in body:
            outcomes[name] = "refused: " + body["error"]["data"]["message"]
        else:
            outcomes[name] = "ran: " + body["result"]["params"]["message"]

    def direct(name):
        barrier.wait()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, runner, {})
            env["coi.notice"].sudo()._cron_send_notices()
        outcomes[name] = "ran"

    threads = [
        threading.Thread(target=run_manually, args=(cluster.web[0], "Run Manually on node 1")),
        threading.Thread(target=run_manually, args=(cluster.web[1], "Run Manually on node 2")),
        threading.Thread(target=direct, args=("direct call 1",)),
        threading.Thread(target=direct, args=("direct call 2",)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The cron node's run: done when its trigger is consumed and its row free.
    _wait(lambda: _cron_idle(registry, cron.id), 600, "the cron node's notice run")
    seconds = time.perf_counter() - start
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        figures = _notice_figures(cr, first_notice, first_message, authors)
        figures["still_due"] = len(_due_notices(env))
    figures.update(due_before=len(due), seconds=round(seconds, 1), runs=outcomes)
    return figures


def _written_by(registry, first_notice, uid):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT 1 FROM coi_notice WHERE id >= %s AND create_uid = %s LIMIT 1",
            [first_notice, uid],
        )
        return bool(cr.fetchone())


def _due_notices(env):
    """Keys of the notices due today that are not on file."""
    Notice = env["coi.notice"]
    today = env.company._coi_today()
    keys = set()
    for company in env["res.company"].search([]):
        for pick in (
            Notice._renewal_candidates,
            Notice._expired_candidates,
            Notice._verification_candidates,
            Notice._chase_candidates,
        ):
            for c in pick(today, company):
                stage = c.get("stage", "")
                keys.add(Notice._make_key(c["kind"], c.get("policy"), c.get("certificate"), stage))
    done = set(Notice.search_fetch([("key", "in", list(keys))], ["key"]).mapped("key"))
    return keys - done


def _cron_idle(registry, cron_id):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= now()",
            [cron_id],
        )
        if cr.fetchone()[0]:
            return False
        cr.execute("SELECT id FROM ir_cron WHERE id = %s FOR UPDATE SKIP LOCKED", [cron_id])
        return bool(cr.fetchone())


def _notice_figures(cr, first_notice, first_message, authors):
    """Notices written since `first_notice`; messages and mails since
    `first_message`, and what repeats: the same key twice (the unique key
    makes it impossible, counted all the same), the same chatter message
    twice on a vendor, the same mail twice to one recipient; which runner
    wrote the notices (`authors`: user id -> runner)."""
    cr.execute(
        "SELECT key, state, create_uid FROM coi_notice WHERE id >= %s AND kind NOT IN"
        " ('accepted', 'revision', 'rejected', 'under_review')",
        [first_notice],
    )
    notices = cr.fetchall()
    cr.execute(
        """
        SELECT m.model, m.res_id, m.subject, md5(m.body)
          FROM mail_message m
         WHERE m.id >= %s AND m.model = 'res.partner'
           AND m.message_type IN ('comment', 'user_notification')
        """,
        [first_message],
    )
    messages = cr.fetchall()
    cr.execute(
        """
        SELECT m.model, m.res_id, m.subject, md5(m.body), rel.res_partner_id
          FROM mail_mail mm
          JOIN mail_message m ON m.id = mm.mail_message_id
          JOIN mail_mail_res_partner_rel rel ON rel.mail_mail_id = mm.id
         WHERE m.id >= %s AND m.model = 'res.partner'
        """,
        [first_message],
    )
    mails = cr.fetchall()
    return {
        "notices": len(notices),
        "states": _count(state for _key, state, _uid in notices),
        "written_by": _count(authors.get(uid, uid) for _key, _state, uid in notices),
        "messages": len(messages),
        "mails_per_recipient": len(mails),
        "duplicate_keys": duplicated([key for key, _state, _uid in notices]),
        "duplicate_messages": duplicated(messages),
        "duplicate_mails": duplicated(mails),
    }


# -- c. a burst, one node killed in the middle --------------------------------


def phase_kill(cluster, odoo, registry, links, kill_after):
    fx = load_fixtures()
    names = ["web1", "web2"]
    prepared = [
        (vendor_id, token, upload._certificate(fx, name, holder))
        for vendor_id, name, token, holder in links
    ]
    answered, failed, retried, cut, refused_on_page = {}, [], [], [], []
    lock = threading.Lock()
    posted = [0]
    killed = threading.Event()

    def one(item):
        index, (vendor_id, token, pdf) = item

        def send(root):
            session, csrf = upload._form(root, token)
            forwarded(session, vendor_id, root)
            with lock:
                posted[0] += 1
                kill_now = posted[0] == kill_after
            if kill_now:
                # Node 2 dies while this post and its neighbours are in flight.
                threading.Timer(0.15, lambda: (cluster.kill("web2"), killed.set())).start()
            return upload._post(root, token, session, csrf, pdf)

        node, response, error = with_failover(
            cluster.web, index % 2, send, is_up=lambda i: i == 0 or not killed.is_set()
        )
        if response is not None and response.status_code == 200:
            if not received(response):
                refused_on_page.append(vendor_id)
            answered[vendor_id] = pdf
            if node != index % 2:
                retried.append(vendor_id)
        elif error is not None and not refused(error):
            cut.append(vendor_id)
        else:
            failed.append(vendor_id)
        return names[node] if response is not None else None

    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        served_by = list(pool.map(one, enumerate(prepared)))
    seconds = time.perf_counter() - start
    if not killed.is_set():
        cluster.kill("web2")
    documents = _documents(odoo, registry, [link[0] for link in links])
    stored = {vendor: [raw for *_rest, raw in rows] for vendor, rows in documents.items()}
    lost = lost_uploads(answered, stored)
    cut_but_stored = sum(1 for vendor in cut if stored.get(vendor))
    keys = cluster.s3_keys()
    not_in_s3 = [
        vendor
        for vendor in answered
        if not any(
            (fname or "").startswith(f"{STORAGE_CODE}://")
            and fname.split("://", 1)[1].lstrip("/") in keys
            for _c, _s, _a, fname, raw in documents.get(vendor, ())
            if raw == answered[vendor]
        )
    ]
    # Read back through the surviving node.
    session = _login(cluster.web[0], cluster.db)
    served = 0
    for vendor, pdf in answered.items():
        for _c, _s, attachment_id, _f, raw in documents.get(vendor, ()):
            if raw == pdf:
                url = f"{cluster.web[0]}/web/content/{attachment_id}?download=true"
                served += session.get(url, timeout=60).content == pdf
                break
    return {
        "posted": len(links),
        "answered_200": len(answered),
        "refused_on_the_page": len(refused_on_page),
        "cut_mid_request": len(cut),
        "cut_but_stored": cut_but_stored,
        "not_answered": len(failed),
        "retried_on_node1": len(retried),
        "by_node": _count(name for name in served_by if name),
        "seconds": round(seconds, 1),
        "lost": len(lost),
        "lost_vendors": lost,
        "not_in_s3": len(not_in_s3),
        "stored_twice": sum(1 for rows in documents.values() if len(rows) > 1),
        "served_by_node1_equal": served,
    }


# -- the run --------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a scratch database (see the docstring)")
    parser.add_argument("--uploads", type=int, default=40, help="text layer uploads (a)")
    parser.add_argument("--scans", type=int, default=4, help="scans read by the cron node (a)")
    parser.add_argument("--burst", type=int, default=40, help="uploads of the burst (c)")
    parser.add_argument("--vendors", type=int, default=1000, help="generated vendors (b)")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()

    LOG_DIR.mkdir(exist_ok=True)
    cluster = Cluster(args.db)
    started = time.perf_counter()
    try:
        cluster.start_s3()
        os.environ.update(S3_ENV, AWS_ENDPOINT_URL=cluster.s3_url)
        odoo, registry = open_registry(args.db)
        links = prepare(odoo, registry, args)
        cluster.start_nodes()
        print(f"nodes up in {time.perf_counter() - started:.0f} s: {', '.join(cluster.web)}")
        # The upload page's assets are built once, by the first request.
        for root in cluster.web:
            requests.get(f"{root}/coi/upload/{links['uploads'][0][2]}", timeout=300)
        figures = {"uploads": phase_uploads(cluster, odoo, registry, links)}
        _print("a. uploads through node 1", figures["uploads"])
        figures["notices"] = phase_notices(cluster, odoo, registry)
        _print("b. notices", figures["notices"])
        figures["kill"] = phase_kill(
            cluster, odoo, registry, links["burst"], kill_after=len(links["burst"]) // 3
        )
        _print("c. burst, node 2 killed", figures["kill"])
        figures["s3_objects"] = len(cluster.s3_keys())
        figures["seconds"] = round(time.perf_counter() - started, 1)
    finally:
        cluster.stop()
    notices, kill = figures["notices"], figures["kill"]
    duplicates = (
        notices["duplicate_keys"]
        + notices["duplicate_messages"]
        + notices["duplicate_mails"]
        + kill["stored_twice"]
    )
    lost = kill["lost"] + kill["not_in_s3"] + figures["uploads"]["files_not_in_s3"]
    mismatched = figures["uploads"]["served_mismatch"] + (
        kill["answered_200"] - kill["lost"] - kill["served_by_node1_equal"]
    )
    print(
        f"S3 objects {figures['s3_objects']}, duplicates {duplicates}, lost {lost}, "
        f"served but different {mismatched}, {figures['seconds']} s in all"
    )
    print(json.dumps(figures, default=str))
    return 1 if duplicates or lost or mismatched else 0


def _print(title, figures):
    print(title)
    for key, value in figures.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    sys.exit(main())
