"""The API keeps its contract (not a test): schemathesis against a live server.

    setup/fuzz-api.sh [--examples 100] [--seed N] [--json .logs/api_fuzz.json]

Starts Odoo (2 HTTP workers, bench_api.start_server) on a database with the
addons, an API user and its key, a requirement set and a vendor, then runs
schemathesis from the served /openapi.json: every check (`--checks all` and
the stateful ones), positive and negative data, the document's links
followed, `--examples` per operation. The same run as the test
(coi_tracking_api/tests/test_api_fuzz.py), which makes fewer examples.
Last line: "N server errors, N schema violations".
"""

import argparse
import importlib.util
import json
import time

import requests
from benchlib import data
from benchlib.database import open_registry
from benchlib.paths import REPO_DIR
from benchlib.server import running_server


def load_fuzzing():
    """The shared runner (plain Python), loaded by path without Odoo."""
    path = REPO_DIR / "coi_tracking_api" / "tests" / "fuzzing.py"
    spec = importlib.util.spec_from_file_location("coi_api_fuzzing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(db):
    """An API key, a requirement set and one vendor of the key's company."""
    odoo, registry = open_registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        key, _refs, _ids = data.api_key_and_refs(env)
        gl = env.ref("coi_tracking.coverage_gl")
        req_set = env["coi.requirement.set"].create(
            {"name": "Fuzz set", "line_ids": [odoo.Command.create({"coverage_type_id": gl.id})]}
        )
        env["res.partner"].create(
            {
                "name": "Fuzz Vendor",
                "ref": "FUZZ-1",
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [odoo.Command.link(req_set.id)],
            }
        )
        cr.commit()
    return key


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--json", help="write the figures and failures to this file")
    args = parser.parse_args()
    fuzzing = load_fuzzing()
    key = prepare(args.db)
    with running_server(args.db) as root:
        document = requests.get(f"{root}/api/coi/v1/openapi.json", timeout=30).json()
        start = time.perf_counter()
        report = fuzzing.run(
            document,
            f"{root}/api/coi/v1",
            {"Authorization": f"Bearer {key}"},
            args.examples,
            seed=args.seed,
        )
        seconds = time.perf_counter() - start
    print(
        f"schemathesis, all checks, positive and negative data, links followed, "
        f"{args.examples} examples per operation: {report.operations} operations, "
        f"{report.link_tests} link sequences, {report.examples} requests checked "
        f"in {seconds:.0f} s"
    )
    for name, count in sorted(report.checks.items()):
        print(f"  {name:32} {count:6} runs")
    by_test = {}
    for (test, status), count in sorted(report.statuses.items(), key=str):
        by_test.setdefault(test, []).append(f"{status}: {count}")
    for test, counts in by_test.items():
        print(f"  {test:60} {', '.join(counts)}")
    for test, check, status, message in report.failures:
        print(f"FAILED {test}: {check} (HTTP {status}) {message}")
    for test, url in report.valid_on_the_wire[:20]:
        print(f"negative case valid as sent (not counted): {test} {url[:200]}")
    if report.off_path:
        print(
            f"{len(report.off_path)} cases sent to another path (a raw '#' in a path "
            "parameter), not counted"
        )
    for test, error in report.errors:
        print(f"ERROR {test}: {error.splitlines()[0] if error else ''}")
    if args.json:
        figures = {
            "examples_per_operation": args.examples,
            "operations": report.operations,
            "link_sequences": report.link_tests,
            "requests": report.examples,
            "seconds": round(seconds, 1),
            "checks": dict(report.checks),
            "statuses": {f"{test} {status}": n for (test, status), n in report.statuses.items()},
            "server_errors": len(report.server_errors),
            "schema_violations": len(report.violations),
            "runner_errors": len(report.errors),
            "negative_cases_valid_as_sent": len(report.valid_on_the_wire),
            "cases_sent_to_another_path": len(report.off_path),
            "failures": report.failures,
            "errors": report.errors,
        }
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    print(f"{len(report.errors)} runner errors")
    print(report.summary())
    return 0 if not (report.failures or report.errors) else 1


if __name__ == "__main__":
    raise SystemExit(main())
