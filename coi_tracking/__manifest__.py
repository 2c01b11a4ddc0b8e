# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "COI Tracking",
    "summary": "Track vendors' certificates of insurance against your requirements",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Purchase",
    "website": "https://github.com/coi-tracking/coi-tracking",
    "author": "COI Tracking contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "purchase"],
    "external_dependencies": {"python": ["pdfplumber"]},
    "data": [
        "security/coi_tracking_groups.xml",
        "views/coi_tracking_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "coi_tracking/static/tests/tours/**/*",
        ],
    },
}
