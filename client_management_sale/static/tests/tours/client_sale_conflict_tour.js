import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_sale_conflict_tour", {
    url: "/odoo/action-sale.action_quotations_with_onboarding/new",
    steps: () => [
        {
            content: "Pick the conflict client as the customer of the new quotation",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour Sale Conflict",
        },
        {
            content: "Choose it in the dropdown",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour Sale Conflict')",
            run: "click",
        },
        {
            content: "The warning names the conflict client and shows its note",
            trigger: ".modal:contains('Conflict client'):contains('Only with prepayment')",
        },
        {
            content: "Close the warning",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The quotation keeps the client",
            trigger: ".o_field_widget[name='partner_id'] input:value('Tour Sale Conflict')",
        },
        {
            content: "Discard the draft quotation",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "The quotation was discarded",
            trigger: ".o_list_view, .o_kanban_view",
        },
    ],
});
