import { registry } from "@web/core/registry";

// A COI user decides on an insurer's notice that names two policies: the
// certificate offers "Cancel policy X from D" for each, D the date the notice
// takes effect (not the letter's); the user keeps one policy and cancels the
// other.
registry.category("web_tour.tours").add("coi_notice_review_tour", {
    steps: () => [
        {
            content: "The notice waits for a person, who is told why",
            trigger: ".o_form_view .alert-warning:contains('several policies match')",
        },
        {
            content: "A notice is not accepted like a certificate (no policy comes into force)",
            trigger: ".o_statusbar_buttons:not(:has(button:contains('Accept')))",
        },
        {
            content: "The date the notice takes effect, as read, is shown",
            trigger: ".o_field_widget[name=notice_date]:not(:empty)",
        },
        {
            content: "Open the offer",
            trigger:
                ".o_statusbar_buttons button[name=action_open_cancellation]:contains('Cancel Policies')",
            run: "click",
        },
        {
            content: "Each policy named is offered, ticked, from the date read",
            trigger: ".modal .o_data_row:contains('Cancel policy GL-TOUR-1 from ')",
            run() {
                const rows = [...document.querySelectorAll(".modal .o_data_row")];
                const offers = rows.map((row) => {
                    const date = row.querySelector("td[name=effective_date]").textContent.trim();
                    const label = row.querySelector("td[name=action_label]").textContent.trim();
                    const ticked = row.querySelector(".o_field_boolean_toggle input").checked;
                    return { date, label, ticked };
                });
                const labels = offers.map((offer) => offer.label).sort();
                const date = offers[0]?.date;
                const expected = [
                    `Cancel policy AU-TOUR-2 from ${date}`,
                    `Cancel policy GL-TOUR-1 from ${date}`,
                ];
                if (
                    !date ||
                    JSON.stringify(labels) !== JSON.stringify(expected) ||
                    !offers.every((offer) => offer.ticked && offer.date === date)
                ) {
                    throw new Error(`Unexpected offers: ${JSON.stringify(offers)}`);
                }
            },
        },
        {
            content: "Keep the auto policy",
            trigger: ".modal .o_data_row:contains('AU-TOUR-2') .o_field_boolean_toggle input",
            run: "click",
        },
        {
            content: "Cancel the other from its date",
            trigger: ".modal-footer button[name=action_apply]:contains('Cancel Policies')",
            run: "click",
        },
        {
            content: "The notice is handled",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Accepted')",
        },
        {
            content: "The chatter says what was done",
            trigger: ".o-mail-Message:contains('Policy GL-TOUR-1 cancelled from')",
        },
    ],
});
