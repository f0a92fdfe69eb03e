import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const CSV = "Vārds;E-pasts;Tālrunis\nTour Imported Client;tour.import@example.com;+371 29 555 111\n";

function openWizardAndUpload() {
    return [
        ...stepUtils.goToAppSteps("client_management.menu_clients_root", "Open the Clients app"),
        {
            content: "Open the Clients menu",
            trigger: "[data-menu-xmlid='client_management.menu_clients_main']",
            run: "click",
        },
        {
            content: "Import clients",
            trigger: "[data-menu-xmlid='client_management.menu_client_import']",
            run: "click",
        },
        {
            content: "The wizard explains what to upload and offers the template",
            trigger: ".modal:contains('Upload the client list') button[name='action_download_template']",
        },
        {
            content: "Upload a semicolon-separated CSV with Latvian headers",
            trigger: ".modal .o_field_widget[name='file'] input[type='file']:not(:visible)",
            run() {
                const input = document.querySelector(".modal .o_field_widget[name='file'] input[type='file']");
                const transfer = new DataTransfer();
                transfer.items.add(new File([CSV], "klienti.csv", { type: "text/csv" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is uploaded",
            trigger: ".modal .o_field_widget[name='file'] .o_clear_file_button",
        },
        {
            content: "Next",
            trigger: ".modal button[name='action_load']",
            run: "click",
        },
        {
            content: "The columns are recognised from their Latvian headers",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('E-pasts'):contains('E-mail')",
        },
        {
            content: "The preview shows the first rows",
            trigger: ".modal .o_client_import_preview td:contains('Tour Imported Client')",
        },
    ];
}

registry.category("web_tour.tours").add("client_management_import_tour", {
    url: "/odoo",
    steps: () => [
        ...openWizardAndUpload(),
        {
            content: "Test it first (dry run)",
            trigger: ".modal button[name='action_dry_run']",
            run: "click",
        },
        {
            content: "The dry run counts one new client and writes nothing",
            trigger: ".modal .alert:contains('Dry run') ",
        },
        {
            content: "Import",
            trigger: ".modal button[name='action_import']",
            run: "click",
        },
        {
            content: "The import is done",
            trigger: ".modal .alert-success:contains('The import is done')",
        },
        {
            content: "Open the imported clients",
            trigger: ".modal button[name='action_open_clients']",
            run: "click",
        },
        {
            content: "The imported client is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Imported Client')",
        },
    ],
});

registry.category("web_tour.tours").add("client_management_import_background_tour", {
    url: "/odoo",
    steps: () => [
        ...openWizardAndUpload(),
        {
            content: "Import (a big file: in the background)",
            trigger: ".modal button[name='action_import']",
            run: "click",
        },
        {
            content: "The wizard shows the live progress bar of the background import",
            trigger: ".modal .o_client_import_progress:contains('0%')",
        },
        {
            content: "The user can refresh",
            trigger: ".modal button[name='action_refresh']",
        },
    ],
});
