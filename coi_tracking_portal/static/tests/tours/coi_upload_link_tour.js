import { registry } from "@web/core/registry";

// A contractor opens the link from the email, sends a certificate and sees
// at once what was read and what is still missing. The test gives the PDF
// to send as a public attachment, named in the page's query string.
async function chooseFixtureFile() {
    const attachmentId = new URLSearchParams(window.location.search).get("fixture");
    const response = await fetch(`/web/content/${attachmentId}?download=true`);
    const file = new File([await response.blob()], "certificate.pdf", {
        type: "application/pdf",
    });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const input = document.querySelector("input#coi_files");
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("coi_upload_link_tour", {
    steps: () => [
        {
            content: "The page says who asks and for whom",
            trigger: "h1:contains('Certificate of insurance for')",
        },
        {
            content: "What is missing is listed before anything is sent",
            trigger: ".o_coi_missing li:contains('No Commercial General Liability policy is on file')",
        },
        {
            content: "The certificate holder block to use is shown",
            trigger: "address",
        },
        {
            content: "Nothing runs off the side of the screen (phones included)",
            trigger: ".o_coi_upload_form",
            run() {
                const overflow = document.documentElement.scrollWidth - window.innerWidth;
                if (overflow > 1) {
                    throw new Error(`The page is ${overflow}px wider than the screen`);
                }
            },
        },
        {
            content: "Choose the certificate",
            trigger: "input#coi_files",
            run: chooseFixtureFile,
        },
        {
            content: "Send it",
            trigger: ".o_coi_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The certificate was read at once",
            trigger: ".o_coi_result:contains('Received and accepted')",
        },
        {
            content: "The policies read from it are listed",
            trigger: ".o_coi_read_policies td:contains('GL-7781234')",
        },
        {
            content: "What is still missing is updated",
            trigger: ".o_coi_missing:contains('Nothing: your insurance meets the requirements.')",
        },
    ],
});
