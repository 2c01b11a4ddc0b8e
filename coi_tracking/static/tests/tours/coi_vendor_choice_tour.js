import { registry } from "@web/core/registry";

const OPTIONS = ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item";

// A buyer starts a request for quotation and looks for a vendor: compliant
// and timely vendors come first, the non-compliant one last and marked.
registry.category("web_tour.tours").add("coi_vendor_choice_tour", {
    steps: () => [
        {
            content: "Look for a vendor",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Choice",
        },
        {
            content: "Compliant and timely first, the non-compliant one last and marked",
            trigger: `${OPTIONS}:contains('Tour Choice Alpha')`,
            run() {
                const names = [...document.querySelectorAll(OPTIONS)]
                    .map((item) => item.textContent.trim())
                    .filter((name) => name.startsWith("Tour Choice"));
                const expected = [
                    "Tour Choice Charlie",
                    "Tour Choice Bravo",
                    "Tour Choice Alpha ⚠ Insurance: Non-Compliant",
                ];
                if (JSON.stringify(names) !== JSON.stringify(expected)) {
                    throw new Error(`Vendors offered: ${JSON.stringify(names)}`);
                }
            },
        },
        {
            content: "Pick the first one",
            trigger: `${OPTIONS}:contains('Tour Choice Charlie')`,
            run: "click",
        },
        {
            content: "Its insurance shows on the order",
            trigger: ".o_field_widget[name=coi_status] .badge:contains('Compliant')",
        },
        {
            content: "Save the request for quotation",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
