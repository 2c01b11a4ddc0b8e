import { registry } from "@web/core/registry";

// A COI user selects two vendors in the vendor list and asks them for
// certificates in bulk: the job's record opens.
registry.category("web_tour.tours").add("coi_request_certificates_tour", {
    steps: () => [
        {
            content: "Switch the vendors to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Select the first vendor",
            trigger: ".o_data_row:contains('Tour Request Alpha') td.o_list_record_selector input",
            run: "click",
        },
        {
            content: "Select the second vendor",
            trigger: ".o_data_row:contains('Tour Request Beta') td.o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:contains('Actions')",
            run: "click",
        },
        {
            content: "Request Certificates",
            trigger: ".o-dropdown-item:contains('Request Certificates')",
            run: "click",
        },
        {
            content: "The wizard counts the selection",
            trigger: ".modal .o_field_widget[name=vendor_count]:contains('2')",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_start]",
            run: "click",
        },
        {
            content: "The request's record opens, queued for the background job",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Queued')",
        },
    ],
});

// An administrator runs the notice job by hand: the notification says what it sent.
registry.category("web_tour.tours").add("coi_run_notices_manually_tour", {
    steps: () => [
        {
            content: "Run Manually",
            trigger: ".o_form_view button[name=method_direct_trigger]",
            run: "click",
        },
        {
            content: "The job says what it sent",
            trigger: ".o_notification:contains('sent:'):contains('chase')",
        },
    ],
});
