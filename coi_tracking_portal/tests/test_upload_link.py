# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import re
import resource
import time
from datetime import timedelta
from html import unescape
from unittest.mock import patch

from PIL import Image

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.coi_tracking.engine.extract import budget
from odoo.addons.coi_tracking.tests import fixtures as fx
from odoo.addons.coi_tracking.tests.common import count_evaluations


@tagged("post_install", "-at_install")
class TestUploadLink(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company is the certificate holder the drawn certificates name.
        cls.env.company.name = fx.SAMPLE["certificate_holder"]["name"]
        gl = cls.env.ref("coi_tracking.coverage_gl")
        occurrence = cls.env.ref("coi_tracking.limit_each_occurrence")
        cls.req_set = cls.env["coi.requirement.set"].create(
            {
                "name": "Link test set",
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": gl.id,
                            "additional_insured": True,
                            "limit_ids": [
                                Command.create(
                                    {"limit_type_id": occurrence.id, "amount": 1_000_000}
                                )
                            ],
                        }
                    )
                ],
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {
                "name": fx.SAMPLE["insured"]["name"],
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(cls.req_set.id)],
            }
        )
        cls.other_vendor = cls.env["res.partner"].create(
            {
                "name": "Secret Other Vendor Inc",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(cls.req_set.id)],
            }
        )
        cls.link = cls.vendor._coi_upload_request()
        cls.other_link = cls.other_vendor._coi_upload_request()
        cls.env.cr.flush()  # the end of the transaction: vendors are evaluated

    def page(self, token=None, certificate=None):
        query = f"?certificate={certificate}" if certificate else ""
        return self.url_open(f"/coi/upload/{token or self.link.access_token}{query}")

    def post(self, files, token=None, kind="certificate", csrf=True, **kwargs):
        token = token or self.link.access_token
        data = {"kind": kind}
        if csrf:
            html = self.page(token).text
            data["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        return self.url_open(
            f"/coi/upload/{token}",
            data=data,
            files=[
                ("files", (name, content, "application/octet-stream")) for name, content in files
            ],
            timeout=60,
            **kwargs,
        )

    def test_token_is_long_and_random(self):
        self.assertGreaterEqual(len(self.link.access_token), 43)  # 32 bytes, base64
        self.assertNotEqual(self.link.access_token, self.other_link.access_token)
        self.assertEqual(self.vendor._coi_upload_request(), self.link)  # reused while valid

    def test_page_shows_what_is_required_and_missing(self):
        response = self.page()
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(self.vendor.name, html)
        self.assertIn(self.env.company.name, html)
        self.assertIn("Commercial General Liability", html)
        self.assertIn("No Commercial General Liability policy is on file; one is required.", html)
        self.assertNotIn("Secret Other Vendor", html)

    def test_unknown_expired_revoked_links_look_the_same(self):
        expired = self.vendor._coi_upload_request(recipient=self.other_vendor)
        expired.expiry_date = fields.Date.today() - timedelta(days=1)
        revoked = self.other_vendor._coi_upload_request(recipient=self.vendor)
        revoked.action_revoke()
        answers = [
            self.page("x" * 43),
            self.page(expired.access_token),
            self.page(revoked.access_token),
            self.page(self.link.access_token[:-1]),
        ]
        self.assertEqual({r.status_code for r in answers}, {404})
        self.assertEqual(len({len(r.text) for r in answers}), 1)
        for answer in answers:
            self.assertNotIn(self.vendor.name, answer.text)
        posted = self.url_open(f"/coi/upload/{revoked.access_token}", data={"kind": "certificate"})
        self.assertIn(posted.status_code, (400, 404))
        self.assertFalse(revoked.certificate_ids)

    def test_upload_pdf_is_read_and_summarized_at_once(self):
        response = self.post([("coi.pdf", fx.layout_pdf())])
        self.assertEqual(response.status_code, 200)
        certificate = self.link.certificate_ids
        self.assertEqual(len(certificate), 1)
        self.assertRecordValues(
            certificate, [{"source": "portal", "state": "accepted", "partner_id": self.vendor.id}]
        )
        self.assertEqual(certificate.attachment_ids.mapped("name"), ["coi.pdf"])
        self.assertIn("Received and accepted", response.text)
        self.assertIn("GL-7781234", response.text)
        self.assertIn("Nothing: your insurance meets the requirements.", response.text)
        self.assertEqual(self.vendor.coi_status, "compliant")

    def test_the_result_page_is_a_get_reloading_it_sends_nothing_again(self):
        """Post/Redirect/Get: the post answers 303 to the page of the
        certificate it made; reloading that page (what a contractor does)
        shows the result again and makes no second certificate."""
        response = self.post([("coi.pdf", fx.layout_pdf())], allow_redirects=False)
        certificate = self.link.certificate_ids
        self.assertEqual(len(certificate), 1)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/coi/upload/{self.link.access_token}?certificate={certificate.id}"
            ),
            response.headers["Location"],
        )
        for _reload in range(2):
            page = self.url_open(response.headers["Location"])
            self.assertEqual(page.status_code, 200)
            self.assertIn("Received and accepted", page.text)
        self.assertEqual(self.link.certificate_ids, certificate)

    def reading_job_triggers(self):
        cron = self.env.ref("coi_tracking.ir_cron_coi_read_certificates")
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

    def test_certificate_read_at_once_does_not_start_the_reading_job(self):
        """Decided in the request: the reading job is not woken for nothing
        (16 uploads at once woke it 16 times beside the workers)."""
        before = self.reading_job_triggers()
        self.post([("coi.pdf", fx.layout_pdf())])
        self.assertEqual(self.link.certificate_ids.reading_state, "done")
        self.assertEqual(self.reading_job_triggers(), before)

    def test_quick_read_over_its_processor_budget_is_left_to_the_job(self):
        """The request reads within a budget of processor time (not of wall
        time, which a busy machine spends waiting): past it, the file is
        kept and the reading job, started at once, reads it."""
        before = self.reading_job_triggers()
        with patch.object(budget, "QUICK_CPU_SECONDS", 0):
            response = self.post([("coi.pdf", fx.layout_pdf())])
        self.assertEqual(response.status_code, 200)
        self.assertIn("Received, being read", response.text)
        certificate = self.link.certificate_ids
        self.assertRecordValues(certificate, [{"reading_state": "pending", "state": "received"}])
        self.assertEqual(certificate.attachment_ids.raw, fx.layout_pdf())
        self.assertEqual(self.reading_job_triggers(), before + 1)
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertRecordValues(certificate, [{"reading_state": "done", "state": "accepted"}])
        self.assertEqual(self.vendor.coi_status, "compliant")

    def test_reading_that_fails_in_the_request_keeps_the_upload(self):
        """An error while reading at once does not lose the upload: the
        contractor gets the page, the file is kept, the reading job reads
        it (and would flag it for a person if it failed there too)."""
        Certificate = self.registry["coi.certificate"]
        with (
            patch.object(Certificate, "_coi_propose", side_effect=RuntimeError("bug")),
            mute_logger("odoo.addons.coi_tracking.models.coi_certificate"),
        ):
            response = self.post([("coi.pdf", fx.layout_pdf())])
        self.assertEqual(response.status_code, 200)
        self.assertIn("Received, being read", response.text)
        certificate = self.link.certificate_ids
        self.assertRecordValues(certificate, [{"reading_state": "pending", "state": "received"}])
        self.assertEqual(certificate.attachment_ids.raw, fx.layout_pdf())
        self.assertFalse(certificate.policy_ids)
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertRecordValues(certificate, [{"reading_state": "done", "state": "accepted"}])

    def test_upload_short_of_requirements_is_received_not_yet_compliant(self):
        """Everything was read, so the certificate is accepted; its limit is
        short, so the contractor reads "Received, not yet compliant" and what
        is missing: on the upload page and on /my/insurance."""
        # The certificate shows 1,000,000 and an umbrella of 5,000,000 on top.
        self.req_set.line_ids.limit_ids.amount = 10_000_000
        response = self.post([("coi.pdf", fx.layout_pdf())])
        self.assertEqual(response.status_code, 200)
        certificate = self.link.certificate_ids
        self.assertEqual(certificate.state, "accepted")
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        deficiency = self.vendor.coi_compliance_line_ids.deficiency
        self.assertIn("10,000,000", deficiency)

        def result(html):
            return unescape(re.search(r"o_coi_result.*?</section>", html, re.S).group())

        for page in (response, self.page(certificate=certificate.id)):
            shown = result(page.text)
            self.assertIn("Received, not yet compliant", shown)
            self.assertIn(deficiency, shown)
            self.assertNotIn("Received and accepted", shown)
        contractor = new_test_user(self.env, login="granite_desk", groups="base.group_portal")
        contractor.partner_id.parent_id = self.vendor
        self.authenticate("granite_desk", "granite_desk")
        mine = self.url_open("/my/insurance")
        self.assertEqual(mine.status_code, 200)
        row = unescape(re.search(r'o_coi_certificate">.*?</tr>', mine.text, re.S).group())
        self.assertIn(certificate.name, row)
        self.assertIn(f"Received, not yet compliant: {deficiency}", row)
        self.assertNotIn("Accepted", row)

    def test_one_upload_evaluates_the_vendor_once(self):
        with count_evaluations() as (counts, passes):
            response = self.post([("coi.pdf", fx.layout_pdf())])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.link.certificate_ids.state, "accepted")
        self.assertEqual(counts, {self.vendor.id: 1})
        self.assertEqual(passes, [1])

    def test_each_accepted_type(self):
        png = fx.scan_png()
        image = Image.open(io.BytesIO(png)).convert("RGB").resize((850, 1100))
        jpeg, tiff = io.BytesIO(), io.BytesIO()
        image.save(jpeg, "JPEG")
        image.save(tiff, "TIFF", compression="tiff_deflate")
        response = self.post(
            [("a.png", png), ("b.jpg", jpeg.getvalue()), ("c.tif", tiff.getvalue())]
        )
        certificate = self.link.certificate_ids
        self.assertEqual(
            sorted(certificate.attachment_ids.mapped("mimetype")),
            ["image/jpeg", "image/png", "image/tiff"],
        )
        # Images wait for OCR in the reading job: the page says so.
        self.assertEqual(certificate.reading_state, "pending")
        self.assertIn("Received, being read", response.text)

    def test_rejected_file_has_a_message_and_the_rest_is_kept(self):
        # Said on the answer to the post itself (no redirect would carry it).
        response = self.post(
            [("virus.pdf", b"MZ\x90\x00 not a pdf at all"), ("coi.pdf", fx.layout_pdf())],
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("virus.pdf", response.text)
        self.assertIn("Only PDF, PNG, JPEG and TIFF files are accepted.", response.text)
        self.assertIn("The other files were received.", response.text)
        self.assertEqual(self.link.certificate_ids.attachment_ids.mapped("name"), ["coi.pdf"])

    def test_too_large_and_too_many(self):
        big = b"%PDF-1.4\n" + (b"0" * 1023 + b"\n") * (20 * 1024 + 1)
        response = self.post([("big.pdf", big)])
        self.assertIn("The file is larger than 20 MB; send a smaller copy.", response.text)
        self.assertFalse(self.link.certificate_ids)
        pdf = fx.layout_pdf()
        response = self.post([(f"p{i}.pdf", pdf) for i in range(11)])
        self.assertIn("At most 10 files can be sent at once.", response.text)
        self.assertEqual(len(self.link.certificate_ids.attachment_ids), 10)

    def test_empty_file_is_named_and_nothing_is_created(self):
        response = self.post([("empty.pdf", b"")])
        self.assertIn("empty.pdf", response.text)
        self.assertIn("The file is empty.", response.text)
        self.assertFalse(self.link.certificate_ids)

    def test_form_needs_its_csrf_token(self):
        response = self.post([("coi.pdf", fx.layout_pdf())], csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.link.certificate_ids)

    def test_rate_limit_per_link(self):
        self.env["coi.upload.log"].create(
            [{"request_id": self.link.id, "remote_addr": "10.9.9.9"} for _ in range(30)]
        )
        response = self.post([("coi.pdf", fx.layout_pdf())])
        self.assertIn("Too many uploads from this link or this address", response.text)
        self.assertFalse(self.link.certificate_ids)

    def test_rate_limit_per_address(self):
        self.env["coi.upload.log"].create(
            [{"request_id": self.other_link.id, "remote_addr": "127.0.0.1"} for _ in range(30)]
        )
        response = self.post([("coi.pdf", fx.layout_pdf())])
        self.assertIn("Too many uploads", response.text)

    def test_path_in_a_file_name_is_cleaned(self):
        response = self.post([("../../../../etc/passwd.pdf", fx.layout_pdf())])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.link.certificate_ids.attachment_ids.mapped("name"), ["passwd.pdf"])
        received = re.search(r'o_coi_received_files">(.*?)</p>', response.text, re.S).group(1)
        self.assertIn("<strong>passwd.pdf</strong>", received)
        self.assertNotIn("etc/passwd", response.text)
        self.assertNotIn("../", response.text)
        # A refused file is named cleanly too.
        response = self.post([("..\\..\\windows\\notes.pdf", b"plain text")])
        self.assertIn("<strong>notes.pdf</strong>", response.text)
        self.assertNotIn("windows", response.text)

    def test_web_page_holding_a_pdf_is_refused(self):
        response = self.post([("coi.pdf", fx.html_with_pdf())])
        self.assertIn("Only PDF, PNG, JPEG and TIFF files are accepted.", response.text)
        self.assertFalse(self.link.certificate_ids)
        response = self.post([("coi.pdf", b"%PDF-1.7\n<html><body>hi</body></html>")])
        self.assertIn("The PDF could not be opened", response.text)
        self.assertFalse(self.link.certificate_ids)

    def test_long_pdf_and_deflate_bomb_are_received_then_read_by_the_job(self):
        """A 2,000-page PDF and a 1 MB file inflating to 1.1 GB: the page
        answers at once "received, being read" and keeps them; the reading
        job reads them in a child process whose memory is capped: the bomb
        is flagged for a person, this process does not grow."""
        files = {"manual.pdf": fx.many_pages_pdf(n=2000), "bomb.pdf": fx.deflate_bomb_pdf()}
        certificates = self.env["coi.certificate"]
        for name, data in files.items():
            started = time.monotonic()
            response = self.post([(name, data)])
            self.assertLess(time.monotonic() - started, 30)  # a sanity bound, not a benchmark
            self.assertEqual(response.status_code, 200)
            self.assertIn("Received, being read", response.text)
            certificate = self.link.certificate_ids - certificates
            certificates |= certificate
            self.assertEqual(certificate.reading_state, "pending")
            self.assertEqual(certificate.attachment_ids.raw, data)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.env["coi.certificate"]._cron_read_certificates()
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        self.assertLess(grown_mb, 200)
        manual, bomb = certificates.sorted("id")
        self.assertRecordValues(
            bomb,
            [
                {
                    "reading_state": "failed",
                    "state": "in_review",
                    "review_reason": "The file could not be read: too large to read.",
                }
            ],
        )
        self.assertEqual(bomb.attachment_ids.raw, files["bomb.pdf"])
        self.assertEqual(manual.reading_state, "done")
        self.assertEqual(manual.state, "in_review")
        self.assertIn(
            "Only the first 60 of 2000 pages were read.", manual.reading_result["warnings"]
        )
        page = self.page()
        self.assertEqual(page.status_code, 200)

    def test_unknown_expired_revoked_tokens_do_the_same_work(self):
        expired = self.vendor._coi_upload_request(recipient=self.other_vendor)
        expired.expiry_date = fields.Date.today() - timedelta(days=2)
        revoked = self.other_vendor._coi_upload_request(recipient=self.vendor)
        revoked.action_revoke()
        tokens = {"unknown": "x" * 43, "expired": expired.access_token}
        tokens["revoked"] = revoked.access_token
        answers = {kind: self.page(token) for kind, token in tokens.items()}
        self.assertEqual(
            {kind: a.status_code for kind, a in answers.items()}, dict.fromkeys(tokens, 404)
        )
        # Identical but for the CSRF token, salted with the second it was made.
        bodies = {re.sub(r"[0-9a-f]{40}o\d*", "<csrf>", a.text) for a in answers.values()}
        self.assertEqual(len(bodies), 1, "the same body")
        queries = {}
        Request = self.env["coi.upload.request"]
        for kind, token in tokens.items():
            self.env.invalidate_all()
            self.env.cr.flush()
            before = self.env.cr.sql_log_count
            self.assertFalse(Request._find_by_token(token))
            queries[kind] = self.env.cr.sql_log_count - before
        self.assertEqual(len(set(queries.values())), 1, queries)
        self.env.invalidate_all()
        self.assertEqual(Request._find_by_token(self.link.access_token), self.link)


