import { registry } from "@web/core/registry";

// A COI manager accepts a vendor's low GL limit as a deviation from the
// checklist, then asks who covered the vendor today.
registry.category("web_tour.tours").add("coi_deviation_tour", {
    steps: () => [
        {
            content: "Open the vendor's insurance",
            trigger: ".o_notebook .nav-link:contains('Insurance')",
            run: "click",
        },
        {
            content: "The checklist says the limit is too low",
            trigger: ".o_field_one2many[name=coi_compliance_line_ids] td:contains('$1,000,000 is required')",
        },
        {
            content: "Accept the item as a deviation",
            trigger: ".o_field_one2many[name=coi_compliance_line_ids] button[name=action_coi_accept_deviation]",
            run: "click",
        },
        {
            content: "Say what is accepted instead",
            trigger: ".modal div[name=accepted_terms] input",
            run: "edit GL $500,000 instead of $1,000,000",
        },
        {
            content: "Say why",
            trigger: ".modal div[name=reason] textarea",
            run: "edit Small job, no public access.",
        },
        {
            content: "Accept",
            trigger: ".modal-footer button:contains('Accept Deviation')",
            run: "click",
        },
        {
            content: "The checklist shows who accepted it and until when",
            trigger: ".o_field_one2many[name=coi_compliance_line_ids] td:contains('Accepted by'):contains('GL $500,000 instead of $1,000,000')",
        },
        {
            content: "Ask who covered the vendor on a date",
            trigger: "button:contains('Coverage on a Date')",
            run: "click",
        },
        {
            content: "The policy in force today is listed",
            trigger: ".modal .o_coi_coverage_row .o_coi_policy_number:contains('GL-TOUR-1')",
        },
        {
            content: "Close",
            trigger: ".modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "Back on the vendor",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
