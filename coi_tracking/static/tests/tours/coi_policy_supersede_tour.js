import { registry } from "@web/core/registry";

// A reviewer decides that a new policy replaces the one overlapping it.
registry.category("web_tour.tours").add("coi_policy_supersede_tour", {
    steps: () => [
        {
            content: "The form warns of the overlapping policy",
            trigger: ".o_form_view .alert-warning:contains('Other active policies of this coverage')",
        },
        {
            content: "Replace it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_supersede_overlapping]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Nothing overlaps any more",
            trigger: ".o_form_view:not(:has(.alert-warning)):not(:has(button[name=action_supersede_overlapping]))",
        },
    ],
});
