# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "COI Tracking API",
    "summary": "JSON API to push and pull vendors' insurance compliance",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Purchase",
    "website": "https://github.com/coi-tracking/coi-tracking",
    "author": "COI Tracking contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["coi_tracking"],
    "external_dependencies": {"python": ["jsonschema"]},
    "data": [
        "security/coi_tracking_api_groups.xml",
        "security/ir.model.access.csv",
        "security/coi_tracking_api_security.xml",
        "data/ir_cron_data.xml",
        "views/coi_webhook_views.xml",
    ],
}
