import { registry } from "@web/core/registry";

// A COI user finds the app on the home screen and opens the vendor list.
registry.category("web_tour.tours").add("coi_tracking_menu_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Insurance Compliance app",
            trigger: ".o_app[data-menu-xmlid='coi_tracking.menu_coi_root']",
            run: "click",
        },
        {
            content: "The app opens on its vendors",
            trigger: ".o_breadcrumb:contains('Vendors')",
        },
        {
            content: "Vendors are grouped by insurance status",
            trigger: ".o_kanban_group:contains('Non-Compliant') .o_kanban_record:contains('Tour Roofing LLC')",
            run: "click",
        },
        {
            content: "The vendor form opens on its insurance",
            trigger: ".o_notebook .nav-link:contains('Insurance')",
            run: "click",
        },
        {
            content: "The checklist says what is missing",
            trigger: ".o_field_one2many[name=coi_compliance_line_ids] td:contains('No Commercial General Liability policy is on file')",
        },
    ],
});
