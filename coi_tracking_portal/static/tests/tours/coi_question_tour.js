import { registry } from "@web/core/registry";

// A contractor opens the upload link, asks a question and sees that it went.
registry.category("web_tour.tours").add("coi_question_tour", {
    steps: () => [
        {
            content: "The terms asked for are explained next to the item",
            trigger: ".o_coi_requirement .o_coi_explanations dt:contains('Waiver of Subrogation')",
        },
        {
            content: "Open 'Ask a question'",
            trigger: ".o_coi_question_toggle",
            run: "click",
        },
        {
            content: "Type the question",
            trigger: ".o_coi_question[open] textarea#coi_question",
            run: "edit What does primary and non-contributory mean?",
        },
        {
            content: "Send it",
            trigger: ".o_coi_question_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page confirms the question was sent",
            trigger: ".o_coi_question_sent:contains('Your question was sent')",
        },
    ],
});
