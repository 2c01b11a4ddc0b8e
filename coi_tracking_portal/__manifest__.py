# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "COI Tracking Portal",
    "summary": "Contractors and agents submit certificates via the portal and upload links",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Purchase",
    "website": "https://github.com/coi-tracking/coi-tracking",
    "author": "COI Tracking contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["coi_tracking", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/coi_tracking_portal_security.xml",
        "data/mail_template_data.xml",
        "data/mail_activity_type_data.xml",
        "views/coi_upload_templates.xml",
        "views/portal_templates.xml",
        "views/coi_verify_templates.xml",
        "views/coi_upload_request_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "coi_tracking_portal/static/tests/tours/**/*",
        ],
    },
}
