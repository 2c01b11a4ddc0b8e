import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const GL_EACH_OCCURRENCE =
    ".o_coi_review_limits .o_data_row" +
    ":has(.o_data_cell[name=policy_id]:contains('Commercial General Liability'))" +
    ":has(.o_data_cell[name=limit_type_id]:contains('Each Occurrence'))";

function cutLabels(selector) {
    return [...document.querySelectorAll(`${selector} thead th[data-name]`)]
        .filter((th) => th.offsetParent)
        .map((th) => th.querySelector(".text-truncate") || th)
        .filter((label) => label.scrollWidth > label.clientWidth + 1)
        .map((label) => label.textContent.trim());
}

// A reviewer opens a certificate read from an unusual layout: the document
// is beside the proposed policies and limits, on the first screen; they
// correct a limit in the grid and save.
registry.category("web_tour.tours").add("coi_certificate_review_tour", {
    steps: () => [
        {
            content: "The document is shown beside the values read, on the first screen",
            trigger: ".o_coi_review_document .o_field_pdf_viewer iframe.o_pdfview_iframe",
            run() {
                const pdf = this.anchor.getBoundingClientRect();
                const fields = document
                    .querySelector(".o_coi_review_fields")
                    .getBoundingClientRect();
                const grid = document
                    .querySelector(".o_coi_review_policies")
                    .getBoundingClientRect();
                const seen = Math.min(pdf.bottom, window.innerHeight) - pdf.top;
                const problems = [];
                if (pdf.left < fields.right - 1) {
                    problems.push(`not beside the fields (${pdf.left} < ${fields.right})`);
                }
                if (pdf.top > grid.top) {
                    problems.push(`starts below the policies (${pdf.top} > ${grid.top})`);
                }
                if (seen < 400 || pdf.width < 380) {
                    problems.push(`too little of it on screen (${seen} x ${pdf.width})`);
                }
                if (!this.anchor.src.includes("document_pdf")) {
                    problems.push(`it shows ${this.anchor.src}`);
                }
                if (problems.length) {
                    throw new Error(
                        `PDF viewer at ${window.innerWidth}x${window.innerHeight}: ${problems.join("; ")}`
                    );
                }
            },
        },
        {
            content: "No column label of the review grids is cut",
            trigger: `${GL_EACH_OCCURRENCE} .o_data_cell[name=amount]:contains('1,000,000.00')`,
            run() {
                const cut = [
                    ...cutLabels(".o_coi_review_policies"),
                    ...cutLabels(".o_coi_review_limits"),
                ];
                if (cut.length) {
                    throw new Error(`Column labels cut: ${cut.join(", ")}`);
                }
            },
        },
        {
            content: "Correct the general liability each-occurrence limit",
            trigger: `${GL_EACH_OCCURRENCE} .o_data_cell[name=amount]`,
            run: "click",
        },
        {
            trigger: ".o_coi_review_limits .o_selected_row .o_data_cell[name=amount] input",
            run: "edit 1500000",
        },
        ...stepUtils.saveForm(),
        {
            content: "The grid shows the corrected limit",
            trigger: `${GL_EACH_OCCURRENCE} .o_data_cell[name=amount]:contains('1,500,000.00')`,
        },
    ],
});
