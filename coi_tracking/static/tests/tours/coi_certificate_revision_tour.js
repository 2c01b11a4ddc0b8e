import { registry } from "@web/core/registry";

// A reviewer sends a certificate back with a note of their own.
registry.category("web_tour.tours").add("coi_certificate_revision_tour", {
    steps: () => [
        {
            content: "Ask the contractor for a revision",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_request_revision]",
            run: "click",
        },
        {
            content: "Say what must change",
            trigger: ".modal div[name=note] textarea",
            run: "edit Show our company as additional insured on the GL policy.",
        },
        {
            content: "Send it",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        {
            content: "The certificate waits for the revision",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Revision Requested')",
        },
    ],
});