@tagged("post_install", "-at_install")
class TestUploadLinkTour(HttpCase):
    def _run(self, browser_size):
        self.env.company.name = fx.SAMPLE["certificate_holder"]["name"]
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Tour set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        vendor = self.env["res.partner"].create(
            {
                "name": fx.SAMPLE["insured"]["name"],
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        link = vendor._coi_upload_request()
        fixture = self.env["ir.attachment"].create(
            {"name": "fixture.pdf", "raw": fx.layout_pdf(), "public": True}
        )
        self.browser_size = browser_size
        self.start_tour(f"{link.access_url}?fixture={fixture.id}", "coi_upload_link_tour")
        self.assertEqual(link.certificate_ids.state, "accepted")
        self.assertEqual(vendor.coi_status, "compliant")

    def test_contractor_sends_a_certificate_through_the_link(self):
        self._run("1366x768")

    def test_same_on_a_phone(self):
        self._run("390x844")


@tagged("post_install", "-at_install")
class TestNoticeLinks(HttpCase):
    def test_every_notice_carries_the_upload_link(self):
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Notice set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        vendor = self.env["res.partner"].create(
            {
                "name": "Linked Roofing",
                "is_company": True,
                "email": "office@linked.example",
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        certificate = self.env["coi.certificate"].create({"partner_id": vendor.id})
        certificate.action_reject(reason="Unreadable")
        notices = self.env["coi.notice"].search([("partner_id", "=", vendor.id)])
        # The request the new vendor got at once, and the rejection.
        self.assertEqual(sorted(notices.mapped("kind")), ["rejected", "request"])
        link = vendor._coi_upload_request()
        for notice in notices:
            self.assertIn(link.access_url, str(notice.message_id.body))
        # The link in the email opens the vendor's upload page.
        page = self.url_open(link.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Linked Roofing", page.text)

    def test_a_batch_of_notices_each_with_its_vendors_link(self):
        """Requests to several vendors go out in one batch: each email's
        button and the layout's link carry that vendor's own link."""
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Batch set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        vendors = self.env["res.partner"].create(
            [
                {
                    "name": f"Batch Roofing {n}",
                    "is_company": True,
                    "email": f"office{n}@batch.example",
                    "coi_requirement_set_ids": [Command.link(req_set.id)],
                }
                for n in range(3)
            ]
        )
        # Asked at once when they were made (the company requests automatically).
        self.env["coi.notice"]._queue_requests(vendors)
        notices = self.env["coi.notice"].search(
            [("partner_id", "in", vendors.ids), ("kind", "=", "request")]
        )
        self.assertEqual(notices.partner_id, vendors)
        for notice in notices:
            link = notice.partner_id._coi_upload_request()
            others = (vendors - notice.partner_id).mapped(
                lambda vendor: vendor._coi_upload_request().access_url
            )
            mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])
            # The "Send the certificate" button, and the layout's link on the
            # vendor's name.
            self.assertEqual(mail.body_html.count(link.access_url), 2)
            for url in others:
                self.assertNotIn(url, mail.body_html)
        self.assertEqual(len(vendors.coi_upload_request_ids), 3)  # one link each

    def test_a_notice_with_nobody_to_write_to_makes_no_link(self):
        """A vendor without any email address gets a to-do, not an email:
        no upload link is made for an email that is not sent."""
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Silent set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        reachable, silent = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "email": email,
                    "coi_requirement_set_ids": [Command.link(req_set.id)],
                }
                for name, email in (
                    ("Reachable Roofing", "office@reach.example"),
                    ("Silent Roofing", False),
                )
            ]
        )
        self.env["coi.notice"]._queue_requests(reachable | silent)
        notices = self.env["coi.notice"].search([("partner_id", "in", (reachable | silent).ids)])
        by_vendor = {notice.partner_id: notice for notice in notices}
        self.assertEqual(by_vendor[silent].state, "no_recipient")
        self.assertTrue(silent.activity_ids)  # a person is asked for an address
        self.assertFalse(silent.coi_upload_request_ids)
        self.assertEqual(len(reachable.coi_upload_request_ids), 1)
        self.assertIn(
            reachable.coi_upload_request_ids.access_url, str(by_vendor[reachable].message_id.body)
        )


