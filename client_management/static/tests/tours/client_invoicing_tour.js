import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_invoicing_tour", {
    steps: () => [
        {
            content: "The e-mail sent from the client's invoice is on the client's timeline, marked with its invoice",
            trigger: ".o-mail-Message:contains('Here is your invoice, Tour'):contains('on INV/')",
        },
        {
            content: "The card shows the outstanding amount as a smart button",
            trigger: ".oe_stat_button:contains('Outstanding'):contains('100.00')",
        },
        {
            content: "Open the Invoicing tab",
            trigger: ".o_notebook .nav-link[name='cm_invoicing']",
            run: "click",
        },
        {
            content: "The turnover is shown",
            trigger: ".o_field_widget[name='invoiced_total']:contains('100.00')",
        },
        {
            content: "The posted invoice is listed",
            trigger: ".o_field_widget[name='cm_invoice_ids'] .o_data_row:contains('INV/')",
        },
        {
            content: "New invoice",
            trigger: "button[name='action_cm_new_invoice']",
            run: "click",
        },
        {
            content: "The new invoice is pre-filled with the client",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Tour Invoiced Client')",
        },
    ],
});
