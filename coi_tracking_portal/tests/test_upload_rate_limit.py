# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
import time
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, tagged

from ..models.coi_upload_request import RATE_LIMIT_PER_HOUR

ADDRESS = "203.0.113.77"  # documentation range: no test elsewhere posts from it


@tagged("post_install", "-at_install")
class TestConcurrentUploads(TransactionCase):
    """Forty posts at once from one address, each in its own transaction on
    its own connection, as HTTP workers run them: at most the limit gets
    through. The data is committed here (and removed at the end)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            vendors = env["res.partner"].create(
                [{"name": f"Burst Roofing {n}", "is_company": True} for n in range(4)]
            )
            links = env["coi.upload.request"].create([{"partner_id": v.id} for v in vendors])
            self.vendor_ids, self.link_ids = vendors.ids, links.ids
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["coi.upload.log"].search(
                ["|", ("request_id", "in", self.link_ids), ("remote_addr", "=", ADDRESS)]
            ).unlink()
            env["coi.upload.request"].browse(self.link_ids).unlink()
            env["res.partner"].browse(self.vendor_ids).unlink()

    def post_at_once(self, link_ids, count=40):
        """`count` submissions through the links in turn, started together;
        each request goes on for a moment after the check (as reading the
        file would) before its transaction commits. Returns how many were
        accepted."""
        barrier = threading.Barrier(count)
        accepted, errors = [], []

        def post(link_id):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    link = env["coi.upload.request"].browse(link_id)
                    link.partner_id.name  # noqa: B018 - the request's first reads
                    barrier.wait(timeout=30)
                    _certificate, refused, limited = link._submit(
                        [("notes.txt", b"not a certificate")], remote_addr=ADDRESS
                    )
                    if not limited:
                        accepted.append(refused)
                        time.sleep(0.3)
            except Exception as error:  # reported below
                errors.append(error)

        threads = [
            threading.Thread(target=post, args=(link_ids[n % len(link_ids)],)) for n in range(count)
        ]
        # The test runner holds the registry lock; its own HTTP test mode
        # lifts it the same way for server threads.
        with patch.object(Registry, "_lock", DummyRLock()):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a post hung")
        self.assertEqual(errors, [])
        return len(accepted)

    def logged(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["coi.upload.log"].search_count([("remote_addr", "=", ADDRESS)])

    def test_forty_posts_at_once_on_one_link(self):
        self.assertEqual(self.post_at_once(self.link_ids[:1]), RATE_LIMIT_PER_HOUR)
        self.assertEqual(self.logged(), RATE_LIMIT_PER_HOUR)

    def test_forty_posts_at_once_on_four_links_from_one_address(self):
        # 10 per link, under the per-link limit: the address's limit holds.
        self.assertEqual(self.post_at_once(self.link_ids), RATE_LIMIT_PER_HOUR)
        self.assertEqual(self.logged(), RATE_LIMIT_PER_HOUR)
