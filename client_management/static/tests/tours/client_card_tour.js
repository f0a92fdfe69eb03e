import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("client_management_card_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("client_management.menu_clients_root", "Open the Clients app"),
        {
            content: "The conflict client shows its red marker on the kanban card",
            trigger: ".o_kanban_record:contains('Tour Conflict Client') .fa-exclamation-triangle.text-danger",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the conflict client",
            trigger: ".o_data_row:contains('Tour Conflict Client') td[name='complete_name']",
            run: "click",
        },
        {
            content: "The card shows the conflict banner with the note",
            trigger: ".o_client_conflict_banner:contains('Never lend tools')",
        },
        {
            content: "The name label follows the type",
            trigger: ".o_form_view span:contains('Client name')",
        },
        {
            content: "At 1366 px the whole number, its type, WhatsApp, Viber, SMS and the actions are visible",
            trigger: ".o_field_widget[name='phone_ids'] .o_data_row td[name='number']:contains('+371 67 123 456')",
            run() {
                const row = this.anchor.closest(".o_data_row");
                const cell = this.anchor;
                if (cell.scrollWidth > cell.clientWidth + 1) {
                    throw new Error(`The number is cut: ${cell.scrollWidth}px of text in ${cell.clientWidth}px`);
                }
                const table = row.closest(".o_list_renderer");
                const right = table.getBoundingClientRect().right;
                for (const name of ["type_id", "whatsapp", "viber", "sms"]) {
                    const td = row.querySelector(`td[name='${name}']`);
                    if (!td || td.getBoundingClientRect().right > right + 1) {
                        throw new Error(`The ${name} column is off-screen`);
                    }
                }
                const call = row.querySelector("button[name='action_call']");
                if (!call || call.getBoundingClientRect().right > right + 1) {
                    throw new Error("The line's Call button is off-screen");
                }
            },
        },
        {
            content: "Mark the client as a supplier (the toggle saves at once)",
            trigger: ".o_field_widget[name='is_supplier'] input",
            run: "click",
        },
        {
            content: "The supplier badge appears",
            trigger: ".o_form_view .badge:contains('Supplier')",
        },
        {
            content: "The change is tracked in the chatter",
            trigger: ".o-mail-Message .o-mail-Message-tracking:contains('Supplier')",
        },
    ],
});