@tagged("post_install", "-at_install")
class TestVerificationAnswer(HttpCase):
    def test_agent_answers_through_the_link(self):
        gl = self.env.ref("coi_tracking.coverage_gl")
        agency = self.env["res.partner"].create(
            {"name": "Answer Agency", "is_company": True, "email": "a@agency.example"}
        )
        vendor = self.env["res.partner"].create(
            {"name": "Answer Roofing", "is_company": True, "coi_agent_id": agency.id}
        )
        policy = self.env["coi.policy"].create(
            {
                "name": "GL-ANSWER",
                "partner_id": vendor.id,
                "coverage_type_id": gl.id,
                "effective_date": "2026-01-01",
                "expiration_date": "2099-01-01",
                "state": "active",
            }
        )
        notice = self.env["coi.notice"]._queue(
            [{"kind": "verification", "vendor": vendor, "policy": policy, "stage": "proof30"}]
        )
        urls = notice._answer_urls()
        # The links are the agent's: in the email to the agent, not in the
        # vendor's chatter that every user of the company reads.
        email = self.env["mail.mail"].search([("body_html", "like", notice.access_token)])
        self.assertEqual(email.recipient_ids, agency)
        self.assertIn(urls["in_force"], email.body_html)
        self.assertIn(urls["changed"], email.body_html)
        self.assertIn("Is it still in force", str(notice.message_id.body))
        self.assertNotIn(notice.access_token, str(notice.message_id.body))
        coi_user = new_test_user(
            self.env, login="verify_reader", groups="coi_tracking.coi_tracking_group_user"
        )
        seen = (
            self.env["mail.message"]
            .with_user(coi_user)
            .search([("model", "=", "res.partner"), ("res_id", "=", vendor.id)])
        )
        self.assertTrue(seen)
        self.assertFalse([m for m in seen if notice.access_token in str(m.body)])
        path = urls["in_force"].replace(notice.get_base_url(), "")
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Yes, it is in force", page.text)
        self.assertFalse(policy.verification_state)  # opening the link records nothing
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = self.url_open(path, data={"csrf_token": csrf})
        self.assertIn("your answer was recorded", done.text)
        self.assertEqual(policy.verification_state, "in_force")
        self.assertEqual(self.url_open("/coi/verify/" + "x" * 43 + "/in_force").status_code, 404)
        self.assertEqual(self.url_open(path.replace("in_force", "maybe")).status_code, 404)
