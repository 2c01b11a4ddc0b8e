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
            content: "Our test vendor is listed",
            trigger: ".o_data_row:contains('Tour Roofing LLC')",
        },
    ],
});
