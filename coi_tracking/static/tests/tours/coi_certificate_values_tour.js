import { registry } from "@web/core/registry";

const ROWS = ".o_coi_values .o_data_row";
const POLICY_NUMBER =
    `${ROWS}:has(.o_data_cell[name=name]:contains('General liability: policy number'))`;

// A reviewer opens a scanned certificate: the values read come first on the
// review screen, the poorly read policy number at the top, in red, with the
// image of where it was read.
registry.category("web_tour.tours").add("coi_certificate_values_tour", {
    steps: () => [
        {
            content: "The Values Read tab is open on the review screen",
            trigger: ".o_notebook .nav-link.active:contains('Values Read')",
        },
        {
            content: "The values read are in view",
            trigger: ".o_coi_values .o_list_renderer",
            run() {
                this.anchor.scrollIntoView();
            },
        },
        {
            content: "The policy number read with 50% confidence comes first, in red, with its image",
            trigger: `${POLICY_NUMBER} .o_data_cell[name=confidence_text] .badge.text-bg-danger:contains('50%')`,
            run() {
                const rows = [...document.querySelectorAll(ROWS)];
                const first = rows[0];
                const problems = [];
                if (!first.querySelector(".o_data_cell[name=name]").textContent.includes("policy number")) {
                    problems.push(`first row is ${first.textContent}`);
                }
                if (!first.classList.contains("fw-bold")) {
                    problems.push("the value to check is not in bold");
                }
                if (!first.querySelector(".o_data_cell[name=value]").textContent.includes("GL-7781234")) {
                    problems.push("the value read is not shown");
                }
                const image = first.querySelector(".o_data_cell[name=image] img");
                if (!image || !image.complete || !image.naturalWidth || !image.offsetHeight) {
                    problems.push("the image of the region is not shown");
                }
                const second = rows[1].querySelector(".badge");
                if (!second.classList.contains("text-bg-warning") || !second.textContent.includes("75%")) {
                    problems.push(`second row: ${rows[1].textContent}`);
                }
                const good = rows.filter((row) => row.querySelector(".badge.text-bg-success"));
                if (good.length !== rows.length - 2) {
                    problems.push(`${good.length} good of ${rows.length}`);
                }
                // Readable at 1366x768: the list fits its tab, labels whole.
                const list = document.querySelector(".o_coi_values .o_list_renderer");
                if (list.scrollWidth > list.clientWidth + 1) {
                    problems.push(`the list overflows (${list.scrollWidth} > ${list.clientWidth})`);
                }
                const cut = [...document.querySelectorAll(`${ROWS} .o_data_cell`)]
                    .filter((cell) => ["name", "value"].includes(cell.getAttribute("name")))
                    .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
                    .map((cell) => cell.textContent.trim());
                if (cut.length) {
                    problems.push(`cut: ${cut.join(", ")}`);
                }
                if (problems.length) {
                    throw new Error(
                        `Values Read at ${window.innerWidth}x${window.innerHeight}: ${problems.join("; ")}`
                    );
                }
            },
        },
    ],
});

// A certificate with nothing read yet has no Values Read tab.
registry.category("web_tour.tours").add("coi_certificate_no_values_tour", {
    steps: () => [
        {
            content: "The notebook opens on the files, without a Values Read tab",
            trigger: ".o_notebook .nav-link.active:contains('Files')",
            run() {
                const tabs = [...document.querySelectorAll(".o_notebook .nav-link")];
                if (tabs.some((tab) => tab.textContent.includes("Values Read"))) {
                    throw new Error("The Values Read tab is shown without values");
                }
            },
        },
    ],
});
